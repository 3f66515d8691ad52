import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { CertificateJobRejected, CertificateJobRunner } from './certificate-job-runner';
import { CERTIFICATE_JOBS_QUEUE, type CertificateJobMessage } from './certificate-queue';

/** Renders certificate jobs, one at a time per worker (print-jobs.processor.ts, the same way). */
@Processor(CERTIFICATE_JOBS_QUEUE, { concurrency: 1, maxStalledCount: 3, lockDuration: 30_000 })
export class CertificateJobsProcessor extends WorkerHost {
  private readonly logger = new Logger(CertificateJobsProcessor.name);

  constructor(private readonly runner: CertificateJobRunner) {
    super();
  }

  async process(job: Job<CertificateJobMessage>): Promise<void> {
    try {
      await this.runner.run(job.data.certificateJobId);
    } catch (error) {
      if (error instanceof CertificateJobRejected) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job<CertificateJobMessage> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final =
      error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger[final ? 'error' : 'warn'](
      { jobId: job.id, certificateJobId: job.data.certificateJobId, err: error },
      final ? 'Certificate job failed' : 'Certificate job failed; it will be retried',
    );
    await this.runner
      .failed(job.data.certificateJobId, error, final)
      .catch((cause: unknown) =>
        this.logger.error({ err: cause }, 'Could not record the certificate job failure'),
      );
  }
}
