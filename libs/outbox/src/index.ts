/**
 * @einlass/outbox — where an event crosses services. The durable side, in each service's own
 * PostgreSQL schema: a producer writes its events to the `outbox` table in the transaction of the
 * data (outbox.ts); the relay publishes them into the consumers' queues and republishes what Redis
 * lost (outbox-relay.ts, redis-mark.ts); a consumer handles each message once, with its `inbox`
 * row (consume-once.ts); the reconciliation asks producers again for what a consumer still misses
 * (reconciliation.ts); an erasure redacts the messages that carried the person (outbox-redaction.ts).
 * BullMQ itself (connection, job options, consumers, copies in Redis) is @einlass/messaging.
 */
export * from './outbox-message.entity';
export * from './inbox-message.entity';
export * from './outbox';
export * from './outbox-tables';
export * from './outbox-relay';
export * from './outbox.module';
export * from './consume-once';
export * from './redis-mark';
export * from './outbox-redaction';
export * from './reconciliation';
export * from './pipeline.controller';
export * from './failed-jobs';
export * from './migrations/outbox-message-id.migration';
export * from './migrations/outbox-queues.migration';
export * from './migrations/redis-loss.migration';
export * from './migrations/replay-batches.migration';
