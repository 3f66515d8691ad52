import { Processor } from '@nestjs/bullmq';
import { FileJobsProcessor } from '../file-jobs/file-jobs.processor';
import { PrintJobRunner } from './print-job-runner';
import {
  PRINT_JOB_KIND,
  PRINT_JOBS_CONCURRENCY,
  PRINT_JOBS_QUEUE,
  type PrintJobMessage,
} from './print-queue';

/** Renders print jobs, a few at once (file-jobs/file-jobs.processor.ts: retries, failures). */
@Processor(PRINT_JOBS_QUEUE, {
  concurrency: PRINT_JOBS_CONCURRENCY,
  maxStalledCount: 3,
  lockDuration: 30_000,
})
export class PrintJobsProcessor extends FileJobsProcessor<PrintJobMessage> {
  constructor(runner: PrintJobRunner) {
    super(runner, PRINT_JOB_KIND);
  }
}
