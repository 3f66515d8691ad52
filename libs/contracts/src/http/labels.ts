import type { Category } from '../categories';
import type { ScanResult } from './scan-answer';

/** The languages the pages (and badges) speak. */
export type Lang = 'de' | 'en';

/**
 * Attendee categories as people read them, one wording per language for the scanner, the
 * organisers' pages and anything else that words a category. German in the neutral form
 * ("Teilnehmende"), which serves for one person and for many alike.
 */
export const CATEGORY_LABELS: Record<
  Lang,
  { one: Record<Category, string>; many: Record<Category, string> }
> = {
  de: {
    one: {
      attendee: 'Teilnehmende',
      speaker: 'Referierende',
      press: 'Presse',
      staff: 'Organisation',
      exhibitor: 'Ausstellende',
    },
    many: {
      attendee: 'Teilnehmende',
      speaker: 'Referierende',
      press: 'Presse',
      staff: 'Organisation',
      exhibitor: 'Ausstellende',
    },
  },
  en: {
    one: {
      attendee: 'Attendee',
      speaker: 'Speaker',
      press: 'Press',
      staff: 'Staff',
      exhibitor: 'Exhibitor',
    },
    many: {
      attendee: 'Attendees',
      speaker: 'Speakers',
      press: 'Press',
      staff: 'Staff',
      exhibitor: 'Exhibitors',
    },
  },
};

/** A category's label for one person (`one`) or as a group (`many`); an unknown one as it is. */
export function categoryLabel(lang: Lang, category: string, count: 'one' | 'many' = 'one'): string {
  return CATEGORY_LABELS[lang][count][category as Category] ?? category;
}

/** What a scan's result means, in a few words (check-in logs, the latest scans, a person's history). */
export const SCAN_RESULT_LABELS: Record<Lang, Record<ScanResult, string>> = {
  de: {
    admitted: 'Eingelassen',
    already_admitted: 'Bereits eingelassen',
    revoked: 'Badge gesperrt',
    invalid: 'Ungültiges Badge',
    wrong_event: 'Andere Veranstaltung',
    not_on_list: 'Nicht auf der Liste',
    capacity_full: 'Raum voll',
    left: 'Ausgang erfasst',
  },
  en: {
    admitted: 'Admitted',
    already_admitted: 'Already admitted',
    revoked: 'Badge revoked',
    invalid: 'Invalid badge',
    wrong_event: 'Other event',
    not_on_list: 'Not on the list',
    capacity_full: 'Room full',
    left: 'Exit recorded',
  },
};

/** A scan result's label; an unknown one (a newer server) as it is. */
export function scanResultLabel(lang: Lang, result: string): string {
  return SCAN_RESULT_LABELS[lang][result as ScanResult] ?? result;
}
