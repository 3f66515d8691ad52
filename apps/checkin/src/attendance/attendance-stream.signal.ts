import type { EntityManager } from 'typeorm';

/**
 * The PostgreSQL channel on which check-in says "the attendance of this event changed"; the
 * payload is the event's id.
 *
 * Every transaction that writes what attendance is counted from (scans, presence, attendees,
 * sessions) sends `pg_notify(ATTENDANCE_CHANNEL, event_id)` inside the transaction, folded into the
 * statement that writes: no extra round trip. NOTIFY is transactional, so listeners hear only
 * committed changes; PostgreSQL folds identical notifications of one transaction into one; and
 * every check-in instance connected to the database hears it.
 */
export const ATTENDANCE_CHANNEL = 'checkin_attendance';

/**
 * Signals a change of an event's attendance from inside the caller's transaction, as its own
 * statement (for writes that are not on the scan path).
 */
export async function signalAttendanceChange(
  manager: EntityManager,
  eventId: string,
): Promise<void> {
  await manager.query(`SELECT pg_notify($1, $2)`, [ATTENDANCE_CHANNEL, eventId]);
}
