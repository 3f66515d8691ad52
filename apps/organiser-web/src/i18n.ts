/**
 * German and English, the way every front-end does it (libs/web-ui: each page keeps a word table
 * next to its code, {de, en} of the same shape); here the chosen language is one Preact context
 * for all pages.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { categoryLabel } from '@einlass/contracts';
import { isLang, type Lang, locale, preferredLang, type WordTable } from '@einlass/web-ui';

export type { Lang, WordTable };

const STORAGE_KEY = 'einlass.dashboard.lang';

export function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLang(stored)) return stored;
  return preferredLang([navigator.language], 'en');
}

export function storeLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

export const LangContext = createContext<Lang>('de');

/** `const t = useWords(words)` → the words of the current language. */
export function useWords<T>(words: WordTable<T>): T {
  return words[useContext(LangContext)];
}

export function useLang(): Lang {
  return useContext(LangContext);
}

/**
 * Times are shown in the event's time zone (set by the shell for the chosen event), so a session
 * at 09:00 in Erfurt reads 09:00 on every organiser's screen, wherever the laptop is set.
 */
let displayTimeZone: string | undefined;

export function setDisplayTimeZone(timeZone: string | undefined): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    displayTimeZone = timeZone;
  } catch {
    displayTimeZone = undefined; // an unknown zone: the browser's own
  }
}

/** Dates and numbers as people of that language write them, in the event's time zone. */
export function formatDateTime(lang: Lang, iso: string | Date | null | undefined): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(locale(lang), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: displayTimeZone,
  }).format(new Date(iso));
}

export function formatTime(lang: Lang, iso: string | Date | null | undefined): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(locale(lang), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone: displayTimeZone,
  }).format(new Date(iso));
}

export function formatNumber(lang: Lang, value: number): string {
  return new Intl.NumberFormat(locale(lang)).format(value);
}

/** A category as a group (filters, charts); the one wording every page uses (libs/contracts). */
export function categoryName(lang: Lang, category: string): string {
  return categoryLabel(lang, category, 'many');
}

/** A share as a percentage, whole numbers ("62 %" in German, "62%" in English). */
export function formatPercent(lang: Lang, share: number): string {
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(
    Number.isFinite(share) ? share : 0,
  );
}

/** Hours and minutes only ("09:35"), for axes and lists. */
export function formatClock(lang: Lang, iso: string | Date): string {
  return new Intl.DateTimeFormat(locale(lang), {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: displayTimeZone,
  }).format(new Date(iso));
}
