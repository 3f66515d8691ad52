import { join } from 'node:path';
import type { JobsOptions } from 'bullmq';
import type { EntityTarget } from 'typeorm';
import type { FileJob } from './file-job.entity';

/**
 * One kind of file job (print jobs, certificate jobs): where its rows, queue and files are, and
 * the words its answers use. The answers' wording differs a little between the kinds and stays as
 * it was (docs/API.md); everything else about a file job is the same for both (file-jobs.ts).
 */
export interface FileJobKind<Job extends FileJob = FileJob, Message = unknown> {
  entity: EntityTarget<Job>;
  /** The table, for the SQL of recovery and erasure. */
  table: string;
  /** The service's own BullMQ queue for the kind, and the name its jobs have on it. */
  queue: string;
  queueJobName: string;
  /** The queue job's data: the row's id (the row holds the rest). */
  message: (id: string) => Message;
  idOf: (message: Message) => string;
  /** A killed worker's job is taken over by another this many times before it fails. */
  attempts: number;
  /** The key of a job's id in the logs: `printJobId`. */
  logKey: string;
  words: FileJobWords;
}

/** The words of a kind's answers and logs. */
export interface FileJobWords {
  /** "print job": `No print job …`, `The print job failed: …`. */
  job: string;
  /** How the file's answers name the job: "print job" (`The file of this print job …`). */
  fileOf: string;
  /** What `done of total` counts, if said: "badges" (`3 of 9 badges`). */
  items?: string;
  /** "print queue": `The print queue is unavailable`. */
  queue: string;
}

/** Under the file job's own id, so queuing it twice (the API, then recovery) queues it once. */
export const fileJobOptions = (id: string, attempts: number): JobsOptions => ({
  jobId: id,
  attempts,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
});

/** The folder of a kind's files: `.einlass/<name>` below the working directory. */
export const fileJobsDirectory = (name: string): string => join(process.cwd(), '.einlass', name);
