import type { EntityManager } from 'typeorm';
import type { DoorPassage } from '@einlass/contracts';

/** What registration shows of an attendee's attendance (API: `attendance` on an attendee). */
export interface DoorAttendanceView {
  checkedInAt: string | null;
  onSite: boolean;
  sessionsAttended: string[];
}

export const NO_ATTENDANCE: DoorAttendanceView = {
  checkedInAt: null,
  onSite: false,
  sessionsAttended: [],
};

/**
 * Applies the door's news to registration's record of who came. Deliveries may arrive twice
 * (the consumer's inbox drops those) and out of order: the earliest admission is the first
 * check-in, and whether someone is inside follows the latest entrance scan by its time.
 */
export const DoorAttendance = {
  async checkedIn(manager: EntityManager, passage: DoorPassage): Promise<void> {
    if (passage.list !== 'main') {
      await manager.query(
        `INSERT INTO door_attendance (attendee_id, event_id, sessions_attended)
         VALUES ($1, $2, ARRAY[$3::text])
         ON CONFLICT (attendee_id) DO UPDATE
            SET sessions_attended = CASE WHEN $3 = ANY (door_attendance.sessions_attended)
                                         THEN door_attendance.sessions_attended
                                         ELSE door_attendance.sessions_attended || $3::text END`,
        [passage.attendeeId, passage.eventId, passage.list],
      );
      return;
    }
    await manager.query(
      `INSERT INTO door_attendance (attendee_id, event_id, first_checked_in_at, on_site, last_entrance_at)
       VALUES ($1, $2, $3, true, $3)
       ON CONFLICT (attendee_id) DO UPDATE
          SET first_checked_in_at = LEAST(door_attendance.first_checked_in_at, EXCLUDED.first_checked_in_at),
              on_site = CASE WHEN door_attendance.last_entrance_at IS NULL
                               OR EXCLUDED.last_entrance_at >= door_attendance.last_entrance_at
                             THEN true ELSE door_attendance.on_site END,
              last_entrance_at = GREATEST(door_attendance.last_entrance_at, EXCLUDED.last_entrance_at)`,
      [passage.attendeeId, passage.eventId, passage.at],
    );
  },

  async left(manager: EntityManager, passage: DoorPassage): Promise<void> {
    if (passage.list !== 'main') return;
    await manager.query(
      `INSERT INTO door_attendance (attendee_id, event_id, on_site, last_entrance_at)
       VALUES ($1, $2, false, $3)
       ON CONFLICT (attendee_id) DO UPDATE
          SET on_site = CASE WHEN door_attendance.last_entrance_at IS NULL
                               OR EXCLUDED.last_entrance_at >= door_attendance.last_entrance_at
                             THEN false ELSE door_attendance.on_site END,
              last_entrance_at = GREATEST(door_attendance.last_entrance_at, EXCLUDED.last_entrance_at)`,
      [passage.attendeeId, passage.eventId, passage.at],
    );
  },
};

/** The view from a door_attendance row (or none). */
export function doorAttendanceView(
  row: { first_checked_in_at: Date | null; on_site: boolean; sessions_attended: string[] } | null,
): DoorAttendanceView {
  if (!row) return NO_ATTENDANCE;
  return {
    checkedInAt: row.first_checked_in_at ? new Date(row.first_checked_in_at).toISOString() : null,
    onSite: row.on_site,
    sessionsAttended: row.sessions_attended,
  };
}
