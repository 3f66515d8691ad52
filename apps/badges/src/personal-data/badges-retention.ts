import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { Environment } from '@einlass/config';
import { type DueEvent, RetentionCheck } from '@einlass/database';
import { QueuedCopies } from '@einlass/messaging';
import { redactEventOutbox } from '@einlass/outbox';
import { CertificateErasure } from '../certificates/certificate-erasure';
import { unerasedFiles } from '../file-jobs/file-job-rules';
import { PRINT_JOB_KIND } from '../print-jobs/print-queue';
import { BadgesErasure } from './badges-erasure';

/** Print jobs whose files one batch deletes (a print job may hold hundreds of badges). */
const PRINT_JOBS_PER_BATCH = 50;

/**
 * Erases, on the badges service's side, the personal data of every event whose retention date (as
 * registration sent it) has passed: at start-up, so a service that was stopped catches up, and
 * every RETENTION_CHECK_MS. In batches: the badges, the print files, then the outbox messages
 * that carried the people (and their copies in Redis). Badges issued for such an event later, and
 * print jobs that were still running, are erased at the next round.
 */
@Injectable()
export class BadgesRetention extends RetentionCheck {
  protected readonly leftovers = `(EXISTS (SELECT 1 FROM badges b
      WHERE b.event_id = e.id AND b.erased_at IS NULL)
    OR ${unerasedFiles(PRINT_JOB_KIND.table)}
    OR ${CertificateErasure.leftovers})`;

  constructor(
    dataSource: DataSource,
    private readonly queuedCopies: QueuedCopies,
    config: ConfigService<Environment, true>,
  ) {
    super(dataSource, config);
  }

  protected async eraseEvent({ id }: DueEvent): Promise<Record<string, number>> {
    let badges = 0;
    for (;;) {
      // Again until none is left: a badge may be issued while the batches run.
      const ids = await BadgesErasure.notErased(this.dataSource.manager, id);
      if (ids.length === 0) break;
      badges += await this.batches.ofIds(ids, (manager, batch) =>
        BadgesErasure.badges(manager, id, batch),
      );
    }
    const printFiles = await this.batches.untilDone(PRINT_JOBS_PER_BATCH, (manager, limit) =>
      BadgesErasure.printFiles(manager, id, limit),
    );
    const certificates = await this.dataSource.transaction((manager) =>
      CertificateErasure.event(manager, id),
    );
    const outbox = await redactEventOutbox(this.batches, 'badges', id, this.queuedCopies);
    await this.dataSource.transaction((manager) => BadgesErasure.finished(manager, id));
    return { badges, printFiles, certificates, ...outbox };
  }
}
