/**
 * What check-in answers about an event's attendance (docs/API.md: GET …/attendance, its stream
 * GET …/attendance/stream, and GET …/attendance/not-arrived), as the organisers' pages read it.
 */
export interface Attendance {
  registered: number;
  checkedIn: number;
  onSite: number;
  byCategory: Record<string, { registered: number; checkedIn: number }>;
  byGate: Record<string, number>;
  sessions: SessionPresence[];
  /** 5-minute buckets, oldest first. */
  arrivals: { from: string; count: number }[];
  /** The newest entries of the check-in log, newest first. */
  latest: LatestScan[];
}

/** Who is in a session now, against its capacity. */
export interface SessionPresence {
  code: string;
  title: string;
  kind: string;
  capacity: number;
  present: number;
}

/** One entry of the check-in log. */
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

/** A registered person not admitted at the entrance yet. */
export interface NotArrivedPerson {
  id: string;
  name: string;
  firstName: string;
  lastName: string;
  organisation: string | null;
  category: string;
}

/** A page of GET …/attendance/not-arrived. */
export interface NotArrivedPage {
  items: NotArrivedPerson[];
  nextCursor: string | null;
  total: number;
}
