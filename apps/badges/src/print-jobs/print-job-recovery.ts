import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { printJobOptions, PRINT_JOBS_QUEUE, type PrintJobMessage } from './print-queue';

/** A job younger than this may still be on its way to the queue: left alone. */
const GRACE_SECONDS = 30;
const SWEEP_EVERY_MS = 60_000;

/**
 * Print jobs that were recorded but never reached the queue (the process died between the row's
 * commit and the queue call, or Redis lost its data) would wait forever. At start-up and every
 * minute this looks for unfinished jobs without a queue entry and queues them again; under the
 * print job's own id, so a job that is on the queue after all is not queued twice.
 */
@Injectable()
export class PrintJobRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PrintJobRecovery.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(PRINT_JOBS_QUEUE) private readonly queue: Queue<PrintJobMessage>,
  ) {}

  onApplicationBootstrap(): void {
    const sweep = () =>
      void this.sweep().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'Could not look for print jobs missing from the queue'),
      );
    sweep();
    this.timer = setInterval(sweep, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Queues every unfinished print job that is not on the queue; returns their ids. */
  async sweep(): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM print_jobs
        WHERE status IN ('queued', 'running') AND created_at < now() - make_interval(secs => $1)
        ORDER BY created_at`,
      [GRACE_SECONDS],
    );
    const requeued: string[] = [];
    for (const { id } of rows) {
      if (await this.queue.getJob(id)) continue;
      await this.queue.add('print', { printJobId: id }, printJobOptions(id));
      requeued.push(id);
    }
    if (requeued.length > 0) {
      this.logger.warn(
        { printJobIds: requeued },
        'Queued print jobs again that had never reached the queue',
      );
    }
    return requeued;
  }
}
