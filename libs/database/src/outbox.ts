import type { EntityManager } from 'typeorm';
import { EVENT_ROUTES, EventPayload, EventType } from '@einlass/contracts';

/**
 * The channel a committed outbox write notifies, so relays publish at once instead of polling.
 * One per schema: a service's relay is woken only by its own writes.
 */
export const outboxChannel = (schema: string) => `einlass_outbox_${schema}`;

/**
 * Writes an event to the outbox, one row per consumer queue (EVENT_ROUTES). Must be given the
 * EntityManager of the transaction that writes the data: that is what makes the two atomic.
 * The NOTIFY is delivered by PostgreSQL only when (and if) that transaction commits.
 */
export async function writeToOutbox<T extends EventType>(
  manager: EntityManager,
  type: T,
  payload: EventPayload<T>,
): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`writeToOutbox(${type}) needs the EntityManager of an open transaction`);
  }
  const queues = EVENT_ROUTES[type];
  await manager.query(
    `INSERT INTO outbox (queue, type, payload)
     SELECT queue, $2, $3::jsonb FROM unnest($1::text[]) AS queue`,
    [queues, type, JSON.stringify(payload)],
  );
  await manager.query(`SELECT pg_notify('einlass_outbox_' || current_schema(), '')`);
}

/**
 * Runs `handle` once per message id: records the id in the inbox within the same transaction, and
 * skips the work when the id is already there (a redelivery). Returns whether it ran.
 */
export async function processOnce(
  manager: EntityManager,
  messageId: string,
  handle: () => Promise<void>,
): Promise<boolean> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('processOnce needs the EntityManager of an open transaction');
  }
  const inserted: unknown[] = await manager.query(
    `INSERT INTO inbox (message_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING message_id`,
    [messageId],
  );
  if (inserted.length === 0) return false;
  await handle();
  return true;
}

/** The outbox and inbox tables, for each service's first migration. */
export const OUTBOX_AND_INBOX_DDL = [
  `CREATE TABLE outbox (
     id bigserial PRIMARY KEY,
     queue text NOT NULL,
     type text NOT NULL,
     payload jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     sent_at timestamptz
   )`,
  `CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL`,
  `CREATE TABLE inbox (
     message_id text PRIMARY KEY,
     processed_at timestamptz NOT NULL DEFAULT now()
   )`,
];
