import { join } from 'node:path';
import type { JobsOptions } from 'bullmq';

/** The badges service's own queue for certificate jobs (internal: not a cross-service contract). */
export const CERTIFICATE_JOBS_QUEUE = 'certificate-jobs';

/** Where finished certificate files are kept. */
export const CERTIFICATE_JOBS_DIR = join(process.cwd(), '.einlass', 'certificate-jobs');

export interface CertificateJobMessage {
  certificateJobId: string;
}

/** Under the job's own id, so queuing it twice queues it once (as print jobs). */
export const certificateJobOptions = (id: string): JobsOptions => ({
  jobId: id,
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
});
