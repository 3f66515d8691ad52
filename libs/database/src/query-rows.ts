import type { Pool, QueryResultRow } from 'pg';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * The rows a statement returns. TypeORM's `query()` answers an UPDATE or DELETE with
 * `[rows, affectedCount]` instead of the rows; this always gives the rows (RETURNING included).
 */
export async function queryRows<T>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    return (await runner.query(sql, parameters, true)).records as T[];
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

/**
 * The rows of a statement run as a named prepared statement on a connection of the data source's
 * pool, in a transaction of its own: parsed and planned once per connection (PostgreSQL keeps a
 * generic plan once it sees it does as well), and its text sent once per connection. For a large
 * statement run hundreds of times a second (check-in's grouped admission). `name` must stand for
 * this one text. Fails like TypeORM's `query()`, with a QueryFailedError.
 */
export async function queryPrepared<T>(
  dataSource: DataSource,
  name: string,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  try {
    return (await pool.query<T & QueryResultRow>({ name, text: sql, values: parameters })).rows;
  } catch (error) {
    throw new QueryFailedError(sql, parameters, error as Error);
  }
}
