import type { EntityManager } from 'typeorm';

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
