import { Injectable, Logger } from '@nestjs/common';
import { Zip, ZipPassThrough } from 'fflate';
import { DataSource } from 'typeorm';
import { BadgeEvent } from '../events/badge-event.entity';
import { failedRun } from '../file-jobs/file-job-rules';
import { FileJobRejected } from '../file-jobs/file-jobs';
import type { FileJobRunner } from '../file-jobs/file-jobs.processor';
import { JobFile } from '../file-jobs/job-file';
import { CertificateAttendance } from './certificate-attendance';
import { CertificateIssuer } from './certificate-issuer';
import { type CertificateContent, CertificateRenderer } from './certificate-renderer';
import { CertificateJob } from './certificate-job.entity';
import { CERTIFICATE_JOBS_DIR } from './certificate-queue';
import { CERTIFICATE_WORDS } from './certificate-wording';

/** People issued and rendered per transaction. */
const CHUNK = 100;
/** Progress is written to the job's row after this many certificates. */
const PROGRESS_EVERY = 25;

/** A certificate job that cannot succeed however often it is tried. */
export class CertificateJobRejected extends FileJobRejected {}

/**
 * Renders one certificate job from start to end, every time it runs, as print jobs do
 * (print-jobs/print-job-runner.ts): selects everyone admitted anywhere at the event afresh, issues
 * their certificates chunk by chunk, streams the file under a temporary name, flushes and renames
 * it into place (file-jobs/job-file.ts), and marks the job done. A worker killed midway leaves the job not done; the next
 * run starts over (certificates are issued again under the same ids and codes).
 * The file is one PDF (a page each) or a ZIP of one PDF each (fflate, stored: PDFs are compressed).
 */
@Injectable()
export class CertificateJobRunner implements FileJobRunner {
  private readonly logger = new Logger(CertificateJobRunner.name);
  private readonly renderer = new CertificateRenderer();

  constructor(
    private readonly dataSource: DataSource,
    private readonly issuer: CertificateIssuer,
  ) {}

  async run(id: string, directory = CERTIFICATE_JOBS_DIR): Promise<void> {
    const jobs = this.dataSource.getRepository(CertificateJob);
    const job = await jobs.findOneBy({ id });
    if (!job) throw new CertificateJobRejected(`No certificate job ${id}`);
    if (job.status === 'done') return;
    const event = await this.dataSource
      .getRepository(BadgeEvent)
      .findOneByOrFail({ id: job.eventId });
    const ids = await CertificateAttendance.attendees(this.dataSource.manager, event.id);
    if (ids.length === 0) {
      throw new CertificateJobRejected('Nobody was admitted at this event (yet): no certificates');
    }
    await jobs.update(
      { id },
      { status: 'running', done: 0, total: ids.length, error: null, attendeeIds: ids },
    );

    const options = { language: job.language, rule: job.rule, issuer: job.issuer };
    const contents = async function* (this: CertificateJobRunner) {
      for (let start = 0; start < ids.length; start += CHUNK) {
        const chunk = ids.slice(start, start + CHUNK);
        yield* await this.dataSource.transaction((manager) =>
          this.issuer.issue(manager, event, chunk, options),
        );
      }
    }.call(this);
    const progress = async (done: number) => {
      if (done % PROGRESS_EVERY === 0) await jobs.update({ id }, { done });
    };
    const title = `${event.name} – ${CERTIFICATE_WORDS[job.language].fileTitle}`;
    const { path: finalPath, result: count } = await JobFile.write(
      directory,
      id,
      job.format,
      (out) =>
        job.format === 'zip'
          ? this.zip(contents, out, progress)
          : this.renderer.renderMany(contents, out, title, progress),
    );
    await jobs.update(
      { id },
      { status: 'done', done: count, total: count, filePath: finalPath, finishedAt: new Date() },
    );
    await JobFile.removeLeftovers(directory, id);
    this.logger.log({ certificateJobId: id, certificates: count }, 'Certificate job done');
  }

  async failed(id: string, error: Error, final: boolean): Promise<void> {
    await this.dataSource.getRepository(CertificateJob).update({ id }, failedRun(error, final));
  }

  /** One PDF per person in a ZIP, named by number and name (an empty event: an empty ZIP). */
  private async zip(
    contents: AsyncIterable<CertificateContent>,
    out: NodeJS.WritableStream,
    progress: (done: number) => Promise<void>,
  ): Promise<number> {
    let failed: Error | undefined;
    const zip = new Zip((error, chunk) => {
      if (error) failed ??= error;
      else out.write(Buffer.from(chunk));
    });
    let count = 0;
    for await (const content of contents) {
      const pdf = await this.renderer.renderOne(content);
      count++;
      const entry = new ZipPassThrough(
        `${String(count).padStart(5, '0')}-${fileName(content.holderName)}.pdf`,
      );
      zip.add(entry);
      entry.push(pdf, true);
      if (failed) throw failed;
      await progress(count);
    }
    zip.end();
    if (failed) throw failed;
    return count;
  }
}

/** A name safe in every file system: letters and digits of any script, the rest as dashes. */
function fileName(name: string): string {
  return (
    name
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'certificate'
  );
}
