import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { EventType, QueueName, type EventEnvelope } from '@einlass/contracts';
import { serviceEnv, waitFor } from '@einlass/testing';
import { QueuedCopies } from './queued-copies';
import { redisOptionsFromUrl } from './redis-connection';

/** Scrubbing the copies of redacted messages on a real Redis, with BullMQ's own bookkeeping. */
describe('queued copies', () => {
  const env = serviceEnv({ QUEUE_PREFIX: `copies_${process.pid}` });
  const connection = () => redisOptionsFromUrl(env.REDIS_URL);
  let queue: Queue;
  let redis: Redis;
  let copies: QueuedCopies;

  const envelope = (id: string, name: string): EventEnvelope =>
    ({
      messageId: id,
      type: EventType.AttendeeRegistered,
      schemaVersion: 1,
      occurredAt: new Date(0).toISOString(),
      payload: { attendee: { id, firstName: name } },
    }) as unknown as EventEnvelope;

  beforeAll(() => {
    queue = new Queue(QueueName.Badges, { prefix: env.QUEUE_PREFIX, connection: connection() });
    redis = new Redis(connection());
    copies = new QueuedCopies(env.REDIS_URL, env.QUEUE_PREFIX);
  });

  afterAll(async () => {
    await copies.onApplicationShutdown();
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('removes finished copies (and republished ones) in bulk, and rewrites those still waiting', async () => {
    const finished = Array.from({ length: 2500 }, (_, i) => `registration-${i + 1}`);
    await queue.addBulk(
      [...finished, 'registration-1-r1'].map((jobId) => ({
        name: 'm',
        data: envelope(jobId, 'Vorname'),
        opts: { jobId, removeOnComplete: false, removeOnFail: false },
      })),
    );
    // One fails for good: failed copies are kept a week, and go too.
    const worker = new Worker(
      QueueName.Badges,
      (job: Job) =>
        job.id === 'registration-7' ? Promise.reject(new Error('no')) : Promise.resolve(),
      { prefix: env.QUEUE_PREFIX, connection: connection(), concurrency: 50 },
    );
    await waitFor(
      'every job finished',
      async () => {
        const counts = await queue.getJobCounts('completed', 'failed');
        return counts.completed + counts.failed === finished.length + 1 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    await worker.close();
    await queue.add('m', envelope('registration-9999', 'Vorname'), { jobId: 'registration-9999' });

    const scrubbed = await copies.scrub([
      ...finished.map((jobId) => ({
        jobIds: jobId === 'registration-1' ? [jobId, `${jobId}-r1`] : [jobId],
        queues: [QueueName.Badges],
        envelope: envelope(jobId, ''),
      })),
      {
        jobIds: ['registration-9999', 'registration-10000'],
        queues: [QueueName.Badges],
        envelope: envelope('registration-9999', ''),
      },
    ]);

    expect(scrubbed).toEqual({ removed: finished.length + 1, rewritten: 1 });
    expect(await queue.getJobCounts('completed', 'failed', 'waiting')).toEqual({
      completed: 0,
      failed: 0,
      waiting: 1,
    });
    expect(await redis.exists(`${env.QUEUE_PREFIX}:${QueueName.Badges}:registration-7`)).toBe(0);
    expect(await redis.exists(`${env.QUEUE_PREFIX}:${QueueName.Badges}:registration-1-r1`)).toBe(0);
    const waiting = await queue.getJob('registration-9999');
    expect(
      (waiting?.data as { payload: { attendee: { firstName: string } } }).payload.attendee,
    ).toEqual({ id: 'registration-9999', firstName: '' });
    // Again (an erasure resumed): nothing left to remove, nothing breaks.
    expect(
      await copies.scrub([
        { jobIds: finished, queues: [QueueName.Badges], envelope: envelope('x', '') },
      ]),
    ).toEqual({ removed: 0, rewritten: 0 });
  });
});
