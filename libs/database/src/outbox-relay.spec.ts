import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { parseEnvironment } from '@einlass/config';
import { EventType, parseEnvelope, QueueName } from '@einlass/contracts';
import { redisOptionsFromUrl } from '@einlass/messaging';
import { eventSnapshot, serviceEnv, waitFor } from '@einlass/testing';
import { dataSourceOptions, migrate, ServiceDatabase } from './data-source-options';
import { writeToOutbox } from './outbox';
import { OutboxRelay } from './outbox-relay';

/** The relay on real PostgreSQL and Redis, with the registration service's schema. */
describe('outbox relay', () => {
  const env = serviceEnv({ QUEUE_PREFIX: `relay_${process.pid}` });
  const service: ServiceDatabase = { schema: 'registration', entities: [], migrations: [] };
  let dataSource: DataSource;
  let relay: OutboxRelay;
  let queue: Queue;

  const snapshot = (slug: string) => ({ event: eventSnapshot(slug, 'Kongress') });
  const jobsFor = async (slug: string) =>
    (await queue.getJobs(['waiting', 'completed', 'active', 'delayed'])).filter(
      (job) => (job.data as { payload: { event: { slug: string } } }).payload.event.slug === slug,
    );

  beforeAll(async () => {
    // The registration service's schema, with all its migrations (the outbox's shape included).
    const { registrationDatabase } =
      await import('../../../apps/registration/src/registration.database');
    await migrate(env.DATABASE_URL, registrationDatabase);
    dataSource = await new DataSource(dataSourceOptions(env.DATABASE_URL, service)).initialize();
    relay = new OutboxRelay(dataSource, new ConfigService(parseEnvironment(env)), 'registration');
    relay.onApplicationBootstrap();
    queue = new Queue(QueueName.Badges, {
      prefix: env.QUEUE_PREFIX,
      connection: redisOptionsFromUrl(env.REDIS_URL),
    });
  });

  afterAll(async () => {
    await relay.onApplicationShutdown();
    await queue.obliterate({ force: true });
    await queue.close();
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
});
