import type { AttendanceRule } from '@einlass/contracts';
import type { CertifiedSession } from './certificate.entity';

/**
 * Which sessions a certificate lists, for sessions without a door list (nobody was scanned at
 * their door), as the organiser chooses:
 * - `door_lists`: only sessions the person was admitted to at the session's door;
 * - `talks_on_days_entered`: those, and every talk without a door list held on a day the person
 *   was admitted anywhere (the entrance or a session).
 * Workshops always need an admission at their door.
 */
export { ATTENDANCE_RULES, type AttendanceRule } from '@einlass/contracts';

export interface ProgrammeSession {
  code: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  kind: 'talk' | 'workshop';
}

/** A door admission: `main` (the entrance) or a session code, and when. */
export interface Admission {
  list: string;
  at: Date;
}

export interface AttendanceFacts {
  programme: ProgrammeSession[];
  /** Session codes that have a door list: someone was admitted at their door. */
  sessionsWithDoorList: ReadonlySet<string>;
  /** The person's admissions. */
  admissions: Admission[];
  /** The event's time zone: what "a day" is. */
  timezone: string;
  rule: AttendanceRule;
}

/** The calendar day of a moment in a time zone, as YYYY-MM-DD. */
export function dayIn(timezone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** The sessions the person attended under the rule, in programme order. */
export function attendedSessions(facts: AttendanceFacts): CertifiedSession[] {
  const admittedTo = new Set(facts.admissions.map((admission) => admission.list));
  const daysEntered = new Set(facts.admissions.map((a) => dayIn(facts.timezone, a.at)));
  const counts = (session: ProgrammeSession) => {
    if (admittedTo.has(session.code)) return true;
    if (facts.rule !== 'talks_on_days_entered') return false;
    return (
      session.kind === 'talk' &&
      !facts.sessionsWithDoorList.has(session.code) &&
      daysEntered.has(dayIn(facts.timezone, session.startsAt))
    );
  };
  return facts.programme
    .filter(counts)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.code.localeCompare(b.code))
    .map((session) => ({
      code: session.code,
      title: session.title,
      startsAt: session.startsAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
    }));
}
