import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import {
  ApiClient,
  DisposableRedis,
  ServiceProcesses,
  TEST_DATABASE_URL,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * The failed list of each service's queue and its retry (GET/POST /api/pipeline/failed-jobs…),
 * across the three processes: a message the badges service gave up on is listed with why, the
 * organiser mends the cause and retries it, and the badge is issued.
 */
describe('failed messages and their retry', () => {
  let redis: DisposableRedis;
  let services: ServiceProcesses;
  let registration: ApiClient;
  let badges: ApiClient;
  let badgesQueue: Queue;
  const prefix = `failed_${process.pid}`;
  const slug = uniqueSlug('failed');
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  /** A real attendee.registered message of this event, as registration wrote it. */
  let template: { type: string; payload: Record<string, unknown> };

  /** A message for a new person; `broken` leaves out the last name, which badges refuses. */
  const message = (attendeeId: string, broken: boolean) => {
    const attendee = {
      ...(template.payload.attendee as Record<string, unknown>),
      id: attendeeId,
      firstName: 'Nachgereicht',
      lastName: 'Später',
    };
    if (broken) delete (attendee as { lastName?: string }).lastName;
    return {
      messageId: `test-${randomUUID()}`,
      type: template.type,
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      payload: { ...template.payload, attendee },
    };
  };

  /** Puts a message in the badges queue that fails at once (one attempt). */
  const failingJob = async (attendeeId: string) => {
    const data = message(attendeeId, true);
    const job = await badgesQueue.add(template.type, data, { jobId: data.messageId, attempts: 1 });
    await waitFor(`job ${job.id} to fail`, async () =>
      (await job.getState()) === 'failed' ? true : undefined,
    );
    return job;
  };

  const failedList = async (client = badges) =>
    (await client.get('/api/pipeline/failed-jobs')).body as {
      service: string;
      queue: string;
      total: number;
      jobs: { id: string; type: string; failedReason: string; attemptsMade: number }[];
    };

  beforeAll(async () => {
    redis = await DisposableRedis.start();
    services = new ServiceProcesses(5881, { REDIS_URL: redis.url, QUEUE_PREFIX: prefix });
    await services.startAll();
    registration = new ApiClient(services.url('registration'), TEST_ORGANISER_TOKEN);
    badges = new ApiClient(services.url('badges'), TEST_ORGANISER_TOKEN);
    badgesQueue = new Queue('badges', {
      prefix,
      connection: { host: '127.0.0.1', port: redis.port },
    });
    await db.connect();

    expect((await registration.post('/api/events', { ...SAMPLE_EVENT, slug })).status).toBe(201);
    const { body: person } = await registration.post(`/api/events/${slug}/attendees`, {
      firstName: 'Vorlage',
      lastName: 'Muster',
      category: 'attendee',
    });
    const { rows } = await db.query<{ type: string; payload: Record<string, unknown> }>(
      `SELECT type, payload FROM registration.outbox
        WHERE type = 'attendee.registered' AND payload->'attendee'->>'id' = $1`,
      [person.id],
    );
    template = rows[0];
  }, 90_000);

  afterAll(async () => {
    await badgesQueue?.close();
    await services?.stopAll();
    await redis?.dispose();
    await db.end();
  }, 30_000);

  it('lists a message the consumer gave up on, with why; retried after the cause is mended, it is handled', async () => {
    const attendeeId = randomUUID();
    const job = await failingJob(attendeeId);

    const list = await failedList();
    expect(list).toMatchObject({ service: 'badges', queue: 'badges' });
    const listed = list.jobs.find((j) => j.id === job.id);
    expect(listed).toMatchObject({ type: 'attendee.registered', attemptsMade: 1 });
    expect(listed!.failedReason).toMatch(/lastName/);
    expect(list.total).toBe(list.jobs.length);
    // The pipeline card's count says the same.
    const { body: pipeline } = await badges.get(`/api/events/${slug}/pipeline`);
    expect(pipeline.queue.failed).toBe(list.total);
    expect(pipeline.queue).toHaveProperty('oldestWaitingAgeSeconds');

    // What an operator does: the cause is mended (here the message itself), then retry.
    await job.updateData(message(attendeeId, false));
    const retried = await badges.post(`/api/pipeline/failed-jobs/${job.id}/retry`, {});
    expect(retried).toMatchObject({ status: 200, body: { retried: 1 } });
    await waitFor('the retried message to issue its badge', async () => {
      const { status, body } = await badges.get(
        `/api/events/${slug}/attendees/${attendeeId}/badge`,
      );
      return status === 200 && body.status === 'issued' ? body : undefined;
    });
    expect((await failedList()).jobs.some((j) => j.id === job.id)).toBe(false);

    // Retrying it again: it is no longer failed.
    expect((await badges.post(`/api/pipeline/failed-jobs/${job.id}/retry`, {})).status).toBe(404);
  }, 60_000);

  it('retries every failed message at once; still broken, they fail again and stay listed', async () => {
    const jobs = [await failingJob(randomUUID()), await failingJob(randomUUID())];
    const before = await failedList();
    expect(before.total).toBe(2);

    const retried = await badges.post('/api/pipeline/failed-jobs/retry', {});
    expect(retried).toMatchObject({ status: 200, body: { retried: 2 } });
    await waitFor('both to fail again', async () => {
      const list = await failedList();
      const again = list.jobs.filter(
        (j) => jobs.some((job) => job.id === j.id) && j.attemptsMade === 2,
      );
      return again.length === 2 ? true : undefined;
    });
  }, 60_000);

  it('answers 404 for a job that is not failed, 400 for a bad limit, and an empty list elsewhere', async () => {
    expect((await badges.post('/api/pipeline/failed-jobs/no-such-job/retry', {})).status).toBe(404);
    expect((await badges.get('/api/pipeline/failed-jobs?limit=0')).status).toBe(400);
    expect((await badges.get('/api/pipeline/failed-jobs?limit=zwei')).status).toBe(400);
    expect((await badges.get('/api/pipeline/failed-jobs?limit=1')).body.jobs).toHaveLength(1);
    for (const service of ['registration', 'checkin'] as const) {
      const client = new ApiClient(services.url(service), TEST_ORGANISER_TOKEN);
      expect(await failedList(client)).toMatchObject({
        service,
        queue: service,
        total: 0,
        jobs: [],
      });
    }
  }, 30_000);

  it('is for organiser tokens of every event only: a queue carries the messages of all events', async () => {
    for (const role of ['organiser', 'door'] as const) {
      const { body: issued } = await registration.post('/api/tokens', {
        role,
        label: `Nur ${slug}`,
        events: [slug],
      });
      const limited = new ApiClient(services.url('badges'), issued.token as string);
      // 401 until the token reaches badges over the queue, then refused for what it is.
      const status = await waitFor(`badges to know the ${role} token`, async () => {
        const answer = await limited.get('/api/pipeline/failed-jobs');
        return answer.status !== 401 ? answer.status : undefined;
      });
      expect(status).toBe(403);
      expect((await limited.post('/api/pipeline/failed-jobs/retry', {})).status).toBe(403);
    }
    expect(
      (await new ApiClient(services.url('badges')).get('/api/pipeline/failed-jobs')).status,
    ).toBe(401);
  }, 60_000);

  it('says Redis is unreachable (503) while it is away, and lists again when it is back', async () => {
    await badgesQueue.close(); // the test's own client: done with it before Redis goes
    await redis.stop();
    const away = await badges.get('/api/pipeline/failed-jobs');
    expect(away.status).toBe(503);
    expect(away.body.message).toMatch(/Redis/);
    expect((await badges.post('/api/pipeline/failed-jobs/retry', {})).status).toBe(503);
    await redis.start();
    await waitFor('the list to come back', async () =>
      (await badges.get('/api/pipeline/failed-jobs')).status === 200 ? true : undefined,
    );
  }, 60_000);
});
