import { join } from 'node:path';

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
