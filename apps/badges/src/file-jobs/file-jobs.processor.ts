import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import type { FileJobKind } from './file-job-kind';
import { lastAttempt } from './file-job-rules';
import { FileJobRejected } from './file-jobs';

/** What a kind's processor runs: one job start to end, and the record of a failed run. */
export interface FileJobRunner {
  run(id: string): Promise<void>;
  failed(id: string, error: Error, final: boolean): Promise<void>;
}

/**
 * The worker of a kind's queue (each kind's subclass carries `@Processor` with its queue and
 * concurrency). A worker that dies mid-job stops renewing the job's lock; BullMQ then hands the
 * job to another worker (maxStalledCount), which starts it over. A FileJobRejected fails the job
 * at once; anything else is retried until the attempts are used up.
 */
export abstract class FileJobsProcessor<Message> extends WorkerHost {
  private readonly logger = new Logger(this.constructor.name);

  protected constructor(
    private readonly runner: FileJobRunner,
    private readonly kind: Pick<FileJobKind<never, Message>, 'idOf' | 'logKey' | 'words'>,
  ) {
    super();
  }

  async process(job: Job<Message>): Promise<void> {
    try {
      await this.runner.run(this.kind.idOf(job.data));
    } catch (error) {
      if (error instanceof FileJobRejected) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job<Message> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const id = this.kind.idOf(job.data);
    const final = lastAttempt(job, error instanceof UnrecoverableError);
    const Job = this.kind.words.job.charAt(0).toUpperCase() + this.kind.words.job.slice(1);
    this.logger[final ? 'error' : 'warn'](
      { jobId: job.id, [this.kind.logKey]: id, attemptsMade: job.attemptsMade, err: error },
      final ? `${Job} failed` : `${Job} failed; it will be retried`,
    );
    await this.runner
      .failed(id, error, final)
      .catch((cause: unknown) =>
        this.logger.error({ err: cause }, `Could not record the ${this.kind.words.job} failure`),
      );
  }
}
