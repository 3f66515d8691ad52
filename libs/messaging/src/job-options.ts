import type { JobsOptions } from 'bullmq';

/**
 * Defaults for every event job. Retries with backoff cover a consumer that cannot yet process a
 * message (its database is restarting); completed jobs are kept for a day so a re-sent job id is
 * still recognised as a duplicate by BullMQ, while consumers stay idempotent on their own (inbox).
 */
export const EVENT_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
