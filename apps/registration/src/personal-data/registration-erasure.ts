import type { EntityManager } from 'typeorm';
import { redactOutbox, type RedactedMessage } from '@einlass/outbox';

/** The columns of an attendee that hold personal data; erasure empties each (DATENSCHUTZ.md). */
export const ERASED_ATTENDEE_FIELDS = [
  'externalId',
  'title',
  'firstName',
  'lastName',
  'email',
  'organisation',
] as const;

const ANONYMISE = `external_id = NULL, title = NULL, first_name = '', last_name = '', email = NULL,
  organisation = NULL, search_text = '', sort_name = '', erased_at = now(), updated_at = now()`;

/**
 * Erasure on registration's side, in the caller's transaction. A row stays (its id, category and
 * status keep the counts right, the door's attendance stays attached), its personal data goes; the
 * outbox messages that carried it are redacted. One person's erasure returns those messages: their
 * copies in Redis are scrubbed once the transaction has committed (QueuedCopies). An event's goes
 * in batches (RegistrationRetention).
 */
export const RegistrationErasure = {
  /** One person (Art. 17): a new revision, so no late message can bring the data back. */
  async attendee(manager: EntityManager, attendeeId: string): Promise<RedactedMessage[]> {
    await manager.query(
      `UPDATE attendees SET ${ANONYMISE}, revision = revision + 1 WHERE id = $1 AND erased_at IS NULL`,
      [attendeeId],
    );
    return redactOutbox(manager, 'registration', { attendeeIds: [attendeeId] });
  },

  /**
   * A batch of an event's attendees (retention), those not erased yet; answers how many. The
   * outbox messages that carried them are redacted in a walk of their own (redactEventOutbox).
   */
  async attendees(manager: EntityManager, eventId: string, ids: string[]): Promise<number> {
    const [, count] = await manager.query<[unknown, number]>(
      `UPDATE attendees SET ${ANONYMISE}
        WHERE event_id = $1 AND id = ANY($2::uuid[]) AND erased_at IS NULL`,
      [eventId, ids],
    );
    return count;
  },

  /** The event's attendees whose data is not erased yet. */
  async notErased(manager: EntityManager, eventId: string): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM attendees WHERE event_id = $1 AND erased_at IS NULL ORDER BY id`,
      [eventId],
    );
    return rows.map((row) => row.id);
  },

  /** Once every batch is done: the event's data counts as erased. */
  async finished(manager: EntityManager, eventId: string): Promise<void> {
    await manager.query(
      `UPDATE events SET personal_data_erased_at = coalesce(personal_data_erased_at, now())
        WHERE id = $1`,
      [eventId],
    );
  },
};
