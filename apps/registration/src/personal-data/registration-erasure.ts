import type { EntityManager } from 'typeorm';
import { redactOutbox, type RedactedMessage } from '@einlass/database';

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
 * outbox messages that carried it are redacted. Returns those messages: their copies in Redis are
 * scrubbed once the transaction has committed (QueuedCopies).
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

  /** Everyone of an event not erased yet (retention). Returns how many and the messages. */
  async event(
    manager: EntityManager,
    eventId: string,
  ): Promise<{ attendees: number; messages: RedactedMessage[] }> {
    const [, attendees] = await manager.query<[unknown, number]>(
      `UPDATE attendees SET ${ANONYMISE} WHERE event_id = $1 AND erased_at IS NULL`,
      [eventId],
    );
    const messages = await redactOutbox(manager, 'registration', { eventId });
    await manager.query(
      `UPDATE events SET personal_data_erased_at = coalesce(personal_data_erased_at, now())
        WHERE id = $1`,
      [eventId],
    );
    return { attendees, messages };
  },
};
