/** Every answer a scan can get (docs/API.md, "Scanning"). */
export type ScanResult =
  | 'admitted'
  | 'already_admitted'
  | 'revoked'
  | 'invalid'
  | 'wrong_event'
  | 'not_on_list'
  | 'capacity_full'
  | 'left';

/** Whether a scan lets someone in or records them leaving. */
export type Direction = 'in' | 'out';

/**
 * Why a scan got its answer, as a code a device words in its own language (the `message` beside it
 * is the server's English wording of the same thing). Each code belongs to one result.
 */
export const SCAN_REASONS = {
  /** admitted */
  welcome: 'admitted',
  welcome_back: 'admitted',
  /** admitted: this scan was first; a later offline admission elsewhere is flagged as duplicate */
  admitted_first: 'admitted',
  /** already_admitted */
  already_inside: 'already_admitted',
  /** already_admitted: an offline admission synchronised after someone else's; flagged */
  duplicate_offline: 'already_admitted',
  /** invalid */
  malformed: 'invalid',
  unknown_key: 'invalid',
  bad_signature: 'invalid',
  unknown_badge: 'invalid',
  /** invalid: the code of an attendance certificate (libs/tickets certificate-code.ts) */
  certificate: 'invalid',
  /** wrong_event */
  wrong_event: 'wrong_event',
  /** revoked */
  cancelled: 'revoked',
  erased: 'revoked',
  newer: 'revoked',
  /** revoked: signed with a key the organisers retired (leaked); a re-printed badge is needed */
  key_retired: 'revoked',
  /** not_on_list */
  not_on_list: 'not_on_list',
  /** capacity_full */
  capacity_full: 'capacity_full',
  /** left */
  left: 'left',
  left_not_inside: 'left',
} as const satisfies Record<string, ScanResult>;

export type ScanReason = keyof typeof SCAN_REASONS;

/** The person a scan is about, as a door may see them (never an email). */
export interface ScanAttendee {
  id: string;
  name: string;
  organisation: string | null;
  category: string;
}

/** The answer to a scan or a manual check-in (docs/API.md). */
export interface ScanAnswer {
  result: ScanResult;
  /** Why, as a code (see SCAN_REASONS); answers recorded before codes existed may lack it. */
  reason?: ScanReason;
  attendee?: ScanAttendee;
  firstScan?: { at: string; gate: string };
  /** Set when this scan is a duplicate admission found on synchronising an offline device. */
  flagged?: 'duplicate';
  message: string;
}
