import { ConflictException, GoneException, type HttpException } from '@nestjs/common';
import type { FileJobWords } from './file-job-kind';
import { failedRun, fileJobView, lastAttempt, readableFile } from './file-job-rules';
import type { FileJob } from './file-job.entity';

const PRINT: FileJobWords = {
  job: 'print job',
  fileOf: 'print job',
  items: 'badges',
  queue: 'print queue',
};
const CERTIFICATES: FileJobWords = {
  job: 'certificate job',
  fileOf: 'job',
  queue: 'certificate queue',
};

const job = (changes: Partial<FileJob> = {}): FileJob => ({
  id: '4f7d9c1e-0000-4000-8000-000000000001',
  eventId: '4f7d9c1e-0000-4000-8000-000000000002',
  status: 'done',
  done: 9,
  total: 9,
  error: null,
  filePath: '/files/job.pdf',
  createdAt: new Date('2026-12-04T09:00:00Z'),
  finishedAt: new Date('2026-12-04T09:01:00Z'),
  fileErasedAt: null,
  ...changes,
});

/** What readableFile throws: its class, status and message. */
function refusal(of: FileJob, words: FileJobWords): HttpException {
  try {
    readableFile(of, words);
  } catch (error) {
    return error as HttpException;
  }
  throw new Error('the file was handed out');
}

describe('fileJobView', () => {
  it('puts what the kind adds after the counts, the times after it', () => {
    const view = fileJobView(job(), { layout: 'a6', sort: 'lastName' });
    expect(view).toEqual({
      id: job().id,
      status: 'done',
      done: 9,
      total: 9,
      layout: 'a6',
      sort: 'lastName',
      createdAt: '2026-12-04T09:00:00.000Z',
      finishedAt: '2026-12-04T09:01:00.000Z',
    });
    // The answers keep their order of keys as they had it before the kinds shared this.
    expect(Object.keys(view)).toEqual([
      'id',
      'status',
      'done',
      'total',
      'layout',
      'sort',
      'createdAt',
      'finishedAt',
    ]);
  });

  it('shows the error of a job not done (failed, or waiting for a retry), never of a done one', () => {
    expect(fileJobView(job({ status: 'failed', error: 'disk full' }), {}).error).toBe('disk full');
    expect(fileJobView(job({ status: 'queued', error: 'worker died' }), {}).error).toBe(
      'worker died',
    );
    expect(fileJobView(job({ status: 'done', error: 'worker died' }), {})).not.toHaveProperty(
      'error',
    );
    expect(fileJobView(job({ status: 'running', finishedAt: null }), {}).finishedAt).toBeNull();
  });
});

describe('readableFile', () => {
  it('hands out the path of a done job', () => {
    expect(readableFile(job(), PRINT)).toBe('/files/job.pdf');
  });

  it('answers 409 for a failed job, with its error', () => {
    const failed = refusal(job({ status: 'failed', error: 'disk full', filePath: null }), PRINT);
    expect(failed).toBeInstanceOf(ConflictException);
    expect(failed.message).toBe('The print job failed: disk full');
    expect(refusal(job({ status: 'failed' }), CERTIFICATES).message).toBe(
      'The certificate job failed: unknown error',
    );
  });

  it('answers 410 once an erasure deleted the file, in each kind’s words', () => {
    const erased = job({ filePath: null, fileErasedAt: new Date() });
    expect(refusal(erased, PRINT)).toBeInstanceOf(GoneException);
    expect(refusal(erased, PRINT).getStatus()).toBe(410);
    expect(refusal(erased, PRINT).message).toBe(
      'The file of this print job was deleted when personal data in it was erased',
    );
    expect(refusal(erased, CERTIFICATES).message).toBe(
      'The file of this job was deleted when personal data in it was erased',
    );
    // An erasure wins over "not done yet": the file will not come back.
    expect(refusal(job({ status: 'running', fileErasedAt: new Date() }), PRINT).getStatus()).toBe(
      410,
    );
  });

  it('answers 409 while the job is not done, saying how far it is', () => {
    const running = job({ status: 'running', done: 3, filePath: null, finishedAt: null });
    expect(refusal(running, PRINT)).toBeInstanceOf(ConflictException);
    expect(refusal(running, PRINT).message).toBe(
      'The print job is running (3 of 9 badges); the file is there once it is done',
    );
    expect(refusal(running, CERTIFICATES).message).toBe(
      'The certificate job is running (3 of 9); the file is there once it is done',
    );
    // Done without a file (should never be): still no file to hand out.
    expect(refusal(job({ filePath: null }), PRINT).getStatus()).toBe(409);
  });
});

describe('failedRun', () => {
  const now = new Date('2026-12-04T10:00:00Z');

  it('fails the job for good after the last attempt', () => {
    expect(failedRun(new Error('boom'), true, now)).toEqual({
      status: 'failed',
      error: 'boom',
      finishedAt: now,
    });
  });

  it('queues it again, saying why, while a retry follows', () => {
    expect(failedRun(new Error('boom'), false, now)).toEqual({ status: 'queued', error: 'boom' });
  });
});

describe('lastAttempt', () => {
  it('is the last when unrecoverable or when the attempts are used up', () => {
    expect(lastAttempt({ attemptsMade: 1, opts: { attempts: 3 } }, true)).toBe(true);
    expect(lastAttempt({ attemptsMade: 1, opts: { attempts: 3 } }, false)).toBe(false);
    expect(lastAttempt({ attemptsMade: 3, opts: { attempts: 3 } }, false)).toBe(true);
    expect(lastAttempt({ attemptsMade: 1, opts: {} }, false)).toBe(true);
  });
});
