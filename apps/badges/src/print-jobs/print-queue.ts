import { fileJobsDirectory, type FileJobKind } from '../file-jobs/file-job-kind';
import { PrintJob } from './print-job.entity';

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
export const PRINT_JOBS_DIR = fileJobsDirectory('print-jobs');

/** The data of a print-jobs queue job: the print job's id (the row holds the rest). */
export interface PrintJobMessage {
  printJobId: string;
}

/** Print jobs as file jobs (file-jobs/): their table, queue, files and words. */
export const PRINT_JOB_KIND: FileJobKind<PrintJob, PrintJobMessage> = {
  entity: PrintJob,
  table: 'print_jobs',
  queue: PRINT_JOBS_QUEUE,
  queueJobName: 'print',
  message: (printJobId) => ({ printJobId }),
  idOf: (message) => message.printJobId,
  attempts: PRINT_JOBS_ATTEMPTS,
  logKey: 'printJobId',
  words: { job: 'print job', fileOf: 'print job', items: 'badges', queue: 'print queue' },
};
