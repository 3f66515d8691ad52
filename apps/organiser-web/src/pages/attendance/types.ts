/** What check-in answers about an event's attendance (API.md: GET …/attendance and …/stream). */
export interface Attendance {
  registered: number;
  checkedIn: number;
  onSite: number;
  byCategory: Record<string, { registered: number; checkedIn: number }>;
  byGate: Record<string, number>;
  sessions: SessionPresence[];
  /** 5-minute buckets, oldest first. */
  arrivals: { from: string; count: number }[];
  /** The latest scans, newest first (absent from older servers). */
  latest?: LatestScan[];
}

export interface SessionPresence {
  code: string;
  title?: string;
  kind?: string;
  capacity: number;
  present: number;
}

export interface LatestScan {
  id: string;
  at: string;
  gate: string;
  list: string;
  direction: string;
  result: string;
  flag: string | null;
  attendee: { id: string; name: string } | null;
}

/** A session as registration lists it (GET …/sessions). */
export interface ProgrammeSession {
  code: string;
  title: string;
  room: string | null;
  startsAt: string;
  endsAt: string;
  capacity: number;
  kind: string;
  signedUp: number;
  waiting: number;
}

/** A registered person not admitted at the entrance yet (GET …/attendance/not-arrived). */
export interface NotArrivedPerson {
  id: string;
  name: string;
  firstName: string;
  lastName: string;
  organisation: string | null;
  category: string;
}

export interface NotArrivedPage {
  items: NotArrivedPerson[];
  nextCursor: string | null;
  total: number;
}
