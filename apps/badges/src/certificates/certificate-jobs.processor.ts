import { Processor } from '@nestjs/bullmq';
import { FileJobsProcessor } from '../file-jobs/file-jobs.processor';
import { CertificateJobRunner } from './certificate-job-runner';
import {
  CERTIFICATE_JOB_KIND,
  CERTIFICATE_JOBS_QUEUE,
  type CertificateJobMessage,
} from './certificate-queue';

/** Renders certificate jobs, one at a time per worker (file-jobs/file-jobs.processor.ts). */
@Processor(CERTIFICATE_JOBS_QUEUE, { concurrency: 1, maxStalledCount: 3, lockDuration: 30_000 })
export class CertificateJobsProcessor extends FileJobsProcessor<CertificateJobMessage> {
  constructor(runner: CertificateJobRunner) {
    super(runner, CERTIFICATE_JOB_KIND);
  }
}
