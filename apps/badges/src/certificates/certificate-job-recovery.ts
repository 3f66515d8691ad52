import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import {
  CERTIFICATE_JOBS_QUEUE,
  certificateJobOptions,
  type CertificateJobMessage,
} from './certificate-queue';

/** A job younger than this may still be on its way to the queue: left alone. */
const GRACE_SECONDS = 30;
const SWEEP_EVERY_MS = 60_000;

/**
 * Certificate jobs recorded but never queued (the process died between the row's commit and the
 * queue call, or Redis lost its data) are queued again at start-up and every minute, under the
 * job's own id, as print jobs are (print-jobs/print-job-recovery.ts).
 */
@Injectable()
export class CertificateJobRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CertificateJobRecovery.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(CERTIFICATE_JOBS_QUEUE) private readonly queue: Queue<CertificateJobMessage>,
  ) {}

  onApplicationBootstrap(): void {
    const sweep = () =>
      void this.sweep().catch((error: unknown) =>
        this.logger.warn(
          { err: error },
          'Could not look for certificate jobs missing from the queue',
        ),
      );
    sweep();
    this.timer = setInterval(sweep, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Queues every unfinished certificate job that is not on the queue; returns their ids. */
  async sweep(): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM certificate_jobs
        WHERE status IN ('queued', 'running') AND created_at < now() - make_interval(secs => $1)
        ORDER BY created_at`,
      [GRACE_SECONDS],
    );
    const requeued: string[] = [];
    for (const { id } of rows) {
      if (await this.queue.getJob(id)) continue;
      await this.queue.add('certificates', { certificateJobId: id }, certificateJobOptions(id));
      requeued.push(id);
    }
    if (requeued.length > 0) {
      this.logger.warn({ certificateJobIds: requeued }, 'Queued certificate jobs again');
    }
    return requeued;
  }
}
