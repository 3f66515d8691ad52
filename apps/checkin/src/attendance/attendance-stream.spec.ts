import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import {
  inParallel,
  SseClient,
  SseClientOptions,
  startInProcess,
  TEST_ORGANISER_TOKEN,
  waitFor,
} from '@einlass/testing';
import { DoorFixture } from '../../test/door-fixture';
import { CheckinModule } from '../checkin.module';
import { ReadModelProjection } from '../read-model/read-model.projection';
import { AttendanceStreams } from './attendance-stream.service';

/**
 * The live attendance stream over real HTTP (a listening server, not inject), on the real database:
 * what an organiser's dashboard sees, how fast, and what everyone else is refused.
 */
describe('GET /api/events/:slug/attendance/stream', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  let base: string;
  let door: DoorFixture;
  let doorToken: string;
  const people: string[] = [];
  const open: SseClient[] = [];
  let closed = false;

  const url = (slug = door.slug) => `${base}/api/events/${slug}/attendance/stream`;
  const follow = async (options: SseClientOptions = {}) => {
    const client = await SseClient.open(url(), { token: TEST_ORGANISER_TOKEN, ...options });
    open.push(client);
    return client;
  };
  const post = (path: string, body: unknown, token = TEST_ORGANISER_TOKEN) =>
    fetch(`${base}/api/events/${door.slug}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as any,
    }));
  const scan = (person: string, extra: object = {}) =>
    post('/scan', { qr: door.qr(person), gate: 'Nord', ...extra });
  const attendance = async (): Promise<any> =>
    (
      await fetch(`${base}/api/events/${door.slug}/attendance`, {
        headers: { authorization: `Bearer ${TEST_ORGANISER_TOKEN}` },
      })
    ).json();
  const data = (client: SseClient) => client.last<Record<string, any>>()!;
  /** The object sent on connect (it may have arrived already). */
  const initial = (client: SseClient) =>
    client.waitFor(() => true, { description: 'the object on connect' });

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    base = base.replace('[::1]', '127.0.0.1');
    db = app.get(DataSource);
    door = await new DoorFixture(db).create();
    for (let i = 0; i < 60; i++) people.push(await door.person({ sessions: ['W01'] }));
    doorToken = await door.token('door');
    await waitFor('the LISTEN connection', () =>
      Promise.resolve(app.get(AttendanceStreams).listening),
    );
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((client) => client.close()));
  });

  afterAll(async () => {
    if (!closed) await app.close();
  });

  it('sends the attendance on connect, then a scan within a second, with the stream headers', async () => {
    const stream = await follow();
    expect(stream.status).toBe(200);
    expect(stream.headers!.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers!.get('cache-control')).toBe('no-cache');
    expect(stream.headers!.get('x-accel-buffering')).toBe('no');
    const first = await initial(stream);
    expect(JSON.parse(first.data)).toEqual(await attendance());
    expect(stream.retryMs).toBe(2000);
    expect(first.id).toMatch(/^\d+$/);
    const before = JSON.parse(first.data).checkedIn as number;

    const sentAt = Date.now();
    expect((await scan(people[0])).body.result).toBe('admitted');
    const update = await stream.next((m) => JSON.parse(m.data).checkedIn === before + 1, 5000);
    expect(update.receivedAt - sentAt).toBeLessThan(1000);
    expect(Number(update.id)).toBeGreaterThan(Number(first.id));
    expect(JSON.parse(update.data)).toEqual(await attendance());
  });

  it('follows every kind of write: repeats and refusals, exits, sessions, manual check-in, offline batches', async () => {
    const stream = await follow();
    await initial(stream);
    const expectNews = async (what: string, write: () => Promise<unknown>) => {
      const count = stream.messages.length;
      await write();
      await stream.waitFor(() => true, { from: count, timeoutMs: 3000, description: what });
      await waitFor(`${what}: the last object equal to GET attendance`, async () => {
        const [shown, now] = [data(stream), await attendance()];
        return JSON.stringify(shown) === JSON.stringify(now);
      });
    };
    // A repeat changes no count, but the log's latest scans: the stream must say so.
    await expectNews('a repeat', () => scan(people[0]));
    await expectNews('an exit', () => scan(people[0], { direction: 'out' }));
    await expectNews('a session admission', () => scan(people[1], { list: 'W01' }));
    await expectNews('a manual check-in', () =>
      post(`/attendees/${people[2]}/checkin`, { gate: 'Süd' }),
    );
    await expectNews('an offline batch', () =>
      post('/scans', [
        { qr: door.qr(people[3]), gate: 'Ost', scannedAt: new Date().toISOString(), nonce: 'a' },
        { qr: door.qr(people[4]), gate: 'Ost', scannedAt: new Date().toISOString(), nonce: 'b' },
      ]),
    );
    await expectNews('a refusal', () => post('/scan', { qr: 'NOT-A-BADGE', gate: 'Nord' }));
    const registered = data(stream).registered as number;
    await expectNews('a new registration', () => door.person());
    expect(data(stream).registered).toBe(registered + 1);
    await expectNews('a larger workshop', () =>
      db.transaction((manager) =>
        ReadModelProjection.sessions(manager, door.eventId, [
          {
            code: 'W01',
            title: 'Workshop',
            room: null,
            startsAt: '2023-10-24T09:00:00.000Z',
            endsAt: '2023-10-24T10:00:00.000Z',
            capacity: 50,
            kind: 'workshop',
          },
        ]),
      ),
    );
    expect(data(stream).sessions).toEqual([expect.objectContaining({ code: 'W01', capacity: 50 })]);
  });

  it('stays right through a burst, folding it into a few objects', async () => {
    const streams = await Promise.all(Array.from({ length: 5 }, () => follow()));
    await Promise.all(streams.map(initial));
    const start = streams[0].messages.length;
    const answers = await inParallel(people.slice(10, 60), 25, (person) => scan(person));
    expect(answers.every((answer) => answer.body.result === 'admitted')).toBe(true);
    const expected = await attendance();
    for (const stream of streams) {
      await waitFor('the stream to show the burst', () =>
        Promise.resolve(stream.last()!.checkedIn === expected.checkedIn),
      );
      expect(stream.last()).toEqual(expected);
    }
    // 50 scans, but at most one object per 250 ms window (and the same ones on every stream).
    expect(streams[0].messages.length - start).toBeLessThan(25);
    const ids = (stream: SseClient) => stream.messages.map((m) => m.id).join();
    expect(new Set(streams.map(ids)).size).toBe(1);
  });

  it('refuses door tokens (403), no token (401) and unknown events (404), as JSON', async () => {
    const byDoor = await SseClient.open(url(), { token: doorToken });
    expect(byDoor.status).toBe(403);
    const anonymous = await SseClient.open(url());
    expect(anonymous.status).toBe(401);
    const unknown = await SseClient.open(url('no-such-event'), { token: TEST_ORGANISER_TOKEN });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.errorBody!)).toMatchObject({ statusCode: 404 });
  });

  it('carries the CORS headers, for the dashboard on another origin', async () => {
    const stream = await follow({ headers: { origin: 'https://dashboard.example' } });
    expect(stream.status).toBe(200);
    expect(stream.headers!.get('access-control-allow-origin')).toBe('https://dashboard.example');
    const preflight = await fetch(url(), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://dashboard.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
  });

  it('keeps up after PostgreSQL drops the LISTEN connection', async () => {
    const stream = await follow();
    await initial(stream);
    const [{ count }] = await db.query(
      `SELECT count(pg_terminate_backend(pid))::int AS count FROM pg_stat_activity
        WHERE application_name = 'einlass-checkin-listen' AND datname = current_database()`,
    );
    expect(count).toBeGreaterThanOrEqual(1);
    const streams = app.get(AttendanceStreams);
    await waitFor('the listener to notice', () => Promise.resolve(!streams.listening), {
      intervalMs: 10,
    });
    // A scan while nobody listens: the reconnect must treat the event as changed.
    const before = data(stream).checkedIn as number;
    expect((await scan(people[5])).body.result).toBe('admitted');
    await waitFor('the listener to reconnect', () => Promise.resolve(streams.listening));
    await stream.waitFor(() => data(stream).checkedIn === before + 1, {
      description: 'the scan made while not listening',
    });
    expect((await scan(people[6])).body.result).toBe('admitted');
    await stream.waitFor(() => data(stream).checkedIn === before + 2, { timeoutMs: 2000 });
  });

  it('ends the streams on shutdown, so the service stops at once', async () => {
    const streams = await Promise.all(Array.from({ length: 3 }, () => follow()));
    await Promise.all(streams.map(initial));
    const started = Date.now();
    closed = true;
    const closing = app.close();
    await waitFor(
      'the clients to see the end',
      () => Promise.resolve(streams.every((stream) => !stream.connected)),
      { intervalMs: 10 },
    );
    expect(Date.now() - started).toBeLessThan(1000);
    // fetch (undici) may hold a spare connection that never carried a request; Node's server.close()
    // waits for those until its headers timeout (60 s). Not a stream: drop it.
    app.getHttpServer().closeAllConnections();
    await closing;
  });
});
