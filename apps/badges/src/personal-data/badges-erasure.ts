import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import type { AttendeeSnapshot, EventSnapshot } from '@einlass/contracts';
import { redactOutbox, type RedactedMessage } from '@einlass/outbox';
import { Badge } from '../issuing/badge.entity';
import { issueBadge, lockHolder } from '../issuing/sync-badge.command';
import { CertificateErasure } from '../certificates/certificate-erasure';
import { eraseJobFiles } from '../file-jobs/file-job-erasure';
import { PRINT_JOB_KIND, PRINT_JOBS_DIR } from '../print-jobs/print-queue';

const ERASED_HOLDER = JSON.stringify({
  externalId: null,
  title: null,
  firstName: '',
  lastName: '',
  organisation: null,
});

/**
 * Erasure on the badges service's side, in the caller's transaction: badges revoked for good and
 * their printed data erased, the print files that hold the people deleted (before the commit: a
 * rollback leaves the rows pointing at no file rather than a file the rows forgot), the outbox
 * messages that carried them redacted. One person's erasure returns those messages, for their
 * copies in Redis; an event's goes in batches (BadgesRetention).
 */
export const BadgesErasure = {
  /** One person (attendee.erased): `erased` is their snapshot without data, the next revision. */
  async attendee(
    manager: EntityManager,
    event: EventSnapshot,
    erased: AttendeeSnapshot,
    directory = PRINT_JOBS_DIR,
  ): Promise<RedactedMessage[]> {
    await lockHolder(manager, erased.id);
    const current = await manager
      .getRepository(Badge)
      .createQueryBuilder('b')
      .where('b.id = :id', { id: erased.id })
      .setLock('pessimistic_write')
      .getOne();
    if (!current) {
      // Erased before its badge was issued: a revoked badge without data keeps later (older)
      // messages from issuing one.
      await issueBadge(manager, event, erased, 1, 'revoked');
    }
    await manager.query(
      `UPDATE badges SET status = 'revoked', attendee = attendee || $2::jsonb,
              attendee_revision = greatest(attendee_revision, $3), erased_at = coalesce(erased_at, now())
        WHERE id = $1`,
      [erased.id, ERASED_HOLDER, erased.revision],
    );
    await deletePrintFiles(
      manager,
      `event_id = $1 AND $2::uuid = ANY(badge_ids)`,
      [erased.eventId, erased.id],
      directory,
    );
    await CertificateErasure.attendee(manager, erased.eventId, erased.id);
    await manager.query(`DELETE FROM door_reprints WHERE badge_id = $1`, [erased.id]);
    return redactOutbox(manager, 'badges', { attendeeIds: [erased.id] });
  },

  /** A batch of an event's badges (retention), those not erased yet; answers how many. */
  async badges(manager: EntityManager, eventId: string, ids: string[]): Promise<number> {
    const [, count] = await manager.query<[unknown, number]>(
      `UPDATE badges SET status = 'revoked', attendee = attendee || $3::jsonb, erased_at = now()
        WHERE event_id = $1 AND id = ANY($2::uuid[]) AND erased_at IS NULL`,
      [eventId, ids, ERASED_HOLDER],
    );
    return count;
  },

  /** The event's badges whose printed data is not erased yet. */
  async notErased(manager: EntityManager, eventId: string): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM badges WHERE event_id = $1 AND erased_at IS NULL ORDER BY id`,
      [eventId],
    );
    return rows.map((row) => row.id);
  },

  /** Up to `limit` of the event's print jobs whose files are not deleted yet: deleted now. */
  printFiles(
    manager: EntityManager,
    eventId: string,
    limit: number,
    directory = PRINT_JOBS_DIR,
  ): Promise<number> {
    return deletePrintFiles(manager, `event_id = $1`, [eventId], directory, limit);
  },

  /** Once every batch is done: the event's data counts as erased. */
  async finished(manager: EntityManager, eventId: string): Promise<void> {
    await manager.query(`DELETE FROM door_reprints WHERE event_id = $1`, [eventId]);
    await manager.query(
      `UPDATE events SET personal_data_erased_at = coalesce(personal_data_erased_at, now())
        WHERE id = $1`,
      [eventId],
    );
  },
};

/**
 * Deletes the files of the print jobs matching `where` (and a run's file under its final name),
 * at most `limit` jobs; marks them. Answers how many jobs.
 */
function deletePrintFiles(
  manager: EntityManager,
  where: string,
  parameters: unknown[],
  directory: string,
  limit?: number,
): Promise<number> {
  return eraseJobFiles(manager, PRINT_JOB_KIND.table, where, parameters, {
    limit,
    alsoDelete: (id) => [join(directory, `${id}.pdf`)],
  });
}
