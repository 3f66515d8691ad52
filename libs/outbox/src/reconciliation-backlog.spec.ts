import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { parseEnvironment } from '@einlass/config';
import { EventType, QueueName, StreamName, type StreamScopeSummary } from '@einlass/contracts';
import { redisOptionsFromUrl } from '@einlass/messaging';
import { serviceEnv, waitFor } from '@einlass/testing';
import { dataSourceOptions, migrate, ServiceDatabase } from '@einlass/database';
import { OUTBOX_ENTITIES, OUTBOX_SUBSCRIBERS } from './outbox-tables';
import { ConsumedStream, Reconciliation, type ReconciliationEnvelope } from './reconciliation';

/**
 * The reconciliation tells messages on their way from lost ones (real PostgreSQL and Redis, the
 * registration schema's outbox as the consumer's): it asks for a replay only when the consumer
 * still holds less than the producer counted once nothing sent before the count waits in its
 * queue, and the producer had nothing unsent. Found in bench/replay: during a 34,683-person import
 * check-in asked badges twice for the whole event while the badges were queued for it, and the
 * 104,049 badge.issued messages that followed tripled the work of the backlog.
 */
describe('reconciliation during a backlog', () => {
  const env = serviceEnv({ QUEUE_PREFIX: `backlog_${process.pid}` });
  const service: ServiceDatabase = {
    schema: 'registration',
    entities: OUTBOX_ENTITIES,
    subscribers: OUTBOX_SUBSCRIBERS,
    migrations: [],
  };
  let dataSource: DataSource;
  let reconciliation: Reconciliation;
  let ownQueue: Queue;
  /** What the consumer holds of scope `e1`: set by each test. */
  let held = 0;

  const consumed: ConsumedStream = {
    stream: StreamName.Attendees,
    compares: 'count',
    summarise: () => Promise.resolve([{ scope: 'e1', count: held, total: 0 }]),
  };

  const summary = (scopes: StreamScopeSummary[], unsent: number) =>
    ({
      messageId: `summary-${Math.random()}`,
      type: EventType.StreamSummary,
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      payload: { stream: StreamName.Attendees, scopes, at: new Date().toISOString(), unsent },
    }) as ReconciliationEnvelope;

  const receive = (envelope: ReconciliationEnvelope) =>
    dataSource.transaction((manager) => reconciliation.handle(envelope, manager));

  const written = async (type: EventType) =>
    (await dataSource.query(`SELECT payload FROM outbox WHERE type = $1 ORDER BY id`, [type])).map(
      (row: { payload: unknown }) => row.payload,
    );

  beforeAll(async () => {
    const { registrationDatabase } = await import('../../../apps/registration/testing');
    await migrate(env.DATABASE_URL, registrationDatabase);
    dataSource = await new DataSource(dataSourceOptions(env.DATABASE_URL, service)).initialize();
    ownQueue = new Queue(QueueName.Badges, {
      prefix: env.QUEUE_PREFIX,
      connection: redisOptionsFromUrl(env.REDIS_URL),
    });
  });

  beforeEach(async () => {
    await dataSource.query(`DELETE FROM outbox`);
    await ownQueue.obliterate({ force: true });
    reconciliation = new Reconciliation(
      dataSource,
      new ConfigService(parseEnvironment(env)),
      QueueName.Badges,
      [],
      [consumed],
    );
  });

  afterEach(async () => {
    await reconciliation.onApplicationShutdown();
  });

  afterAll(async () => {
    await ownQueue.obliterate({ force: true });
    await ownQueue.close();
    await dataSource.destroy();
  });

  it('asks for no replay while messages sent before the count wait in its queue', async () => {
    held = 7;
    // A message to this consumer, queued before the producer counted, not yet taken.
    await ownQueue.add('attendee.registered', { queued: 'before the count' });
    await receive(summary([{ scope: 'e1', count: 10, total: 0 }], 0));
    // Longer than two rechecks (3 s each): still waiting, no replay.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    expect(await written(EventType.StreamReplayRequested)).toEqual([]);

    // The backlog is taken, and the consumer still holds less: now it is a loss.
    await ownQueue.obliterate({ force: true });
    const asked = await waitFor(
      'the replay to be asked for',
      async () => {
        const rows = await written(EventType.StreamReplayRequested);
        return rows.length > 0 ? rows : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(asked).toEqual([
      { stream: StreamName.Attendees, scope: 'e1', replyTo: QueueName.Badges },
    ]);
    expect(reconciliation.status().repairs.map((r) => r.consumer.count)).toEqual([7]);
  }, 30_000);

  it('asks once for two summaries that cross, and not for a scope it is ahead in', async () => {
    held = 12;
    await receive(
      summary(
        [
          { scope: 'e1', count: 20, total: 0 },
          { scope: 'e2', count: 0, total: 0 },
        ],
        0,
      ),
    );
    await receive(summary([{ scope: 'e1', count: 20, total: 0 }], 0));
    await waitFor(
      'the replay to be asked for',
      async () => ((await written(EventType.StreamReplayRequested)).length > 0 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await written(EventType.StreamReplayRequested)).toEqual([
      { stream: StreamName.Attendees, scope: 'e1', replyTo: QueueName.Badges },
    ]);
  }, 30_000);

  it("asks for a fresh summary, not a replay, while the producer's messages were unsent", async () => {
    held = 3;
    await receive(summary([{ scope: 'e1', count: 5, total: 0 }], 2));
    await waitFor(
      'a fresh summary to be asked for',
      async () => ((await written(EventType.StreamSummaryRequested)).length > 0 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(await written(EventType.StreamReplayRequested)).toEqual([]);
  }, 30_000);
});
