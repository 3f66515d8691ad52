/**
 * @einlass/database — PostgreSQL for each service: the TypeORM data source (its own schema,
 * snake_case names), the migrations runner, query helpers (keyset cursors, grouped and overlapped
 * statements, unique violations) and the batches that erase personal data. What carries events
 * between services (outbox, relay, inbox) is @einlass/outbox.
 */
export * from './snake-naming.strategy';
export * from './data-source-options';
export * from './database.module';
export * from './postgres-errors';
export * from './migrate-command';
export * from './query-rows';
export * from './grouped-work';
export * from './keyset-cursor';
export * from './overlapped-statements';
export * from './erasure-batches';
export * from './retention-check';
