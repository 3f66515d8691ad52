import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { fileJobOptions, type FileJobKind } from './file-job-kind';
import type { FileJob } from './file-job.entity';

/** A job younger than this may still be on its way to the queue: left alone. */
const GRACE_SECONDS = 30;
const SWEEP_EVERY_MS = 60_000;

/**
 * File jobs that were recorded but never reached the queue (the process died between the row's
 * commit and the queue call, or Redis lost its data) would wait forever. At start-up and every
 * minute this looks for unfinished jobs without a queue entry and queues them again; under the
 * job's own id, so a job that is on the queue after all is not queued twice. Each kind has its
 * provider (PrintJobRecovery, CertificateJobRecovery) that names its queue.
 */
export abstract class FileJobRecovery<Job extends FileJob, Message>
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;

  protected constructor(
    private readonly dataSource: DataSource,
    /** Untyped: BullMQ cannot infer job names of a generic message type. */
    private readonly queue: Queue,
    private readonly kind: FileJobKind<Job, Message>,
  ) {}

  onApplicationBootstrap(): void {
    const sweep = () =>
      void this.sweep().catch((error: unknown) =>
        this.logger.warn(
          { err: error },
          `Could not look for ${this.kind.words.job}s missing from the queue`,
        ),
      );
    sweep();
    this.timer = setInterval(sweep, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Queues every unfinished job that is not on the queue; returns their ids. */
  async sweep(): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM ${this.kind.table}
        WHERE status IN ('queued', 'running') AND created_at < now() - make_interval(secs => $1)
        ORDER BY created_at`,
      [GRACE_SECONDS],
    );
    const requeued: string[] = [];
    for (const { id } of rows) {
      if (await this.queue.getJob(id)) continue;
      await this.queue.add(
        this.kind.queueJobName,
        this.kind.message(id),
        fileJobOptions(id, this.kind.attempts),
      );
      requeued.push(id);
    }
    if (requeued.length > 0) {
      this.logger.warn(
        { [`${this.kind.logKey}s`]: requeued },
        `Queued ${this.kind.words.job}s again that had never reached the queue`,
      );
    }
    return requeued;
  }
}
