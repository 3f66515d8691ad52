import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { PrintJobRejected, PrintJobRunner } from './print-job-runner';
import { PRINT_JOBS_CONCURRENCY, PRINT_JOBS_QUEUE, type PrintJobMessage } from './print-queue';

/**
 * Renders print jobs, a few at once. A worker that dies mid-job stops renewing the job's lock;
 * BullMQ then hands the job to another worker (maxStalledCount), which starts it over.
 */
@Processor(PRINT_JOBS_QUEUE, {
  concurrency: PRINT_JOBS_CONCURRENCY,
  maxStalledCount: 3,
  lockDuration: 30_000,
})
export class PrintJobsProcessor extends WorkerHost {
  private readonly logger = new Logger(PrintJobsProcessor.name);

  constructor(private readonly runner: PrintJobRunner) {
    super();
  }

  async process(job: Job<PrintJobMessage>): Promise<void> {
    try {
      await this.runner.run(job.data.printJobId);
    } catch (error) {
      if (error instanceof PrintJobRejected) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job<PrintJobMessage> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final =
      error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger[final ? 'error' : 'warn'](
      {
        jobId: job.id,
        printJobId: job.data.printJobId,
        attemptsMade: job.attemptsMade,
        err: error,
      },
      final ? 'Print job failed' : 'Print job failed; it will be retried',
    );
    await this.runner
      .failed(job.data.printJobId, error, final)
      .catch((cause: unknown) =>
        this.logger.error({ err: cause }, 'Could not record the print job failure'),
      );
  }
}
