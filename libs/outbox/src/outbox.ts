import { EventEmitter } from 'node:events';
import {
  EntitySubscriberInterface,
  EventSubscriber,
  TransactionCommitEvent,
  type EntityManager,
} from 'typeorm';
import { EVENT_ROUTES, EventPayload, EventType, QueueName } from '@einlass/contracts';
import type { Statement } from '@einlass/database';

/** Emits `committed` when a transaction that wrote to the outbox has committed (in this process). */
export const outboxCommits = new EventEmitter();

const OUTBOX_WRITTEN = 'einlassOutboxWritten';

/**
 * Tells the relay the moment a transaction with outbox rows commits, so messages leave within
 * milliseconds; the relay's polling covers rows written by other processes.
 * (A NOTIFY inside the transaction would do the same across processes, but PostgreSQL holds a
 * global lock from NOTIFY until the commit is flushed, which serialises every registration.)
 */
@EventSubscriber()
export class OutboxCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as Record<string, unknown>;
    if (data[OUTBOX_WRITTEN]) {
      data[OUTBOX_WRITTEN] = false;
      outboxCommits.emit('committed');
    }
  }

  afterTransactionRollback(event: TransactionCommitEvent): void {
    (event.queryRunner.data as Record<string, unknown>)[OUTBOX_WRITTEN] = false;
  }
}

/**
 * Writes an event to the outbox, naming its consumer queues (EVENT_ROUTES). Must be given the
 * EntityManager of the transaction that writes the data: that is what makes the two atomic.
 */
export async function writeToOutbox<T extends EventType>(
  manager: EntityManager,
  type: T,
  payload: EventPayload<T>,
): Promise<void> {
  await writeManyToOutbox(manager, type, [payload]);
}

/** Writes many events of one type at once (imports): one statement, one row per consumer each. */
export async function writeManyToOutbox<T extends EventType>(
  manager: EntityManager,
  type: T,
  payloads: EventPayload<T>[],
): Promise<void> {
  willWriteToOutbox(manager, type);
  if (payloads.length === 0) return;
  const { sql, parameters } = outboxInsert(type, payloads);
  await manager.query(sql, parameters);
}

/**
 * Writes messages of `type` for one named queue only, not the type's usual consumers: the answers
 * of the reconciliation (a summary for the consumer that asked, a replay for the one missing it).
 */
export async function writeAddressedToOutbox<T extends EventType>(
  manager: EntityManager,
  type: T,
  payloads: EventPayload<T>[],
  queue: QueueName,
): Promise<void> {
  willWriteToOutbox(manager, type);
  if (payloads.length === 0) return;
  await manager.query(
    `INSERT INTO outbox (queues, type, payload)
     SELECT $1, $2, payload FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS p(payload, n) ORDER BY n`,
    [[queue], type, JSON.stringify(payloads)],
  );
}

/**
 * Checks that `manager` is in a transaction (what makes data and events atomic) and has the relay
 * look for messages the moment it commits. Called by the writers above; callers that send
 * `outboxInsert` statements themselves (runOverlapped) call it first.
 */
export function willWriteToOutbox(manager: EntityManager, type: EventType): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    throw new Error(`writeToOutbox(${type}) needs the EntityManager of an open transaction`);
  }
  (runner.data as Record<string, unknown>)[OUTBOX_WRITTEN] = true;
}

/**
 * Has the relay look for messages now: for a statement that wrote outbox rows together with its
 * data on its own, outside a transaction of TypeORM's (one statement is its own transaction in
 * PostgreSQL, so data and messages are still written atomically), once it has run.
 */
export function outboxWritten(): void {
  outboxCommits.emit('committed');
}

/** The statement that writes `payloads` as events of `type`, one row each. */
export function outboxInsert<T extends EventType>(type: T, payloads: EventPayload<T>[]): Statement {
  return {
    // One JSON array rather than a jsonb[] parameter: far cheaper to send and parse in bulk.
    sql: `INSERT INTO outbox (queues, type, payload)
     SELECT $1, $2, payload FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS p(payload, n) ORDER BY n`,
    parameters: [EVENT_ROUTES[type], type, JSON.stringify(payloads)],
  };
}

/** The outbox and inbox tables, for each service's first migration (see also OutboxMessageId). */
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
