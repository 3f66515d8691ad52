import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, startInProcess, TEST_ORGANISER_TOKEN } from '@einlass/testing';
import type { DoorDeviceView } from '@einlass/contracts';
import { DoorFixture } from '../../test/door-fixture';
import { CheckinModule } from '../checkin.module';
import { MAX_DEVICES_PER_EVENT } from './door-devices';

/** The door devices an organiser sees on the day: reports of scanners, and the scan log. */
describe('door devices', () => {
  let app: NestFastifyApplication;
  let door: DoorFixture;
  const organiser = bearer(TEST_ORGANISER_TOKEN);
  const post = (path: string, payload: unknown, headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: `/api/events/${door.slug}${path}`,
      payload: payload as object,
      headers,
    });
  const devices = async (headers = organiser) => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/events/${door.slug}/devices`,
      headers,
    });
    return { status: response.statusCode, body: response.json<DoorDeviceView[]>() };
  };
  const report = (overrides: Record<string, unknown> = {}) => ({
    deviceId: 'web-nord1',
    gate: 'Nord',
    list: 'main',
    direction: 'in',
    queued: 7,
    conflicts: 1,
    clock: new Date(Date.now() + 120_000).toISOString(),
    ...overrides,
  });

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
    door = await new DoorFixture(app.get(DataSource)).create();
  });

  afterAll(() => app.close());

  it("shows a scanner's report: online, its gate, the scans it holds and how far its clock is off", async () => {
    const doorToken = bearer(await door.token('door'));
    const answer = await post('/devices/report', report(), doorToken);
    expect(answer.statusCode).toBe(200);
    const { clockOffsetMs, serverTime } = answer.json();
    expect(Math.abs(clockOffsetMs - 120_000)).toBeLessThan(5_000);
    expect(Math.abs(Date.parse(serverTime) - Date.now())).toBeLessThan(5_000);
    // Its scans count for it (the scan log names a device by its token's label).
    const id = await door.person();
    expect((await post('/scan', { qr: door.qr(id), gate: 'Nord' }, doorToken)).json().result).toBe(
      'admitted',
    );

    const { status, body } = await devices();
    expect(status).toBe(200);
    const nord = body.find((d) => d.deviceId === 'web-nord1');
    expect(nord).toMatchObject({
      token: 'door device',
      gate: 'Nord',
      list: 'main',
      direction: 'in',
      online: true,
      queued: 7,
      conflicts: 1,
      reports: true,
      scans: 1,
    });
    expect(Math.abs(nord!.clockOffsetMs! - 120_000)).toBeLessThan(5_000);

    // The next report replaces the last: the queue was sent.
    await post(
      '/devices/report',
      report({ queued: 0, clock: new Date().toISOString() }),
      doorToken,
    );
    const again = (await devices()).body.find((d) => d.deviceId === 'web-nord1');
    expect(again).toMatchObject({ queued: 0 });
    expect(Math.abs(again!.clockOffsetMs!)).toBeLessThan(5_000);
  });

  it('counts scans per token, also when two tokens carry the same label', async () => {
    // Two phones at two gates, each with a token of its own; the organiser named both alike.
    const [west, ost] = [bearer(await door.token('door')), bearer(await door.token('door'))];
    await post('/devices/report', report({ deviceId: 'web-west', gate: 'West', queued: 0 }), west);
    await post('/devices/report', report({ deviceId: 'web-ost', gate: 'Ost', queued: 0 }), ost);
    for (let n = 0; n < 3; n++) {
      const id = await door.person();
      expect((await post('/scan', { qr: door.qr(id), gate: 'West' }, west)).statusCode).toBe(200);
    }
    const id = await door.person();
    expect((await post('/scan', { qr: door.qr(id), gate: 'Ost' }, ost)).statusCode).toBe(200);

    const { body } = await devices();
    expect(body.find((d) => d.deviceId === 'web-west')).toMatchObject({
      token: 'door device',
      scans: 3,
    });
    expect(body.find((d) => d.deviceId === 'web-ost')).toMatchObject({
      token: 'door device',
      scans: 1,
    });
  });

  it('shows a device that only scans (a handheld on the API) from the scan log', async () => {
    const id = await door.person();
    expect((await post('/scan', { qr: door.qr(id), gate: 'Süd' }, organiser)).statusCode).toBe(200);
    const fromLog = (await devices()).body.filter((d) => !d.reports);
    expect(fromLog).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ gate: 'Süd', scans: 1, online: true, queued: null }),
      ]),
    );
  });

  it('counts a long scan log from running totals: settled scans once, newer ones as they come', async () => {
    const dataSource = app.get(DataSource);
    const logScans = (count: number, gate: string, age: string) =>
      dataSource.query(
        `INSERT INTO scans (event_id, gate, list, direction, device, result, message, answer,
                            recorded_at)
         SELECT $1, $2, 'main', 'in', 'handheld-ost', 'rejected', 'not a badge', '{}',
                now() - $3::interval
           FROM generate_series(1, $4)`,
        [door.eventId, gate, age, count],
      );
    const handheld = async () => (await devices()).body.find((d) => d.deviceId === 'handheld-ost');
    const wholeLog = async () => {
      const rows = await dataSource.query<{ device: string; scans: number }[]>(
        `SELECT device, count(*)::int AS scans FROM scans WHERE event_id = $1 GROUP BY device`,
        [door.eventId],
      );
      return Object.fromEntries(rows.map((row) => [row.device, row.scans]));
    };

    // A morning's scans from a handheld, recorded ten minutes ago.
    await logScans(1_000, 'Ost', '10 minutes');
    expect(await handheld()).toMatchObject({ scans: 1_000, gate: 'Ost', reports: false });
    const [totals] = await dataSource.query<{ scans: number }[]>(
      `SELECT scans FROM door_device_scan_totals WHERE event_id = $1 AND device = 'handheld-ost'`,
      [door.eventId],
    );
    expect(totals).toEqual({ scans: 1_000 });
    // Read again: counted once.
    expect(await handheld()).toMatchObject({ scans: 1_000, gate: 'Ost' });

    // A scan just now at another gate counts at once, and moves the device there.
    await logScans(1, 'West', '0 seconds');
    const now = await handheld();
    expect(now).toMatchObject({ scans: 1_001, gate: 'West', online: true });
    expect(Date.now() - Date.parse(now!.lastScanAt!)).toBeLessThan(30_000);
    // More settled scans after the counted ones are added to the total, the recent one kept.
    await logScans(5, 'Ost', '2 minutes');
    expect(await handheld()).toMatchObject({ scans: 1_006 });
    expect(await handheld()).toMatchObject({ scans: 1_006 });

    // Each device known from the log has the count that counting the whole log gives.
    const listed = Object.fromEntries(
      (await devices()).body.filter((d) => !d.reports).map((d) => [d.deviceId, d.scans]),
    );
    expect(Object.keys(listed).length).toBeGreaterThan(0);
    expect(await wholeLog()).toMatchObject(listed);
  });

  it('refuses a report it cannot read (400) and keeps nothing of it', async () => {
    const doorToken = bearer(await door.token('door'));
    const before = (await devices()).body.length;
    for (const bad of [
      report({ deviceId: undefined }),
      report({ deviceId: 'with spaces and a / slash' }),
      report({ queued: -1 }),
      report({ queued: 1.5 }),
      report({ conflicts: 'many' }),
      report({ clock: 'yesterday' }),
      report({ direction: 'sideways' }),
      report({ gate: '' }),
      report({ deviceId: 'web-bad', list: 'a list with spaces' }),
    ]) {
      const answer = await post('/devices/report', bad, doorToken);
      expect({ bad, status: answer.statusCode }).toEqual({ bad, status: 400 });
    }
    expect((await devices()).body.length).toBe(before);
  });

  it('takes no new device beyond 5,000 per event (409), while those it has go on reporting', async () => {
    const doorToken = bearer(await door.token('door'));
    expect(
      (await post('/devices/report', report({ deviceId: 'web-known' }), doorToken)).statusCode,
    ).toBe(200);
    const dataSource = app.get(DataSource);
    // A script filled the table up to the limit.
    await dataSource.query(
      `INSERT INTO door_devices (event_id, device_id, gate, list, direction, queued, conflicts,
                                 clock_offset_ms, last_seen_at)
       SELECT $1, 'web-flood' || i, 'Nord', 'main', 'in', 0, 0, 0, now()
         FROM generate_series(1, $2 - (SELECT count(*)::int FROM door_devices WHERE event_id = $1)) i`,
      [door.eventId, MAX_DEVICES_PER_EVENT],
    );
    const refused = await post('/devices/report', report({ deviceId: 'web-new' }), doorToken);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/5000 devices/);
    expect((await devices()).body.some((d) => d.deviceId === 'web-new')).toBe(false);
    const known = await post(
      '/devices/report',
      report({ deviceId: 'web-known', queued: 2 }),
      doorToken,
    );
    expect(known.statusCode).toBe(200);
    expect((await devices()).body.find((d) => d.deviceId === 'web-known')).toMatchObject({
      queued: 2,
    });
    await dataSource.query(
      `DELETE FROM door_devices WHERE event_id = $1 AND device_id LIKE 'web-flood%'`,
      [door.eventId],
    );
  });

  it('shows the devices to organisers only', async () => {
    expect((await devices(bearer(await door.token('door')))).status).toBe(403);
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/events/no-such-event/devices',
      headers: organiser,
    });
    expect(unknown.statusCode).toBe(404);
  });
});
