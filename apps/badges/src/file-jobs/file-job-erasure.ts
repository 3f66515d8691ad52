import { rm } from 'node:fs/promises';
import type { EntityManager } from 'typeorm';

/** Files deleted at once: the disk stays busy without one erasure taking all its requests. */
const PARALLEL_UNLINKS = 8;

/**
 * Deletes the files of the finished jobs of `table` matching `where` (at most `limit` jobs, when
 * given) and marks them erased, in the caller's transaction; their file answers 410 from then on.
 * A job still running is caught by the next erasure round (retention); for one person, the job's
 * next run no longer selects them. `alsoDelete` names more files of a job (a run's leftovers).
 * Answers how many jobs.
 */
export async function eraseJobFiles(
  manager: EntityManager,
  table: string,
  where: string,
  parameters: unknown[],
  options: { limit?: number; alsoDelete?: (id: string) => string[] } = {},
): Promise<number> {
  const { limit, alsoDelete } = options;
  const jobs = await manager.query<{ id: string; file_path: string | null }[]>(
    `SELECT id, file_path FROM ${table}
      WHERE ${where} AND file_erased_at IS NULL AND status IN ('done', 'failed')
      ORDER BY id ${limit === undefined ? '' : `LIMIT ${Number(limit)}`} FOR UPDATE`,
    parameters,
  );
  if (jobs.length === 0) return 0;
  await manager.query(
    `UPDATE ${table} SET file_path = NULL, file_erased_at = now() WHERE id = ANY($1::uuid[])`,
    [jobs.map((job) => job.id)],
  );
  const files = jobs.flatMap((job) => [
    ...(job.file_path ? [job.file_path] : []),
    ...(alsoDelete?.(job.id) ?? []),
  ]);
  for (let i = 0; i < files.length; i += PARALLEL_UNLINKS) {
    await Promise.all(
      files.slice(i, i + PARALLEL_UNLINKS).map((file) => rm(file, { force: true })),
    );
  }
  return jobs.length;
}
