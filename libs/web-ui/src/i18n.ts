/**
 * One way to speak German and English on every page: each page keeps its words next to its code
 * as a word table (a `de` and an `en` object of the same shape, checked by the compiler) and picks
 * one by the chosen language. Labels shared with the services (categories, scan results) come from
 * @einlass/contracts. Plain functions: no DOM, so any page (Preact or not) can use them.
 */
import type { Lang } from '@einlass/contracts';

export type { Lang };

/** A page's words in both languages; `en` has the shape of `de`. */
export type WordTable<T> = Record<Lang, T>;

export const LANGS: readonly Lang[] = ['de', 'en'];

export const isLang = (value: unknown): value is Lang => value === 'de' || value === 'en';

/**
 * The language a browser asks for first among German and English (`navigator.languages`), or
 * `fallback` when it asks for neither.
 */
export function preferredLang(languages: readonly string[], fallback: Lang): Lang {
  const first = languages.find((language) => /^(de|en)\b/i.test(language));
  if (!first) return fallback;
  return /^en/i.test(first) ? 'en' : 'de';
}

/** The other one, for the language button. */
export const otherLang = (lang: Lang): Lang => (lang === 'de' ? 'en' : 'de');

/** The locale numbers and dates are written in. */
export const locale = (lang: Lang): string => (lang === 'de' ? 'de-DE' : 'en-GB');
