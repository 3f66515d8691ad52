import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';

/**
 * Base of the services' queue processors: a job that fails is logged with what it was and why,
 * and, once out of retries, stays in BullMQ's failed list for inspection.
 */
export abstract class EventConsumer extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    const attempts = job?.opts.attempts ?? 1;
    const final = (job?.attemptsMade ?? attempts) >= attempts;
    this.logger[final ? 'error' : 'warn'](
      { jobId: job?.id, job: job?.name, attemptsMade: job?.attemptsMade, err: error },
      final
        ? 'Message failed for good; it stays in the failed list'
        : 'Message failed; it will be retried',
    );
  }
}
