import { fileJobsDirectory, type FileJobKind } from '../file-jobs/file-job-kind';
import { CertificateJob } from './certificate-job.entity';

/** The badges service's own queue for certificate jobs (internal: not a cross-service contract). */
export const CERTIFICATE_JOBS_QUEUE = 'certificate-jobs';

/** Where finished certificate files are kept. */
export const CERTIFICATE_JOBS_DIR = fileJobsDirectory('certificate-jobs');

export interface CertificateJobMessage {
  certificateJobId: string;
}

/** Certificate jobs as file jobs (file-jobs/): their table, queue, files and words. */
export const CERTIFICATE_JOB_KIND: FileJobKind<CertificateJob, CertificateJobMessage> = {
  entity: CertificateJob,
  table: 'certificate_jobs',
  queue: CERTIFICATE_JOBS_QUEUE,
  queueJobName: 'certificates',
  message: (certificateJobId) => ({ certificateJobId }),
  idOf: (message) => message.certificateJobId,
  attempts: 3,
  logKey: 'certificateJobId',
  words: { job: 'certificate job', fileOf: 'job', queue: 'certificate queue' },
};
