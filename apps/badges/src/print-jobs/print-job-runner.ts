import { printJobFinished } from '@einlass/metrics';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BadgeEvent } from '../events/badge-event.entity';
import { failedRun } from '../file-jobs/file-job-rules';
import { FileJobRejected } from '../file-jobs/file-jobs';
import type { FileJobRunner } from '../file-jobs/file-jobs.processor';
import { JobFile } from '../file-jobs/job-file';
import { Badge } from '../issuing/badge.entity';
import { badgeContent, loadBadgeBranding } from '../rendering/badge-content';
import type { BadgeBranding, BadgeContent } from '../rendering/badge-design';
import { SHEET_LAYOUTS } from '../rendering/sheet-layouts';
import { SheetRenderer } from '../rendering/sheet-renderer';
import { selectForPrinting } from './badge-selection';
import { PrintJob } from './print-job.entity';
import { PRINT_JOBS_DIR } from './print-queue';

/** Badges read from the database this many at a time while rendering. */
const CHUNK = 250;
/** Progress is written to the job's row after this many badges. */
const PROGRESS_EVERY = 200;

/** A print job that cannot succeed however often it is tried. */
export class PrintJobRejected extends FileJobRejected {}

/**
 * Renders one print job, from start to end, every time it runs:
 * 1. selects the badges afresh (issued, matching the filter) and sorts them;
 * 2. streams the PDF to a file of its own under a temporary name (a crashed run leaves only that
 *    behind), updating done/total as it goes; flushes it to disk and renames it into place, so
 *    the file under the final name is always whole (file-jobs/job-file.ts);
 * 3. in one transaction, marks the badges printed (those not re-issued meanwhile) and the job done.
 * A worker killed anywhere in between leaves the job not done and the badges not marked; BullMQ
 * gives the job to another worker, which starts over at 1, so the final file has every badge once.
 * A run that finds the job done already (killed after 3) does nothing.
 */
@Injectable()
export class PrintJobRunner implements FileJobRunner {
  private readonly logger = new Logger(PrintJobRunner.name);
  private readonly renderer = new SheetRenderer();

  constructor(private readonly dataSource: DataSource) {}

  async run(printJobId: string, directory = PRINT_JOBS_DIR): Promise<void> {
    const jobs = this.dataSource.getRepository(PrintJob);
    const job = await jobs.findOneBy({ id: printJobId });
    if (!job) throw new PrintJobRejected(`No print job ${printJobId}`);
    if (job.status === 'done') return;
    const event = await this.dataSource
      .getRepository(BadgeEvent)
      .findOneByOrFail({ id: job.eventId });

    // Once per job: every badge shares it, so the logo is embedded in the file once.
    const branding = await loadBadgeBranding(this.dataSource.manager, job.eventId);

    const selectedAt = new Date();
    const ids = await selectForPrinting(this.dataSource.manager, job.eventId, job.filter, job.sort);
    if (ids.length === 0)
      throw new PrintJobRejected('Nothing to print: no issued badge matches the filter');
    await jobs.update(
      { id: job.id },
      { status: 'running', done: 0, total: ids.length, error: null, badgeIds: ids },
    );

    const { path: finalPath } = await JobFile.write(directory, job.id, 'pdf', async (out) => {
      const count = await this.renderer.render(
        SHEET_LAYOUTS[job.layout],
        this.contents(event, ids, branding),
        out,
        {
          title: `${event.name} – badges`,
          progressEvery: PROGRESS_EVERY,
          onProgress: async (done) => {
            await jobs.update({ id: job.id }, { done });
          },
        },
      );
      if (count !== ids.length) {
        throw new Error(`${ids.length - count} of the selected badges disappeared while printing`);
      }
    });

    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE badges SET printed_at = now()
          WHERE event_id = $1 AND id = ANY($2::uuid[]) AND issued_at <= $3`,
        [job.eventId, ids, selectedAt],
      );
      await manager.update(
        PrintJob,
        { id: job.id },
        {
          status: 'done',
          done: ids.length,
          filePath: finalPath,
          finishedAt: new Date(),
          error: null,
        },
      );
    });
    await JobFile.removeLeftovers(directory, job.id);
    printJobFinished('done', ids.length);
    this.logger.log({ printJobId: job.id, badges: ids.length }, 'Print job done');
  }

  /** Records why a run failed; `final` when no retry will follow. */
  async failed(printJobId: string, error: Error, final: boolean): Promise<void> {
    if (final) printJobFinished('failed');
    await this.dataSource
      .getRepository(PrintJob)
      .update({ id: printJobId }, failedRun(error, final));
  }

  /** The badges in print order, read a chunk at a time. */
  private async *contents(
    event: BadgeEvent,
    ids: string[],
    branding: BadgeBranding | undefined,
  ): AsyncGenerator<BadgeContent> {
    const badges = this.dataSource.getRepository(Badge);
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK);
      const rows = await badges
        .createQueryBuilder('b')
        .where('b.id = ANY(:ids::uuid[])', { ids: chunk })
        .andWhere(`b.status = 'issued'`)
        .getMany();
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const id of chunk) {
        const badge = byId.get(id);
        // Revoked since it was selected: it is not printed, and the count check above says so.
        if (badge) yield badgeContent(event, badge, branding);
      }
    }
  }
}
