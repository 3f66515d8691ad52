import { categoryLabel } from '@einlass/contracts';
import type { Lang } from '../i18n';

/** A category as a word for one person (the filter uses the plural: categoryName in i18n.ts). */
export const categoryOfOne = (lang: Lang, category: string) => categoryLabel(lang, category, 'one');

export function CategoryTag(props: { lang: Lang; category: string }) {
  return (
    <span class={`org-cat org-cat-${props.category}`}>
      <span class="org-cat-dot" aria-hidden="true" />
      {categoryOfOne(props.lang, props.category)}
    </span>
  );
}
