import type { DataSource, EntityManager } from 'typeorm';
import {
  AnyEventEnvelope,
  parseEnvelope,
  REPLAY_BATCH_JOB,
  replayBatchMessages,
} from '@einlass/contracts';
import { observeConsumerLag } from '@einlass/metrics';

/**
 * The body of every queue consumer: validates the job's data against the contract, then runs
 * `handle` in one transaction together with the inbox row that makes a redelivery a no-op.
 * Errors propagate, so BullMQ retries the job and keeps it in its failed list if it never succeeds.
 */
export async function consumeOnce(
  dataSource: DataSource,
  data: unknown,
  handle: (envelope: AnyEventEnvelope, manager: EntityManager) => Promise<void>,
): Promise<boolean> {
  const envelope = parseEnvelope(data);
  const processed = await dataSource.transaction((manager) =>
    processOnce(manager, envelope.messageId, () => handle(envelope, manager)),
  );
  if (processed) observeConsumerLag(envelope.type, envelope.occurredAt);
  return processed;
}

/**
 * The messages of a job that this consumer has not processed yet, in order. A job carries one
 * message, or, after Redis lost data, a replay batch of many (REPLAY_BATCH_JOB): of those, the ones
 * already in the inbox are left out with one query, so a replay of what the consumer mostly has
 * costs one query per batch. Each message returned still goes through consumeOnce (the inbox
 * decides, in its transaction, should it have come meanwhile by another way).
 */
export async function messagesToConsume(
  dataSource: DataSource,
  job: { name: string; data: unknown },
): Promise<unknown[]> {
  if (job.name !== REPLAY_BATCH_JOB) return [job.data];
  const messages = replayBatchMessages(job.data);
  const processed: { message_id: string }[] = await dataSource.query(
    `SELECT message_id FROM inbox WHERE message_id = ANY($1::text[])`,
    [messages.map((message) => message.messageId)],
  );
  const known = new Set(processed.map((row) => row.message_id));
  return messages.filter((message) => !known.has(message.messageId));
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
