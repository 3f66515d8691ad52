import { Queue } from 'bullmq';
import { Client } from 'pg';
import {
  ApiClient,
  DisposableRedis,
  everythingStored,
  inParallel,
  ServiceProcesses,
  TEST_DATABASE_URL,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * Nothing is lost even when Redis loses what it held (issue 12): three service processes on a
 * Redis server of the test's own, which the test kills and starts empty, or flushes. No step but
 * starting the stopped service again: the services find the loss and repair it by themselves.
 */
describe('Redis losing its data', () => {
  let redis: DisposableRedis;
  let services: ServiceProcesses;
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;
  const db = new Client({ connectionString: TEST_DATABASE_URL });

  beforeAll(async () => {
    redis = await DisposableRedis.start();
    services = new ServiceProcesses(5601, {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `loss_${process.pid}`,
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

  /**
   * Starts a stopped service again and points its client at it: it moves to another port if its
   * own was taken meanwhile (another test run on the machine), and the old port may then answer
   * for someone else.
   */
  const restart = async (name: 'registration' | 'badges' | 'checkin') => {
    await services.start(name);
    const client = new ApiClient(services.url(name), TEST_ORGANISER_TOKEN);
    if (name === 'registration') registration = client;
    else if (name === 'badges') badges = client;
    else checkin = client;
  };

  const newEvent = async (name: string) => {
    const slug = uniqueSlug(name);
    expect((await registration.post('/api/events', { ...SAMPLE_EVENT, slug })).status).toBe(201);
    return slug;
  };

  const register = async (slug: string, count: number, lastName: string) => {
    const answers = await inParallel(
      Array.from({ length: count }, (_, i) => i + 1),
      10,
      (i) =>
        registration.post(`/api/events/${slug}/attendees`, {
          firstName: `Person ${i}`,
          lastName,
          category: 'attendee',
        }),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    return answers.map((a) => a.body.id as string);
  };

  /** Until registration's (or another service's) outbox has handed everything to Redis. */
  const allSent = (service: string) =>
    waitFor(`${service}'s outbox to be sent`, async () => {
      const [{ unsent }] = (
        await db.query(
          `SELECT count(*)::int AS unsent FROM ${service}.outbox WHERE sent_at IS NULL`,
        )
      ).rows;
      return unsent === 0 ? true : undefined;
    });

  const eventIdOf = async (slug: string) =>
    (await registration.get(`/api/events/${slug}`)).body.id as string;

  const badgeOf = async (slug: string, id: string) =>
    (await badges.get(`/api/events/${slug}/attendees/${id}/badge`)).body as {
      status: string;
      version: number | null;
      qr: string | null;
    };

  /** Every badge issued, version 1; returns their QR codes. */
  const allIssued = async (slug: string, ids: string[], timeoutMs: number) =>
    waitFor(
      `all ${ids.length} badges to be issued`,
      async () => {
        const all = await inParallel(ids, 20, (id) => badgeOf(slug, id));
        return all.every((b) => b.status === 'issued') ? all : undefined;
      },
      { timeoutMs, intervalMs: 500 },
    );

  /** One badge.issued per attendee, however often its messages were republished. */
  const badgeIssuedCounts = async (ids: string[]) =>
    (
      await db.query(
        `SELECT payload->'badge'->>'id' AS id, count(*)::int AS n FROM badges.outbox
          WHERE type = 'badge.issued' AND payload->'badge'->>'id' = ANY($1) GROUP BY 1`,
        [ids],
      )
    ).rows as { id: string; n: number }[];

  /** Where check-in's admissions of an event are on their way to registration, for a failure. */
  const passagesExplained = async (slug: string) => {
    const eventId = await eventIdOf(slug);
    const { rows: outbox } = await db.query(
      `SELECT count(*)::int AS rows, count(sent_at)::int AS sent,
              count(*) FILTER (WHERE republished > 0)::int AS republished,
              count(DISTINCT payload->>'attendeeId')::int AS attendees,
              count(*) FILTER (WHERE 'checkin-' || message_id IN
                (SELECT message_id FROM registration.inbox))::int AS consumed
         FROM checkin.outbox WHERE type = 'attendee.checked_in' AND payload->>'eventId' = $1`,
      [eventId],
    );
    const { rows: arrived } = await db.query(
      `SELECT count(*)::int AS n FROM registration.door_attendance
        WHERE event_id = $1 AND first_checked_in_at IS NOT NULL`,
      [eventId],
    );
    const { rows: scans } = await db.query(
      `SELECT result, list, count(*)::int AS scans, count(DISTINCT attendee_id)::int AS attendees
         FROM checkin.scans WHERE event_id = $1 GROUP BY 1, 2`,
      [eventId],
    );
    const { rows: marks } = await db.query(
      `SELECT 'checkin' AS service, * FROM checkin.redis_mark
       UNION ALL SELECT 'registration', * FROM registration.redis_mark`,
    );
    const { rows: unsent } = await db.query(
      `SELECT (SELECT count(*) FROM checkin.outbox WHERE sent_at IS NULL)::int AS checkin,
              (SELECT count(*) FROM registration.outbox WHERE sent_at IS NULL)::int AS registration`,
    );
    return JSON.stringify({ scans, outbox, arrived, unsent, marks }, null, 1);
  };

  const scan = (slug: string, qr: string, client = checkin) =>
    client.post(`/api/events/${slug}/scan`, { qr, gate: 'Nord' });

  it('issues every badge once, scannable, when Redis restarted empty while badges was stopped', async () => {
    const slug = await newEvent('loss-badges');
    await services.stop('badges');
    const ids = await register(slug, 200, 'Verloren');
    // Registration's messages left for the badges queue: only Redis holds them now.
    await allSent('registration');

    await redis.crashAndStartEmpty();
    const started = Date.now();
    await restart('badges');

    const issued = await allIssued(slug, ids, 60_000);
    expect(issued.map((b) => b.version)).toEqual(ids.map(() => 1));
    // Scannable: check-in learnt each badge (its badge.issued crossed the new Redis too).
    await waitFor(
      'check-in to admit all 200',
      async () => {
        const results = await inParallel(issued, 10, async (b) => (await scan(slug, b.qr!)).body);
        return results.every((r) => r.result === 'admitted' || r.result === 'already_admitted')
          ? results
          : undefined;
      },
      { timeoutMs: Math.max(5000, 60_000 - (Date.now() - started)), intervalMs: 500 },
    );
    const { body: attendance } = await checkin.get(`/api/events/${slug}/attendance`);
    expect(attendance).toMatchObject({ registered: 200, checkedIn: 200 });
    const counts = await badgeIssuedCounts(ids);
    expect(counts).toHaveLength(200);
    expect(counts.every((c) => c.n === 1)).toBe(true);
  }, 180_000);

  it('refuses a token revoked while check-in was stopped and Redis restarted empty', async () => {
    const slug = await newEvent('loss-tokens');
    const created = await registration.post('/api/tokens', {
      role: 'door',
      label: 'Nord 1',
      events: [slug],
    });
    expect(created.status).toBe(201);
    const door = () => checkin.withToken(created.body.token as string);
    const [early] = await register(slug, 1, 'Frühauf');
    const [earlyBadge] = await allIssued(slug, [early], 30_000);
    await waitFor('check-in to accept the door token', async () => {
      const { status } = await scan(slug, earlyBadge.qr!, door());
      return status === 200 ? true : undefined;
    });

    await services.stop('checkin');
    const ids = await register(slug, 20, 'Später');
    expect((await registration.request('DELETE', `/api/tokens/${created.body.id}`)).status).toBe(
      200,
    );
    await allIssued(slug, ids, 30_000);
    await allSent('registration');
    await allSent('badges');

    await redis.crashAndStartEmpty();
    await restart('checkin');

    await waitFor(
      'check-in to refuse the revoked token',
      async () => {
        const { status } = await scan(slug, earlyBadge.qr!, door());
        return status === 401 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    // And what badges sent meanwhile arrived too: the later badges are admitted.
    const later = await inParallel(ids, 10, (id) => badgeOf(slug, id));
    await waitFor(
      'check-in to admit the badges issued while it was stopped',
      async () => {
        const results = await inParallel(later, 10, async (b) => (await scan(slug, b.qr!)).body);
        return results.every((r) => r.result === 'admitted' || r.result === 'already_admitted')
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  }, 180_000);

  it('shows registration all 50 admissions made while it was stopped and Redis restarted empty', async () => {
    const slug = await newEvent('loss-feed');
    const ids = await register(slug, 50, 'Eingelassen');
    const issued = await allIssued(slug, ids, 60_000);
    await waitFor('check-in to know every badge', async () => {
      const { body } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
      return ids.every((id) => body.badges?.[id]?.version === 1) ? true : undefined;
    });

    await services.stop('registration');
    const results = await inParallel(issued, 10, async (b) => (await scan(slug, b.qr!)).body);
    expect(results.map((r) => r.result)).toEqual(ids.map(() => 'admitted'));
    await allSent('checkin');

    await redis.crashAndStartEmpty();
    await restart('registration');

    await waitFor(
      "registration's attendance to show all 50",
      async () => {
        const { body } = await registration.get(`/api/events/${slug}/attendees?limit=100`);
        const arrived = (body.items as { attendance: { checkedInAt: string | null } }[]).filter(
          (a) => a.attendance.checkedInAt !== null,
        );
        return arrived.length === 50 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  }, 180_000);

  it('misses nothing when Redis is flushed while all three run and scans go on', async () => {
    const slug = await newEvent('loss-flush');
    const first = await register(slug, 30, 'Vorher');
    const firstBadges = await allIssued(slug, first, 60_000);
    await waitFor('check-in to know every badge', async () => {
      const { body } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
      return first.every((id) => body.badges?.[id]?.version === 1) ? true : undefined;
    });

    // Scans go on all along; registrations are on their way through the queues when Redis empties.
    let scanning = true;
    const scanned: { result: string }[] = [];
    const scanner = (async () => {
      for (let i = 0; scanning; i++) {
        const badge = firstBadges[i % firstBadges.length];
        scanned.push((await scan(slug, badge.qr!)).body);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const later = register(slug, 100, 'Mittendrin');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await redis.flushAll();
    const laterIds = await later;
    await redis.flushAll(); // and once more, when the last of them are in the queues

    const laterBadges = await allIssued(slug, laterIds, 60_000);
    expect(laterBadges.map((b) => b.version)).toEqual(laterIds.map(() => 1));
    scanning = false;
    await scanner;
    expect(scanned.every((r) => r.result === 'admitted' || r.result === 'already_admitted')).toBe(
      true,
    );
    // Every badge at the door once more: the scanner above may have stopped before it reached
    // each of the first 30 (on a fast machine the later badges are issued within a few rounds).
    await waitFor(
      'check-in to admit every badge',
      async () => {
        const results = await inParallel(
          [...firstBadges, ...laterBadges],
          10,
          async (b) => (await scan(slug, b.qr!)).body,
        );
        return results.every((r) => r.result === 'admitted' || r.result === 'already_admitted')
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await waitFor(
      "registration's attendance to show all 130",
      async () => {
        const { body } = await registration.get(`/api/events/${slug}/attendees?limit=200`);
        const arrived = (body.items as { attendance: { checkedInAt: string | null } }[]).filter(
          (a) => a.attendance.checkedInAt !== null,
        );
        return arrived.length === 130 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, explain: () => passagesExplained(slug) },
    );
    const counts = await badgeIssuedCounts([...first, ...laterIds]);
    expect(counts.every((c) => c.n === 1)).toBe(true);
    expect(counts).toHaveLength(130);
  }, 240_000);

  it('replays in batches, and an erasure reaches the copy of a person in a batch still waiting', async () => {
    const slug = await newEvent('loss-batch');
    await services.stop('badges');
    const tag = Math.random().toString(36).slice(2, 8);
    const others = await register(slug, 11, `Stapel${tag}`);
    const secret = { firstName: `Geheim${tag}`, lastName: `Stapel${tag}`, category: 'attendee' };
    const { body: created } = await registration.post(`/api/events/${slug}/attendees`, secret);
    const ids = [created.id as string, ...others];
    await allSent('registration');
    // Redis loses everything while the badges queue still holds the registrations.
    await redis.flushAll();
    await waitFor(
      "registration to republish the event's messages",
      async () => {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM registration.outbox
            WHERE payload->'event'->>'slug' = $1 AND republished > 0 AND sent_at IS NOT NULL`,
          [slug],
        );
        return rows[0].n >= 12 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    // They went as replay batches (not one job per message), which wait for badges.
    const badgesQueue = new Queue('badges', {
      prefix: `loss_${process.pid}`,
      connection: { host: '127.0.0.1', port: redis.port },
    });
    const waiting = await badgesQueue.getJobs(['waiting', 'prioritized']);
    await badgesQueue.close();
    const batches = waiting.filter((job) => job.name === 'replay.batch');
    const batched = batches.flatMap(
      (job) => (job.data as { messages: { payload: { attendee?: { id: string } } }[] }).messages,
    );
    expect(ids.every((id) => batched.some((m) => m.payload.attendee?.id === id))).toBe(true);
    expect(waiting.filter((job) => job.name !== 'replay.batch')).toEqual([]);

    // One person asks to be erased: the batch keeps its messages, without their name.
    const erased = ids[0];
    expect(
      (await registration.request('DELETE', `/api/events/${slug}/attendees/${erased}`)).status,
    ).toBe(200);
    const stored = await everythingStored([], redis.url);
    const holding = stored.redis.filter((entry) => entry.text.includes(secret.firstName));
    expect(holding.map((entry) => entry.key)).toEqual([]);
    expect(stored.redis.some((entry) => entry.text.includes(`Stapel${tag}`))).toBe(true);

    // Badges comes back: everyone else's badge from the batches; the erased person's is revoked
    // for good, whichever of the batch and the erasure it takes first.
    await restart('badges');
    await allIssued(slug, ids.slice(1), 60_000);
    await waitFor('the erased badge to be revoked', async () => {
      const badge = (await badges.get(`/api/events/${slug}/attendees/${erased}/badge`)).body;
      return badge.status === 'revoked' && badge.erasedAt ? true : undefined;
    });
  }, 180_000);

  it('repairs by reconciliation what vanished from a queue without a trace (the mark held)', async () => {
    const slug = await newEvent('loss-evicted');
    await services.stop('checkin');
    const ids = await register(slug, 40, 'Verdrängt');
    await allIssued(slug, ids, 60_000);
    await allSent('registration');
    await allSent('badges');
    // What an eviction does: the jobs for check-in are gone, the rest of Redis (the marks) stays.
    const checkinQueue = new Queue('checkin', {
      prefix: `loss_${process.pid}`,
      connection: { host: '127.0.0.1', port: redis.port },
    });
    await checkinQueue.obliterate({ force: true });
    await checkinQueue.close();

    // Check-in's reconciliation at start-up finds the event short and asks for it again.
    await restart('checkin');
    await waitFor(
      'check-in to know every attendee and badge',
      async () => {
        const { body } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
        return ids.every((id) => body.badges?.[id]?.version === 1) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const { body: attendance } = await checkin.get(`/api/events/${slug}/attendance`);
    expect(attendance.registered).toBe(40);
    // What check-in asked for again: the event's attendees (of registration) and badges (of badges).
    const { rows: asked } = await db.query<{ stream: string }>(
      `SELECT DISTINCT payload->>'stream' AS stream FROM checkin.outbox
        WHERE type = 'stream.replay_requested' AND payload->>'scope' = $1 ORDER BY 1`,
      [attendance.eventId ?? (await eventIdOf(slug))],
    );
    expect(asked.map((r) => r.stream)).toEqual(['attendees', 'badges']);
    // The organisers see it on check-in's pipeline state (the set-up page).
    const { body: pipeline } = await checkin.get(`/api/events/${slug}/pipeline`);
    expect(pipeline.service).toBe('checkin');
    expect(pipeline.reconciliation.repairs.map((r: { stream: string }) => r.stream).sort()).toEqual(
      ['attendees', 'badges'],
    );
    expect(pipeline.reconciliation.repairs[0].producer.count).toBe(40);
  }, 180_000);

  it('shows the pipeline state to organisers of the event only', async () => {
    const slug = await newEvent('loss-access');
    const { body: state } = await registration.get(`/api/events/${slug}/pipeline`);
    expect(state).toMatchObject({
      service: 'registration',
      outbox: { unsent: expect.any(Number) },
      queue: { name: 'registration', failed: 0 },
      redis: { lossesFound: expect.any(Number), replayPending: false },
      reconciliation: { repairs: [] },
    });
    expect(state.redis.lossesFound).toBeGreaterThanOrEqual(3); // the restarts and flushes above

    const other = await registration.post('/api/tokens', {
      role: 'organiser',
      label: 'Andere Veranstaltung',
      events: ['some-other-event'],
    });
    const door = await registration.post('/api/tokens', { role: 'door', label: 'Tür' });
    for (const client of [registration, badges, checkin]) {
      const path = `/api/events/${slug}/pipeline`;
      // Each service learns of new tokens from the queue: refused for its role once it knows it.
      const asDoor = await waitFor('the service to know the door token', async () => {
        const answer = await client.withToken(door.body.token as string).get(path);
        return answer.status !== 401 ? answer : undefined;
      });
      expect(asDoor.status).toBe(403);
      const asOther = await waitFor('the service to know the other token', async () => {
        const answer = await client.withToken(other.body.token as string).get(path);
        return answer.status !== 401 ? answer : undefined;
      });
      expect(asOther.status).toBe(403);
      expect(asOther.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect((await client.get(`/api/events/no-such-event/pipeline`)).status).toBe(404);
      expect((await client.withToken(undefined).get(path)).status).toBe(401);
    }
  }, 120_000);
});
