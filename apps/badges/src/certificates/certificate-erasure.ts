import type { EntityManager } from 'typeorm';
import { eraseJobFiles } from '../file-jobs/file-job-erasure';
import { unerasedFiles } from '../file-jobs/file-job-rules';
import { CERTIFICATE_JOB_KIND } from './certificate-queue';

/**
 * Erasure of certificates, in the caller's transaction (personal-data/badges-erasure.ts and
 * badges-retention.ts call it): the certificate rows lose the name and sessions and answer
 * "revoked" at /verify from then on; the job files that hold the people are deleted. The
 * admissions (ids and times, as check-in keeps them) stay.
 */
export const CertificateErasure = {
  /** SQL (over events `e`): whether an event still holds certificate data to erase. */
  leftovers: `EXISTS (SELECT 1 FROM certificates c WHERE c.event_id = e.id AND c.erased_at IS NULL)
    OR ${unerasedFiles(CERTIFICATE_JOB_KIND.table)}`,

  async attendee(manager: EntityManager, eventId: string, attendeeId: string): Promise<void> {
    await manager.query(
      `UPDATE certificates SET holder_name = '', sessions = '[]', issuer = NULL,
              erased_at = coalesce(erased_at, now())
        WHERE event_id = $1 AND attendee_id = $2`,
      [eventId, attendeeId],
    );
    await eraseJobFiles(
      manager,
      CERTIFICATE_JOB_KIND.table,
      `event_id = $1 AND $2::uuid = ANY(attendee_ids)`,
      [eventId, attendeeId],
    );
  },

  /** Every certificate and file of an event (retention); answers how many certificates. */
  async event(manager: EntityManager, eventId: string): Promise<number> {
    const [, count] = await manager.query<[unknown, number]>(
      `UPDATE certificates SET holder_name = '', sessions = '[]', issuer = NULL, erased_at = now()
        WHERE event_id = $1 AND erased_at IS NULL`,
      [eventId],
    );
    await eraseJobFiles(manager, CERTIFICATE_JOB_KIND.table, `event_id = $1`, [eventId]);
    return count;
  },
};
