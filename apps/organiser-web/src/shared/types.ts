/** What the organisers' pages read from the three services (docs/API.md). */

import {
  CATEGORIES,
  type Category,
  type FileJobView,
  type ScanAnswer,
  type ScanResult,
} from '@einlass/contracts';

// the shapes the services and the pages share live in libs/contracts
export { CATEGORIES };
export type { Category, ScanAnswer, ScanResult };

/** registration: an attendee as organisers see it (with email). */
export interface Attendee {
  id: string;
  externalId: string | null;
  title: string | null;
  firstName: string;
  lastName: string;
  email?: string | null;
  organisation: string | null;
  category: Category;
  /** Workshops the person has a place in. */
  sessions: string[];
  /** Workshops the person waits for. */
  waitlist: string[];
  status: 'registered' | 'cancelled';
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface AttendeePage {
  items: Attendee[];
  nextCursor: string | null;
  /** How many match the filters in all, not only on this page. */
  total: number;
}

/** registration: the programme, with places taken and people waiting. */
export interface ProgrammeSession {
  id: string;
  code: string;
  title: string;
  room: string | null;
  startsAt: string;
  endsAt: string;
  capacity: number;
  kind: 'talk' | 'workshop';
  signedUp: number;
  waiting: number;
}

export interface SignupPerson {
  attendeeId: string;
  firstName: string;
  lastName: string;
  organisation: string | null;
  signedUpAt: string;
  position?: number;
}

export interface SessionSignups extends Omit<ProgrammeSession, 'signedUp' | 'waiting'> {
  confirmed: SignupPerson[];
  waiting: SignupPerson[];
}

/**
 * One reason an import refused a row or a file (API.md, Extensions): a stable code with the
 * parameters its words need (`field`, `value` as written, `max`, `firstLine`, `codes`, …).
 * Loosely typed on purpose: a newer server may send codes this page does not know yet.
 */
export interface ImportProblem {
  code: string;
  field?: string;
  value?: string;
  [param: string]: unknown;
}

export interface RejectedImportRow {
  line: number;
  /** The server's English sentence, always there. */
  reason: string;
  /** Absent from servers older than the problem codes. */
  problems?: ImportProblem[];
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  /** The first 1,000 rejected rows. */
  rejected: RejectedImportRow[];
  /** How many rows were rejected in all. */
  rejectedCount?: number;
}

/** badges */
export interface BadgeState {
  status: 'pending' | 'issued' | 'revoked';
  qr: string | null;
  version: number | null;
  issuedAt: string | null;
}

export const LAYOUTS = ['a4-4up', 'a4-2up', 'a6'] as const;
export type Layout = (typeof LAYOUTS)[number];
export const SORTS = ['lastName', 'organisation', 'category'] as const;
export type Sort = (typeof SORTS)[number];

/** GET /api/print-jobs/:id: a file job (shared/file-jobs.tsx) and what it prints. */
export interface PrintJob extends FileJobView {
  layout: Layout;
  sort: Sort;
  /** What was asked for printing ({} for every issued badge). */
  filter: PrintFilter;
}

export interface PrintFilter {
  categories?: Category[];
  sessions?: string[];
  ids?: string[];
  onlyUnprinted?: boolean;
}

/** checkin */
export interface CheckinLogItem {
  id: string;
  at: string;
  scannedAt: string | null;
  gate: string;
  list: string;
  device: string;
  direction: 'in' | 'out';
  result: ScanResult;
  message: string;
  flag: string | null;
  attendee: { id: string; name: string } | null;
}

export interface DoorSettings {
  gates: string[];
  devicesHoldNames: boolean;
  /** Door tokens may re-issue and print a badge at the door (absent from older services). */
  devicesMayPrint?: boolean;
}

export const fullName = (a: Pick<Attendee, 'title' | 'firstName' | 'lastName'>) =>
  [a.title, a.firstName, a.lastName].filter(Boolean).join(' ');

export const eventPath = (slug: string, rest = '') =>
  `/api/events/${encodeURIComponent(slug)}${rest}`;

/** A workshop's title without the programme's "Workshop:" in front (the list says so already). */
export const shortTitle = (title: string) => title.replace(/^\s*workshop\s*:\s*/i, '');
