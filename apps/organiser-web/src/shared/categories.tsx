import type { Lang } from '../i18n';
import type { Category } from './types';

/** A category as a word for one person (the filter uses the shell's plural names). */
const ONE: Record<Lang, Record<Category, string>> = {
  de: {
    attendee: 'Teilnehmende',
    speaker: 'Referierende',
    press: 'Presse',
    staff: 'Organisation',
    exhibitor: 'Aussteller',
  },
  en: {
    attendee: 'Attendee',
    speaker: 'Speaker',
    press: 'Press',
    staff: 'Staff',
    exhibitor: 'Exhibitor',
  },
};

export const categoryOfOne = (lang: Lang, category: string) =>
  ONE[lang][category as Category] ?? category;

export function CategoryTag(props: { lang: Lang; category: string }) {
  return (
    <span class={`org-cat org-cat-${props.category}`}>
      <span class="org-cat-dot" aria-hidden="true" />
      {categoryOfOne(props.lang, props.category)}
    </span>
  );
}
