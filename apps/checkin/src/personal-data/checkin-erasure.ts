import type { EntityManager } from 'typeorm';
import type { AttendeeSnapshot } from '@einlass/contracts';
import { markAttendanceChanged } from '../attendance/attendance-stream.signal';
import { ReadModelProjection } from '../read-model/read-model.projection';

const ANONYMISE = `title = NULL, first_name = '', last_name = '', organisation = NULL,
  external_id = NULL, erased_at = coalesce(erased_at, now())`;

/** The door's answers in the check-in log keep the attendee's id and category, not the name. */
const STRIP_ANSWERS = `answer = jsonb_set(answer, '{attendee}', (answer->'attendee') - 'name' - 'organisation')`;

/**
 * Erasure on check-in's side, in the caller's transaction: the door's list keeps each row (id,
 * category, status, lists: the counts stay) without names, organisation or external id, and the
 * check-in log keeps times, gates, lists and results without the names its answers showed. The
 * badge then answers `revoked`. Check-in's outbox (door passages) holds no personal data.
 */
export const CheckinErasure = {
  /** One person (attendee.erased): `erased` is their snapshot without data, the next revision. */
  async attendee(manager: EntityManager, erased: AttendeeSnapshot): Promise<void> {
    // Inserts the row if the erasure overtook the registration: no older message can add it later.
    await ReadModelProjection.attendee(manager, erased);
    await manager.query(`UPDATE attendees SET ${ANONYMISE} WHERE id = $1`, [erased.id]);
    await manager.query(
      `UPDATE scans SET ${STRIP_ANSWERS}
        WHERE event_id = $1 AND attendee_id = $2 AND answer->'attendee' ? 'name'`,
      [erased.eventId, erased.id],
    );
    markAttendanceChanged(manager, erased.eventId);
  },

  /** Everyone of an event not erased yet (retention). */
  async event(
    manager: EntityManager,
    eventId: string,
  ): Promise<{ attendees: number; scans: number }> {
    const [, attendees] = await manager.query<[unknown, number]>(
      `UPDATE attendees SET ${ANONYMISE} WHERE event_id = $1 AND erased_at IS NULL`,
      [eventId],
    );
    const [, scans] = await manager.query<[unknown, number]>(
      `UPDATE scans SET ${STRIP_ANSWERS} WHERE event_id = $1 AND answer->'attendee' ? 'name'`,
      [eventId],
    );
    await manager.query(
      `UPDATE events SET personal_data_erased_at = coalesce(personal_data_erased_at, now())
        WHERE id = $1`,
      [eventId],
    );
    markAttendanceChanged(manager, eventId);
    return { attendees, scans };
  },
};
