import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventType, QueueName } from '@einlass/contracts';
import type { ErasureBatches } from '@einlass/database';
import type { QueuedCopies } from '@einlass/messaging';
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
   * The BullMQ job ids its copies may have: `<origin>-<message id>`, and `…-r<n>` for each time it
   * was republished after Redis lost data (redis-mark.ts).
   */
  jobIds: string[];
  /** The replay batch that carried it when it was last republished (outbox.job_id), if any. */
  batchJobId: string | null;
  queues: QueueName[];
  /** Whether the relay published it (copies exist in Redis) or it still waits in the outbox. */
  sent: boolean;
  /** The message as it travels now, redacted. */
  envelope: EventEnvelope;
}

/**
 * Erasure in the outbox: rewrites every message carrying an attendee snapshot of the given people
 * so it holds no name, organisation, title or external id any more. Rows are rewritten, not
 * deleted, so a message still waiting is delivered (without the data) and a replay of the outbox
 * stays complete. Returns the messages changed, for their copies in Redis. (An event's erasure
 * walks the outbox in steps instead: redactOutboxRange.)
 */
export async function redactOutbox(
  manager: EntityManager,
  origin: string,
  scope: { attendeeIds: string[] },
): Promise<RedactedMessage[]> {
  return redact(manager, origin, `payload->'attendee'->>'id' = ANY($2::text[])`, [
    scope.attendeeIds,
  ]);
}

/**
 * One step of an event's erasure in the outbox: the next `limit` rows after `afterId` (in the
 * order of the primary key, whatever their event: one walk over the outbox in all, never a scan
 * per step) are looked at, and those of the event that carry an attendee snapshot are redacted,
 * in one statement. Answers where the next step starts (null: the outbox is walked) and the
 * messages changed.
 */
export async function redactOutboxRange(
  manager: EntityManager,
  origin: string,
  eventId: string,
  afterId: string,
  limit: number,
): Promise<{ nextAfterId: string | null; messages: RedactedMessage[] }> {
  // One row per message changed, each with the range's end; one row of nulls beside it if none.
  const rows = await manager.query<(Partial<OutboxRow> & { last: string | null })[]>(
    `WITH range AS (SELECT id FROM outbox WHERE id > $3 ORDER BY id LIMIT $4),
          changed AS (
            UPDATE outbox o
               SET payload = jsonb_set(o.payload, '{attendee}', (o.payload->'attendee') || $1::jsonb)
              FROM range
             WHERE o.id = range.id AND o.payload ? 'attendee' AND o.payload->'event'->>'id' = $2
               AND ((o.payload->'attendee') || $1::jsonb) IS DISTINCT FROM (o.payload->'attendee')
            RETURNING ${RETURNED.map((column) => `o.${column}`).join(', ')})
     SELECT (SELECT max(id)::text FROM range) AS last, changed.*
       FROM (VALUES (1)) AS one LEFT JOIN changed ON true`,
    [JSON.stringify(ERASED_FIELDS), eventId, afterId, limit],
  );
  return {
    nextAfterId: rows[0]?.last ?? null,
    messages: rows
      .filter((row): row is OutboxRow & { last: string } => row.message_id != null)
      .map((row) => redactedMessage(origin, row)),
  };
}

/** What the redaction reads back of each message it changed. */
interface OutboxRow {
  message_id: string;
  queues: QueueName[];
  type: EventType;
  payload: EventEnvelope['payload'];
  created_at: Date;
  sent_at: Date | null;
  republished: number;
  job_id: string | null;
}
const RETURNED = [
  'message_id',
  'queues',
  'type',
  'payload',
  'created_at',
  'sent_at',
  'republished',
  'job_id',
] as const satisfies readonly (keyof OutboxRow)[];

async function redact(
  manager: EntityManager,
  origin: string,
  condition: string,
  parameters: unknown[],
): Promise<RedactedMessage[]> {
  // An UPDATE … RETURNING answers [rows, count].
  const [rows]: [OutboxRow[], number] = await manager.query(
    `UPDATE outbox
        SET payload = jsonb_set(payload, '{attendee}', (payload->'attendee') || $1::jsonb)
      WHERE payload ? 'attendee' AND ${condition}
        AND ((payload->'attendee') || $1::jsonb) IS DISTINCT FROM (payload->'attendee')
      RETURNING ${RETURNED.join(', ')}`,
    [JSON.stringify(ERASED_FIELDS), ...parameters],
  );
  return rows.map((row) => redactedMessage(origin, row));
}

function redactedMessage(origin: string, row: OutboxRow): RedactedMessage {
  return {
    jobIds: Array.from({ length: row.republished + 1 }, (_, r) =>
      jobIdFor(origin, row.message_id, r),
    ),
    batchJobId: row.job_id,
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
}

/** Outbox rows looked at per step of the walk (most belong to other events or carry no one). */
const OUTBOX_RANGE_FACTOR = 4;

/**
 * An event's erasure in the outbox: the messages of the event that carried an attendee snapshot,
 * redacted in one walk over the outbox, in the batches (and pauses) of the erasure; the copies in
 * Redis of each step's messages are scrubbed before the step commits, so a crash in between leaves
 * them unredacted in the outbox, and the next round scrubs again.
 */
export async function redactEventOutbox(
  batches: ErasureBatches,
  origin: string,
  eventId: string,
  copies: QueuedCopies,
): Promise<{ messages: number; removed: number; rewritten: number }> {
  const counts = { messages: 0, removed: 0, rewritten: 0 };
  await batches.walk(async (manager, after) => {
    const { nextAfterId, messages } = await redactOutboxRange(
      manager,
      origin,
      eventId,
      after ?? '0',
      batches.pace.batchSize * OUTBOX_RANGE_FACTOR,
    );
    const scrubbed = await copies.scrub(
      messages.filter((m) => m.sent),
      { quiet: true },
    );
    counts.messages += messages.length;
    counts.removed += scrubbed.removed;
    counts.rewritten += scrubbed.rewritten;
    return { next: nextAfterId, count: messages.length };
  });
  return counts;
}
