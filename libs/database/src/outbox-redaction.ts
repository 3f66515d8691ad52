import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventType, QueueName } from '@einlass/contracts';
import { jobIdFor } from './redis-mark';

/** What an erased person's snapshot holds in place of their data (see erasedAttendeeSnapshot). */
const ERASED_FIELDS = {
  externalId: null,
  title: null,
  firstName: '',
  lastName: '',
  organisation: null,
};

/** An outbox message whose attendee snapshot was just redacted: where its copies in Redis are. */
export interface RedactedMessage {
  /**
   * The BullMQ job id of every copy: `<origin>-<message id>` (`-r<n>` when republished), or the
   * id of the replay batch that carried it (then `batched`, and the message is one of its many).
   */
  jobId: string;
  batched: boolean;
  queues: QueueName[];
  /** Whether the relay published it (copies exist in Redis) or it still waits in the outbox. */
  sent: boolean;
  /** The message as it travels now, redacted. */
  envelope: EventEnvelope;
}

/**
 * Erasure in the outbox: rewrites every message carrying an attendee snapshot of the given people
 * (or of everyone in an event) so it holds no name, organisation, title or external id any more.
 * Rows are rewritten, not deleted, so a message still waiting is delivered (without the data) and
 * a replay of the outbox stays complete. Returns the messages changed, for their copies in Redis.
 */
export async function redactOutbox(
  manager: EntityManager,
  origin: string,
  scope: { attendeeIds: string[] } | { eventId: string },
): Promise<RedactedMessage[]> {
  const [condition, parameter] =
    'eventId' in scope
      ? [`payload->'event'->>'id' = $2`, scope.eventId]
      : [`payload->'attendee'->>'id' = ANY($2::text[])`, scope.attendeeIds];
  // An UPDATE … RETURNING answers [rows, count].
  const [rows]: [
    {
      message_id: string;
      queues: QueueName[];
      type: EventType;
      payload: EventEnvelope['payload'];
      created_at: Date;
      sent_at: Date | null;
      republished: number;
      job_id: string | null;
    }[],
    number,
  ] = await manager.query(
    `UPDATE outbox
        SET payload = jsonb_set(payload, '{attendee}', (payload->'attendee') || $1::jsonb)
      WHERE payload ? 'attendee' AND ${condition}
        AND ((payload->'attendee') || $1::jsonb) IS DISTINCT FROM (payload->'attendee')
      RETURNING message_id, queues, type, payload, created_at, sent_at, republished, job_id`,
    [JSON.stringify(ERASED_FIELDS), parameter],
  );
  return rows.map((row) => {
    return {
      jobId: row.job_id ?? jobIdFor(origin, row.message_id, row.republished),
      batched: row.job_id !== null,
      queues: row.queues,
      sent: row.sent_at !== null,
      envelope: {
        messageId: `${origin}-${row.message_id}`,
        type: row.type,
        schemaVersion: 1,
        occurredAt: new Date(row.created_at).toISOString(),
        payload: row.payload,
      },
    };
  });
}
