import { Client } from 'pg';
import {
  ApiClient,
  DisposableRedis,
  inParallel,
  ServiceProcesses,
  TEST_DATABASE_URL,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * Nothing is lost: registrations acknowledged while Redis is down, by a registration process that
 * then dies, still reach badges and check-in once Redis and the process are back.
 */
describe('a registration acknowledged during a Redis outage', () => {
  let redis: DisposableRedis;
  let services: ServiceProcesses;
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;
  const slug = uniqueSlug('outage');
  const db = new Client({ connectionString: TEST_DATABASE_URL });

  beforeAll(async () => {
    redis = await DisposableRedis.start();
    services = new ServiceProcesses(4201, {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `outage_${process.pid}`,
    });
    await services.startAll();
    registration = new ApiClient(services.url('registration'), TEST_ORGANISER_TOKEN);
    badges = new ApiClient(services.url('badges'), TEST_ORGANISER_TOKEN);
    checkin = new ApiClient(services.url('checkin'), TEST_ORGANISER_TOKEN);
    await db.connect();
  }, 90_000);

  afterAll(async () => {
    await services.stopAll();
    await redis.dispose();
    await db.end();
  }, 30_000);

  it('reaches badges and check-in after Redis returns and the registration process restarts', async () => {
    expect((await registration.post('/api/events', { ...SAMPLE_EVENT, slug })).status).toBe(201);

    await redis.stop();
    const people = Array.from({ length: 10 }, (_, i) => ({
      externalId: `OUT-${i + 1}`,
      firstName: `Geduldig ${i + 1}`,
      lastName: 'Wartend',
      category: 'attendee',
    }));
    const answers = await inParallel(people, 5, (p) =>
      registration.post(`/api/events/${slug}/attendees`, p),
    );
    expect(answers.map((a) => a.status)).toEqual(people.map(() => 201));
    const ids = answers.map((a) => a.body.id as string);

    // The process dies right after acknowledging: only PostgreSQL holds the messages now.
    await services.stop('registration', 'SIGKILL');
    const [{ unsent }] = (
      await db.query(
        `SELECT count(*)::int AS unsent FROM registration.outbox
          WHERE sent_at IS NULL AND type = 'attendee.registered' AND payload->'event'->>'slug' = $1`,
        [slug],
      )
    ).rows;
    expect(unsent).toBe(10); // one per person, for badges and check-in alike

    await redis.start();
    await services.start('registration');

    await waitFor(
      'every badge to be issued',
      async () => {
        const states = await Promise.all(
          ids.map(
            async (id) =>
              (await badges.get(`/api/events/${slug}/attendees/${id}/badge`)).body.status,
          ),
        );
        return states.every((s) => s === 'issued');
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const { body: badge } = await badges.get(`/api/events/${slug}/attendees/${ids[0]}/badge`);
    const admitted = await waitFor('check-in to admit the badge', async () => {
      const { body } = await checkin.post(`/api/events/${slug}/scan`, {
        qr: badge.qr,
        gate: 'Nord',
      });
      return body.result === 'admitted' ? body : undefined;
    });
    expect(admitted.attendee.name).toBe('Geduldig 1 Wartend');
    const { body: attendance } = await checkin.get(`/api/events/${slug}/attendance`);
    expect(attendance.registered).toBe(10);
  }, 150_000);
});
