/**
 * @einlass/messaging — BullMQ on Redis: the connection and queue prefix, the queue a service
 * consumes and the default options of every job, the base of queue consumers, and the copies of
 * messages in Redis an erasure scrubs. Nothing is published from here: events leave a service
 * through its outbox and relay (@einlass/outbox).
 */
export * from './redis-connection';
export * from './job-options';
export * from './messaging.module';
export * from './event-consumer';
export * from './queued-copies';
