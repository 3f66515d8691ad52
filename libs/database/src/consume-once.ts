import type { DataSource, EntityManager } from 'typeorm';
import { AnyEventEnvelope, parseEnvelope } from '@einlass/contracts';
import { processOnce } from './outbox';

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
  return dataSource.transaction((manager) =>
    processOnce(manager, envelope.messageId, () => handle(envelope, manager)),
  );
}
