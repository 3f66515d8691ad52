export * from './redis-connection';
export * from './job-options';
export * from './messaging.module';
export * from './event-consumer';
export * from './queued-copies';
