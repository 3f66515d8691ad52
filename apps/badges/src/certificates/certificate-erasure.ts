import { rm } from 'node:fs/promises';
import type { EntityManager } from 'typeorm';

/**
 * Erasure of certificates, in the caller's transaction (personal-data/badges-erasure.ts and
 * badges-retention.ts call it): the certificate rows lose the name and sessions and answer
 * "revoked" at /verify from then on; the job files that hold the people are deleted. The
 * admissions (ids and times, as check-in keeps them) stay.
 */
export const CertificateErasure = {
  /** SQL (over events `e`): whether an event still holds certificate data to erase. */
  leftovers: `EXISTS (SELECT 1 FROM certificates c WHERE c.event_id = e.id AND c.erased_at IS NULL)
    OR EXISTS (SELECT 1 FROM certificate_jobs j WHERE j.event_id = e.id
      AND j.file_erased_at IS NULL AND j.status IN ('done', 'failed'))`,

  async attendee(manager: EntityManager, eventId: string, attendeeId: string): Promise<void> {
    await manager.query(
      `UPDATE certificates SET holder_name = '', sessions = '[]', issuer = NULL,
              erased_at = coalesce(erased_at, now())
        WHERE event_id = $1 AND attendee_id = $2`,
      [eventId, attendeeId],
    );
    await deleteFiles(manager, `event_id = $1 AND $2::uuid = ANY(attendee_ids)`, [
      eventId,
      attendeeId,
    ]);
  },

  /** Every certificate and file of an event (retention); answers how many certificates. */
  async event(manager: EntityManager, eventId: string): Promise<number> {
    const [, count] = await manager.query<[unknown, number]>(
      `UPDATE certificates SET holder_name = '', sessions = '[]', issuer = NULL, erased_at = now()
        WHERE event_id = $1 AND erased_at IS NULL`,
      [eventId],
    );
    await deleteFiles(manager, `event_id = $1`, [eventId]);
    return count;
  },
};

/**
 * Deletes the files of the finished certificate jobs matching `where` and marks them. A job still
 * running is caught by the next erasure round (retention); for one person, the job's next run no
 * longer selects them.
 */
async function deleteFiles(
  manager: EntityManager,
  where: string,
  parameters: unknown[],
): Promise<void> {
  const jobs = await manager.query<{ id: string; file_path: string | null }[]>(
    `SELECT id, file_path FROM certificate_jobs
      WHERE ${where} AND file_erased_at IS NULL AND status IN ('done', 'failed') FOR UPDATE`,
    parameters,
  );
  if (jobs.length === 0) return;
  await manager.query(
    `UPDATE certificate_jobs SET file_path = NULL, file_erased_at = now()
      WHERE id = ANY($1::uuid[])`,
    [jobs.map((job) => job.id)],
  );
  for (const job of jobs) if (job.file_path) await rm(job.file_path, { force: true });
}
