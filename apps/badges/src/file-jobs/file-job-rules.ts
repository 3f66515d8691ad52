import { ConflictException, GoneException } from '@nestjs/common';
import type { FileJobView } from '@einlass/contracts';
import type { FileJobWords } from './file-job-kind';
import type { FileJob } from './file-job.entity';

/**
 * What print jobs and certificate jobs decide alike, without a database or a queue: how a job is
 * shown, when its file may be had, what a failed run leaves in the row.
 */

/**
 * A job as the API shows it: the shared fields around what the kind adds (`own`, after `total`).
 * `error` only while the job is not done (a retry that succeeded leaves no error behind).
 */
export function fileJobView<Own extends object>(job: FileJob, own: Own): FileJobView & Own {
  return {
    id: job.id,
    status: job.status,
    done: job.done,
    total: job.total,
    ...own,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    ...(job.error && job.status !== 'done' ? { error: job.error } : {}),
  };
}

/**
 * Where the job's file is, if it may be had; else throws why not: the job failed (409), its file
 * was deleted by an erasure (410, whatever the status), or it is not done yet (409, saying how far
 * it has got).
 */
export function readableFile(job: FileJob, words: FileJobWords): string {
  if (job.status === 'failed') {
    throw new ConflictException(`The ${words.job} failed: ${job.error ?? 'unknown error'}`);
  }
  if (job.fileErasedAt) {
    throw new GoneException(
      `The file of this ${words.fileOf} was deleted when personal data in it was erased`,
    );
  }
  if (job.status !== 'done' || !job.filePath) {
    const items = words.items ? ` ${words.items}` : '';
    throw new ConflictException(
      `The ${words.job} is ${job.status} (${job.done} of ${job.total}${items}); the file is there once it is done`,
    );
  }
  return job.filePath;
}

/** What a failed run writes to the row: failed for good when `final`, else queued for a retry. */
export function failedRun(
  error: Error,
  final: boolean,
  now = new Date(),
): Pick<FileJob, 'status' | 'error'> & Partial<Pick<FileJob, 'finishedAt'>> {
  return final
    ? { status: 'failed', error: error.message, finishedAt: now }
    : { status: 'queued', error: error.message };
}

/** Whether a failed run was the last: unrecoverable, or out of attempts. */
export function lastAttempt(
  job: { attemptsMade: number; opts: { attempts?: number } },
  unrecoverable: boolean,
): boolean {
  return unrecoverable || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** SQL (over events `e`): whether a finished job of `table` still holds a file to erase. */
export const unerasedFiles = (table: string): string =>
  `EXISTS (SELECT 1 FROM ${table} j WHERE j.event_id = e.id
      AND j.file_erased_at IS NULL AND j.status IN ('done', 'failed'))`;
