import type { Category } from '../categories';
import type { ScanReason, ScanResult } from './scan-answer';

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

/** Why a scan got its answer (its reason code, see SCAN_REASONS), worded for the door and the desk. */
export interface ScanReasonWords extends Record<
  Exclude<ScanReason, 'not_on_list' | 'capacity_full'>,
  string
> {
  not_on_list: (list: string) => string;
  capacity_full: (list: string, capacity: number) => string;
}

export const SCAN_REASON_LABELS: Record<Lang, ScanReasonWords> = {
  en: {
    malformed: 'Not a badge of this system (unreadable or damaged code)',
    unknown_key: 'Not a genuine badge: signed with an unknown key',
    bad_signature: 'Not a genuine badge: the signature does not match (forged or altered)',
    unknown_badge: 'Badge not known to check-in (yet); ask the desk',
    certificate: 'An attendance certificate, not a badge: it never opens a door',
    wrong_event: 'This badge is for another event',
    cancelled: 'Registration cancelled: this badge is no longer valid',
    newer: 'A newer badge exists for this person: this one is no longer valid',
    erased: 'Personal data erased: this badge is no longer valid',
    key_retired:
      'Signed with a retired key: this badge is no longer valid; a re-printed badge is needed',
    not_on_list: (code: string) => `Not signed up for workshop ${code}`,
    capacity_full: (code: string, capacity: number) =>
      `Session ${code} is full (${capacity} places)`,
    welcome: 'Welcome',
    welcome_back: 'Welcome back',
    admitted_first: 'Admitted first here; a later admission elsewhere is flagged as a duplicate',
    already_inside: 'Already checked in',
    duplicate_offline: 'Already checked in; this offline admission is flagged as a duplicate',
    left: 'Exit recorded',
    left_not_inside: 'Exit recorded, but this person was not checked in here',
  },
  de: {
    malformed: 'Kein Badge dieses Systems (Code unlesbar oder beschädigt)',
    unknown_key: 'Kein echtes Badge: mit unbekanntem Schlüssel signiert',
    bad_signature: 'Kein echtes Badge: die Signatur passt nicht (gefälscht oder verändert)',
    unknown_badge: 'Badge dem Check-in (noch) nicht bekannt; bitte an den Counter',
    certificate: 'Eine Teilnahmebescheinigung, kein Badge: sie öffnet keine Tür',
    wrong_event: 'Dieses Badge gilt für eine andere Veranstaltung',
    cancelled: 'Anmeldung storniert: dieses Badge ist nicht mehr gültig',
    newer: 'Für diese Person gibt es ein neueres Badge: dieses ist nicht mehr gültig',
    erased: 'Personendaten gelöscht: dieses Badge ist nicht mehr gültig',
    key_retired:
      'Mit einem zurückgezogenen Schlüssel signiert: dieses Badge ist nicht mehr gültig; ein neu gedrucktes Badge ist nötig',
    not_on_list: (code: string) => `Nicht für Workshop ${code} angemeldet`,
    capacity_full: (code: string, capacity: number) => `${code} ist voll (${capacity} Plätze)`,
    welcome: 'Willkommen',
    welcome_back: 'Willkommen zurück',
    admitted_first:
      'Hier zuerst eingelassen; der spätere Einlass anderswo ist als doppelt markiert',
    already_inside: 'Schon eingecheckt',
    duplicate_offline: 'Schon eingecheckt; dieser Offline-Einlass ist als doppelt markiert',
    left: 'Ausgang erfasst',
    left_not_inside: 'Ausgang erfasst, aber die Person war hier nicht eingecheckt',
  },
};
