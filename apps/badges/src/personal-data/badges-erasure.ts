import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import type { AttendeeSnapshot, EventSnapshot } from '@einlass/contracts';
import { redactOutbox, type RedactedMessage } from '@einlass/database';
import { Badge } from '../issuing/badge.entity';
import { issueBadge, lockHolder } from '../issuing/sync-badge.command';
import { PRINT_JOBS_DIR } from '../print-jobs/print-queue';

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
 * messages that carried them redacted. Returns those messages, for their copies in Redis.
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
    return redactOutbox(manager, 'badges', { attendeeIds: [erased.id] });
  },

  /** Everyone of an event not erased yet (retention). */
  async event(
    manager: EntityManager,
    eventId: string,
    directory = PRINT_JOBS_DIR,
  ): Promise<{ badges: number; files: number; messages: RedactedMessage[] }> {
    const [, badges] = await manager.query<[unknown, number]>(
      `UPDATE badges SET status = 'revoked', attendee = attendee || $2::jsonb, erased_at = now()
        WHERE event_id = $1 AND erased_at IS NULL`,
      [eventId, ERASED_HOLDER],
    );
    const files = await deletePrintFiles(manager, `event_id = $1`, [eventId], directory);
    const messages = await redactOutbox(manager, 'badges', { eventId });
    await manager.query(
      `UPDATE events SET personal_data_erased_at = coalesce(personal_data_erased_at, now())
        WHERE id = $1`,
      [eventId],
    );
    return { badges, files, messages };
  },
};

/** Deletes the files of the print jobs matching `where` (and a run's leftovers); marks them. */
async function deletePrintFiles(
  manager: EntityManager,
  where: string,
  parameters: unknown[],
  directory: string,
): Promise<number> {
  const jobs = await manager.query<{ id: string; file_path: string | null }[]>(
    `SELECT id, file_path FROM print_jobs
      WHERE ${where} AND file_erased_at IS NULL AND status IN ('done', 'failed') FOR UPDATE`,
    parameters,
  );
  if (jobs.length === 0) return 0;
  await manager.query(
    `UPDATE print_jobs SET file_path = NULL, file_erased_at = now() WHERE id = ANY($1::uuid[])`,
    [jobs.map((job) => job.id)],
  );
  for (const job of jobs) {
    if (job.file_path) await rm(job.file_path, { force: true });
    await rm(join(directory, `${job.id}.pdf`), { force: true });
  }
  return jobs.length;
}
