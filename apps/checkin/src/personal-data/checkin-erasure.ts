import type { EntityManager } from 'typeorm';
import type { AttendeeSnapshot } from '@einlass/contracts';
import { markAttendanceChanged } from '../attendance/attendance-stream.signal';
import { ReadModelProjection } from '../read-model/read-model.projection';

const ANONYMISE = `title = NULL, first_name = '', last_name = '', organisation = NULL,
  external_id = NULL, erased_at = coalesce(erased_at, now())`;

/** The door's answers in the check-in log keep the attendee's id and category, not the name. */
const STRIP_ANSWERS = `answer = jsonb_set(answer, '{attendee}', (answer->'attendee') - 'name' - 'organisation')`;

/**
 * Erasure on check-in's side, in the caller's transaction (an event's in batches: CheckinRetention): the door's list keeps each row (id,
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

  /**
   * A batch of an event's attendees (retention), those not erased yet, with their answers in the
   * check-in log (in the same transaction: an erased person's log holds no name).
   */
  async attendees(
    manager: EntityManager,
    eventId: string,
    ids: string[],
  ): Promise<{ attendees: number; scans: number }> {
    const [, attendees] = await manager.query<[unknown, number]>(
      `UPDATE attendees SET ${ANONYMISE}
        WHERE event_id = $1 AND id = ANY($2::uuid[]) AND erased_at IS NULL`,
      [eventId, ids],
    );
    const [, scans] = await manager.query<[unknown, number]>(
      `UPDATE scans SET ${STRIP_ANSWERS}
        WHERE event_id = $1 AND attendee_id = ANY($2::uuid[]) AND answer->'attendee' ? 'name'`,
      [eventId, ids],
    );
    return { attendees, scans };
  },

  /** The event's attendees whose data is not erased yet. */
  async notErased(manager: EntityManager, eventId: string): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM attendees WHERE event_id = $1 AND erased_at IS NULL ORDER BY id`,
      [eventId],
    );
    return rows.map((row) => row.id);
  },

  /**
   * One step of a walk over the event's check-in log (in the order of its index): the answers
   * after `afterId` that still show a name (scanned after the person's erasure, or of someone the
   * batches did not meet) are stripped. Answers where the next step starts (null: done).
   */
  async logRange(
    manager: EntityManager,
    eventId: string,
    afterId: string | null,
    limit: number,
  ): Promise<{ next: string | null; count: number }> {
    const [row] = await manager.query<{ last: string | null; count: number }[]>(
      `WITH range AS (
              SELECT id FROM scans WHERE event_id = $1 AND id > $2 ORDER BY id LIMIT $3),
            stripped AS (
              UPDATE scans SET ${STRIP_ANSWERS} FROM range
               WHERE scans.id = range.id AND answer->'attendee' ? 'name' RETURNING 1)
       SELECT (SELECT max(id)::text FROM range) AS last, (SELECT count(*)::int FROM stripped) AS count`,
      [eventId, afterId ?? '0', limit],
    );
    return { next: row?.last ?? null, count: row?.count ?? 0 };
  },

  /** Once every batch is done: the event's data counts as erased. */
  async finished(manager: EntityManager, eventId: string): Promise<void> {
    await manager.query(
      `UPDATE events SET personal_data_erased_at = coalesce(personal_data_erased_at, now())
        WHERE id = $1`,
      [eventId],
    );
    markAttendanceChanged(manager, eventId);
  },
};
