import { join } from 'node:path';
import type { JobsOptions } from 'bullmq';

/**
 * The badges service's own queue for rendering print jobs. Internal to the service (it produces
 * and consumes it), so it is not a cross-service contract in @einlass/contracts.
 */
export const PRINT_JOBS_QUEUE = 'print-jobs';

/** Print jobs rendered by one worker at once. */
export const PRINT_JOBS_CONCURRENCY = 2;

/** A killed worker's job is taken over by another this many times before it fails. */
export const PRINT_JOBS_ATTEMPTS = 3;

/** Where finished PDFs are kept (and written to, under a temporary name, while rendering). */
export const PRINT_JOBS_DIR = join(process.cwd(), '.einlass', 'print-jobs');

/** The data of a print-jobs queue job: the print job's id (the row holds the rest). */
export interface PrintJobMessage {
  printJobId: string;
}

/** How a print job goes on the queue: under its own id, so queuing it twice queues it once. */
export const printJobOptions = (printJobId: string): JobsOptions => ({
  jobId: printJobId,
  attempts: PRINT_JOBS_ATTEMPTS,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
});
