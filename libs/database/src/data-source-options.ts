import { Client } from 'pg';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface ServiceDatabase {
  /** The service's PostgreSQL schema; also its name in message ids. */
  schema: 'registration' | 'badges' | 'checkin';
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  /** TypeORM subscribers (the outbox's, OUTBOX_SUBSCRIBERS in @einlass/outbox). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  subscribers?: MixedList<Function>;
}

/**
 * TypeORM options for one service: its own schema (also first on the search path, so plain SQL
 * finds its tables), snake_case names, migrations, and never `synchronize`.
 * Used by the Nest module and by the migration command alike.
 */
export function dataSourceOptions(url: string, service: ServiceDatabase): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema: service.schema,
    entities: service.entities,
    migrations: service.migrations,
    subscribers: service.subscribers ?? [],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    extra: {
      options: `-c search_path=${service.schema}`,
      max: 20,
      application_name: `einlass-${service.schema}`,
    },
  };
}

/**
 * Creates the service's schema and runs its pending migrations, under an advisory lock so that
 * replicas starting together migrate once. Returns the names of the migrations it ran.
 */
export async function migrate(url: string, service: ServiceDatabase): Promise<string[]> {
  const lockClient = new Client({ connectionString: url });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock(hashtext($1))', [
      `einlass-migrate-${service.schema}`,
    ]);
    await lockClient.query(`CREATE SCHEMA IF NOT EXISTS "${service.schema}"`);
    const dataSource = new DataSource(dataSourceOptions(url, service));
    await dataSource.initialize();
    try {
      const ran = await dataSource.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lockClient
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`einlass-migrate-${service.schema}`])
      .catch(() => undefined);
    await lockClient.end();
  }
}
