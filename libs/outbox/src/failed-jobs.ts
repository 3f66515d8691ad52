import { NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';

/** A message its consumer gave up on (out of retries), as the pipeline card lists it. */
export interface FailedJobView {
  /** BullMQ's job id: the producer and the outbox message id (`registration-<uuid>`). */
  id: string;
  /** The event type (`attendee.registered`), or `replay.batch` for a batch of replayed messages. */
  type: string;
  /** Why the last attempt failed, as the consumer said it (shortened to 500 characters). */
  failedReason: string;
  attemptsMade: number;
  /** When it failed for the last time. */
  failedAt: string | null;
  /** When the producer recorded the event (from the message), if the message says. */
  occurredAt: string | null;
}

export interface FailedJobsView {
  service: string;
  queue: string | null;
  /** All failed jobs in the queue; `jobs` holds the newest `limit` of them. */
  total: number;
  jobs: FailedJobView[];
}

const REASON_LENGTH = 500;

/**
 * The failed list of the queue a service consumes, and putting its jobs back to be tried again
 * (after the cause is mended: a database that was away, a bug fixed in a new version). Consumers
 * are idempotent (inbox), so retrying a job that in fact got through changes nothing.
 */
export class FailedJobs {
  constructor(
    private readonly service: string,
    private readonly queue: Queue | null,
  ) {}

  async list(limit: number): Promise<FailedJobsView> {
    if (!this.queue) return { service: this.service, queue: null, total: 0, jobs: [] };
    const queue = this.queue;
    const [total, jobs] = await this.withRedis(() =>
      Promise.all([queue.getFailedCount(), queue.getFailed(0, limit - 1)]),
    );
    return {
      service: this.service,
      queue: queue.name,
      total,
      jobs: jobs.filter((job): job is Job => Boolean(job)).map(view),
    };
  }

  /** Puts one failed job back in the queue; 404 when the queue holds no failed job of that id. */
  async retry(jobId: string): Promise<{ retried: number }> {
    const queue = this.queue;
    const job = queue ? await this.withRedis(() => queue.getJob(jobId)) : undefined;
    const state = job ? await this.withRedis(() => job.getState()) : undefined;
    if (!job || state !== 'failed') {
      throw new NotFoundException(`No failed message "${jobId}" in this service's queue`);
    }
    await this.withRedis(() => job.retry('failed'));
    return { retried: 1 };
  }

  /** Puts every failed job back in the queue. */
  async retryAll(): Promise<{ retried: number }> {
    const queue = this.queue;
    if (!queue) return { retried: 0 };
    const count = await this.withRedis(() => queue.getFailedCount());
    if (count > 0) await this.withRedis(() => queue.retryJobs({ state: 'failed', count: 1000 }));
    return { retried: count };
  }

  private async withRedis<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof NotFoundException) throw error;
      throw new ServiceUnavailableException(
        'Redis is unreachable: the queue cannot be read now; try again when it is back',
      );
    }
  }
}

function view(job: Job): FailedJobView {
  const data = job.data as { occurredAt?: unknown } | undefined;
  const reason = job.failedReason ?? '';
  return {
    id: String(job.id),
    type: job.name,
    failedReason: reason.length > REASON_LENGTH ? `${reason.slice(0, REASON_LENGTH - 1)}…` : reason,
    attemptsMade: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    occurredAt: typeof data?.occurredAt === 'string' ? data.occurredAt : null,
  };
}
