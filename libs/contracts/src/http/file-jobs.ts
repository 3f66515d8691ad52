/**
 * What print jobs and certificate jobs share in their answers (docs/API.md, "Print jobs" and
 * "Attendance certificates"): a file rendered in the background, its progress, and when it ended.
 */

export const FILE_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type FileJobStatus = (typeof FILE_JOB_STATUSES)[number];

/** The fields every file job's answer has; each kind adds what it was asked for. */
export interface FileJobView {
  id: string;
  status: FileJobStatus;
  /** Items (badges, certificates) in the file so far, of `total`. */
  done: number;
  total: number;
  createdAt: string;
  finishedAt: string | null;
  /** Why the last run failed (also while a retry waits); never on a job that is done. */
  error?: string;
}

/** Still to finish: queued, or being rendered. */
export const fileJobActive = (job: Pick<FileJobView, 'status'>): boolean =>
  job.status === 'queued' || job.status === 'running';
