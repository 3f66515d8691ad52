import { ConfigService } from '@nestjs/config';
import { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { parseEnvironment } from '@einlass/config';
import { EventType, parseEnvelope, QueueName, REPLAY_BATCH_JOB } from '@einlass/contracts';
import { redisOptionsFromUrl } from '@einlass/messaging';
import { eventSnapshot, quietLeftoverOutboxes, serviceEnv, waitFor } from '@einlass/testing';
import { dataSourceOptions, migrate, ServiceDatabase } from '@einlass/database';
import { messagesToConsume } from './consume-once';
import { OUTBOX_ENTITIES, OUTBOX_SUBSCRIBERS } from './outbox-tables';
import { writeToOutbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { markKey } from './redis-mark';

/** The relay on real PostgreSQL and Redis, with the registration service's schema. */
describe('outbox relay', () => {
  const env = serviceEnv({ QUEUE_PREFIX: `relay_${process.pid}`, REDIS_CHECK_MS: '200' });
  const service: ServiceDatabase = {
    schema: 'registration',
    entities: OUTBOX_ENTITIES,
    subscribers: OUTBOX_SUBSCRIBERS,
    migrations: [],
  };
  let dataSource: DataSource;
  let relay: OutboxRelay;
  let queue: Queue;
  let checkinQueue: Queue;
  let redis: Redis;

  const snapshot = (slug: string) => ({ event: eventSnapshot(slug, 'Kongress') });
  type Message = { messageId: string; payload: { event: { slug: string } } };
  /** The messages a job carries: one, or many in a replay batch. */
  const messagesOf = (job: Job): Message[] =>
    job.name === REPLAY_BATCH_JOB
      ? (job.data as { messages: Message[] }).messages
      : [job.data as Message];
  const jobsFor = async (slug: string) =>
    (await queue.getJobs(['waiting', 'completed', 'active', 'delayed'])).filter((job) =>
      messagesOf(job).some((message) => message.payload.event.slug === slug),
    );

  beforeAll(async () => {
    // The registration service's schema, with all its migrations (the outbox's shape included).
    const { registrationDatabase } = await import('../../../apps/registration/testing');
    await migrate(env.DATABASE_URL, registrationDatabase);
    // This relay takes every unsent row of the schema: what earlier files left is not its to send.
    await quietLeftoverOutboxes(env.DATABASE_URL);
    dataSource = await new DataSource(dataSourceOptions(env.DATABASE_URL, service)).initialize();
    relay = new OutboxRelay(dataSource, new ConfigService(parseEnvironment(env)), 'registration');
    relay.onApplicationBootstrap();
    queue = new Queue(QueueName.Badges, {
      prefix: env.QUEUE_PREFIX,
      connection: redisOptionsFromUrl(env.REDIS_URL),
    });
    checkinQueue = new Queue(QueueName.Checkin, {
      prefix: env.QUEUE_PREFIX,
      connection: redisOptionsFromUrl(env.REDIS_URL),
    });
    redis = new Redis(redisOptionsFromUrl(env.REDIS_URL));
  });

  afterAll(async () => {
    await relay.onApplicationShutdown();
    await queue.obliterate({ force: true });
    await checkinQueue.obliterate({ force: true });
    await queue.close();
    await checkinQueue.close();
    await redis.del(markKey(env.QUEUE_PREFIX, 'registration'));
    redis.disconnect();
    await dataSource.destroy();
  });

  it('publishes a committed message at once, with its message id as job id, and marks it sent', async () => {
    await dataSource.transaction((manager) =>
      writeToOutbox(manager, EventType.EventCreated, snapshot('committed')),
    );
    const [job] = await waitFor(
      'the job',
      async () => {
        const jobs = await jobsFor('committed');
        return jobs.length > 0 ? jobs : undefined;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    const envelope = parseEnvelope(job.data);
    expect(job.name).toBe('event.created');
    expect(job.id).toBe(envelope.messageId);
    expect(job.id).toMatch(/^registration-[0-9a-f-]{36}$/);
    // Marked sent when the relay's claim commits, just after the job is added.
    await waitFor('the row to be marked sent', async () => {
      const [row] = await dataSource.query(
        `SELECT sent_at FROM outbox WHERE 'registration-' || message_id = $1`,
        [job.id],
      );
      return row.sent_at !== null;
    });
  });

  it('publishes nothing from a transaction that rolled back', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await writeToOutbox(manager, EventType.EventCreated, snapshot('rolled-back'));
        throw new Error('the business write failed');
      }),
    ).rejects.toThrow('the business write failed');
    await new Promise((resolve) => setTimeout(resolve, 700)); // longer than a polling round
    expect(await jobsFor('rolled-back')).toHaveLength(0);
  });

  it('refuses to write outside a transaction', async () => {
    await expect(
      writeToOutbox(dataSource.manager, EventType.EventCreated, snapshot('no-tx')),
    ).rejects.toThrow(/open transaction/);
  });

  /** What Redis losing its data does to the queues of this prefix (other prefixes are others'). */
  const loseRedisData = async () => {
    await queue.obliterate({ force: true });
    await checkinQueue.obliterate({ force: true });
    await redis.del(markKey(env.QUEUE_PREFIX, 'registration'));
  };
  const rowOf = async (slug: string) => {
    const [row] = await dataSource.query(
      `SELECT message_id, sent_at, republished FROM outbox WHERE payload->'event'->>'slug' = $1`,
      [slug],
    );
    return row as { message_id: string; sent_at: Date | null; republished: number };
  };

  it('republishes a message Redis lost before its consumer had it, in a replay batch of its own', async () => {
    await dataSource.transaction((manager) =>
      writeToOutbox(manager, EventType.EventCreated, snapshot('lost-waiting')),
    );
    const [first] = await waitFor('the job', async () => {
      const jobs = await jobsFor('lost-waiting');
      return jobs.length > 0 ? jobs : undefined;
    });
    // No consumer took it: it waits in the queue when Redis loses everything.
    await loseRedisData();
    expect(await jobsFor('lost-waiting')).toHaveLength(0);

    const [again] = await waitFor(
      'the job to be republished',
      async () => {
        const jobs = await jobsFor('lost-waiting');
        return jobs.length > 0 ? jobs : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    // One job for all the messages republished together, under a job id BullMQ has never seen,
    // removed from Redis once its consumer is done (the inbox deduplicates its messages).
    expect(again.name).toBe(REPLAY_BATCH_JOB);
    expect(again.id).toMatch(/^registration-[0-9a-f-]{36}-r1-batch$/);
    expect(again.opts.removeOnComplete).toBe(true);
    // The same message for the consumer's inbox: a repeat it has seen is a no-op.
    const message = messagesOf(again).find((m) => m.payload.event.slug === 'lost-waiting');
    expect(parseEnvelope(message).messageId).toBe(parseEnvelope(first.data).messageId);
    const row = await rowOf('lost-waiting');
    expect(row.republished).toBe(1);
    // The row knows the batch that carried it: an erasure finds its copy there.
    const [{ job_id: jobId }] = await dataSource.query(
      `SELECT job_id FROM outbox WHERE message_id = $1`,
      [row.message_id],
    );
    expect(jobId).toBe(again.id);

    // A consumer takes from the batch only what its inbox lacks, in order, with one query.
    const [seen] = messagesOf(again);
    await dataSource.query(`INSERT INTO inbox (message_id) VALUES ($1)`, [seen.messageId]);
    const toConsume = (await messagesToConsume(dataSource, again)) as Message[];
    expect(toConsume.map((m) => m.messageId)).toEqual(
      messagesOf(again)
        .map((m) => m.messageId)
        .filter((id) => id !== seen.messageId),
    );
    // A single-message job is taken as it is (consumeOnce's inbox decides).
    expect(await messagesToConsume(dataSource, first)).toEqual([first.data]);
    // A batch that is not one answers an error naming what is wrong, before anything is done.
    await expect(
      messagesToConsume(dataSource, { name: REPLAY_BATCH_JOB, data: { messages: 'x' } }),
    ).rejects.toThrow(/messages/);
    const [mark] = await dataSource.query(
      `SELECT losses, last_replay_count FROM redis_mark WHERE queue_prefix = $1`,
      [env.QUEUE_PREFIX],
    );
    expect(mark.losses).toBeGreaterThanOrEqual(1);
    expect(mark.last_replay_count).toBeGreaterThanOrEqual(1);
  });

  it('does not republish what its consumers had processed before Redis lost its data', async () => {
    await dataSource.transaction((manager) =>
      writeToOutbox(manager, EventType.EventCreated, snapshot('delivered')),
    );
    await waitFor('the job', async () =>
      (await jobsFor('delivered')).length > 0 ? true : undefined,
    );
    // The consumers take everything (the queues are empty): the point of delivery moves past it.
    await queue.obliterate({ force: true });
    await checkinQueue.obliterate({ force: true });
    await waitFor(
      'the point of delivery to pass the message',
      async () => {
        const row = await rowOf('delivered');
        const [mark] = await dataSource.query(
          `SELECT confirmed_before FROM redis_mark WHERE queue_prefix = $1`,
          [env.QUEUE_PREFIX],
        );
        return row.sent_at && mark.confirmed_before > row.sent_at ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    const [before] = await dataSource.query(
      `SELECT losses FROM redis_mark WHERE queue_prefix = $1`,
      [env.QUEUE_PREFIX],
    );
    await loseRedisData();
    await waitFor(
      'the loss to be found',
      async () => {
        const [mark] = await dataSource.query(
          `SELECT losses, replay_from FROM redis_mark WHERE queue_prefix = $1`,
          [env.QUEUE_PREFIX],
        );
        return mark.losses > before.losses && mark.replay_from === null ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect((await rowOf('delivered')).republished).toBe(0);
    expect(await jobsFor('delivered')).toHaveLength(0);
  });
});
