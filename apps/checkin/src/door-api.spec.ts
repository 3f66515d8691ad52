import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, startInProcess, TEST_ORGANISER_TOKEN } from '@einlass/testing';
import { DoorFixture } from '../test/door-fixture';
import { CheckinModule } from './checkin.module';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Offline devices, lost badges, the snapshot, the log and the limits of door tokens. */
describe('door API', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  let door: DoorFixture;
  const organiser = bearer(TEST_ORGANISER_TOKEN);
  const post = (path: string, payload: unknown, headers = organiser) =>
    app.inject({
      method: 'POST',
      url: `/api/events/${door.slug}${path}`,
      payload: payload as object,
      headers,
    });
  const get = (path: string, headers = organiser) =>
    app.inject({ method: 'GET', url: `/api/events/${door.slug}${path}`, headers });

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
    db = app.get(DataSource);
    door = await new DoorFixture(db).create();
  });

  afterAll(() => app.close());

  describe('offline scans', () => {
    it('lets the earliest scan win: an offline scan from before an online admission becomes the first', async () => {
      const id = await door.person();
      const online = await post('/scan', { qr: door.qr(id), gate: 'Nord' });
      expect(online.json().result).toBe('admitted');
      const [offline] = (
        await post('/scans', [
          { qr: door.qr(id), gate: 'Süd', scannedAt: minutesAgo(10), nonce: 'tab-7:1' },
        ])
      ).json();
      expect(offline.result).toBe('admitted');
      expect(offline.message).toMatch(/flagged as a duplicate/);
      const again = (await post('/scan', { qr: door.qr(id), gate: 'Ost' })).json();
      expect(again.firstScan.gate).toBe('Süd');
      const log = (await get('/checkins'))
        .json()
        .items.filter((item: { attendee: { id: string } | null }) => item.attendee?.id === id);
      expect(log).toHaveLength(3); // nothing dropped
      expect(log.find((item: { gate: string }) => item.gate === 'Nord').flag).toBe('duplicate');
    });

    it('records a later offline duplicate as already admitted and flags it', async () => {
      const id = await door.person();
      const answers = (
        await post('/scans', [
          { qr: door.qr(id), gate: 'West', scannedAt: minutesAgo(3), nonce: 'tab-2:9' },
          { qr: door.qr(id), gate: 'Ost', scannedAt: minutesAgo(5), nonce: 'tab-1:4' },
        ])
      ).json();
      // Answered in the order sent, decided earliest first.
      expect(answers[1].result).toBe('admitted');
      expect(answers[0]).toMatchObject({
        result: 'already_admitted',
        flagged: 'duplicate',
        firstScan: { gate: 'Ost' },
      });
      // The device sends its queue again after a timeout: the same answers, nothing recorded twice.
      const resent = (
        await post('/scans', [
          { qr: door.qr(id), gate: 'West', scannedAt: minutesAgo(3), nonce: 'tab-2:9' },
          { qr: door.qr(id), gate: 'Ost', scannedAt: minutesAgo(5), nonce: 'tab-1:4' },
        ])
      ).json();
      expect(resent).toEqual(answers);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM checkin.scans WHERE attendee_id = $1`,
        [id],
      );
      expect(n).toBe(2);
    });

    it.each([
      ['in the future', new Date(Date.now() + 3_600_000).toISOString(), /future/],
      ['years in the past', '2019-05-01T10:00:00Z', /72 hours/],
    ])('refuses a scannedAt %s with 400', async (_, scannedAt, message) => {
      const response = await post('/scan', { qr: 'X', gate: 'Nord', scannedAt });
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toMatch(message);
    });

    it('refuses a queue that is not a list of scans, or too long', async () => {
      expect((await post('/scans', { qr: 'X', gate: 'Nord' })).statusCode).toBe(400);
      expect((await post('/scans', [{ qr: 'X' }])).statusCode).toBe(400);
      const tooMany = Array.from({ length: 1001 }, () => ({ qr: 'X', gate: 'Nord' }));
      expect((await post('/scans', tooMany)).statusCode).toBe(400);
    });
  });

  describe('many scans at once', () => {
    it('admits each badge once when a rush of scans is written in groups, and logs every scan', async () => {
      const ids = await Promise.all(Array.from({ length: 20 }, () => door.person()));
      const scans = ids.flatMap((id, i) =>
        Array.from({ length: 5 }, (_, k) => ({ qr: door.qr(id), gate: `Tor ${(i + k) % 4}` })),
      );
      const answers = (await Promise.all(scans.map((scan) => post('/scan', scan)))).map((r) =>
        r.json(),
      );
      expect(answers.filter((a) => a.result === 'admitted')).toHaveLength(20);
      expect(answers.filter((a) => a.result === 'already_admitted')).toHaveLength(80);
      for (const id of ids) {
        // Every refused scan names the gate of the one that was admitted.
        const winner = answers.findIndex((a) => a.attendee.id === id && a.result === 'admitted');
        const others = answers.filter(
          (a) => a.attendee.id === id && a.result === 'already_admitted',
        );
        expect(others).toHaveLength(4);
        expect(new Set(others.map((a) => a.firstScan.gate))).toEqual(new Set([scans[winner].gate]));
      }
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM checkin.scans WHERE attendee_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(n).toBe(100);
      const [{ m }] = await db.query(
        `SELECT count(*)::int AS m FROM checkin.presence WHERE attendee_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(m).toBe(20);
    });
  });

  describe('manual check-in for a lost badge', () => {
    it('admits by attendee id, once, and answers like a scan', async () => {
      const id = await door.person({ firstName: 'Max' });
      const first = (await post(`/attendees/${id}/checkin`, { gate: 'Info' })).json();
      expect(first).toMatchObject({ result: 'admitted', attendee: { id, name: 'Max Mustermann' } });
      expect((await post(`/attendees/${id}/checkin`, { gate: 'Info' })).json().result).toBe(
        'already_admitted',
      );
      expect((await post('/scan', { qr: door.qr(id), gate: 'Nord' })).json().result).toBe(
        'already_admitted',
      );
    });

    it('refuses a cancelled registration, an unknown person and a gate the token may not use', async () => {
      const cancelled = await door.person({ status: 'cancelled' });
      expect((await post(`/attendees/${cancelled}/checkin`, { gate: 'Info' })).json().result).toBe(
        'revoked',
      );
      expect(
        (await post('/attendees/7d4f3a43-55a5-4b7f-8c39-1ef7d6d0b0b1/checkin', { gate: 'Info' }))
          .statusCode,
      ).toBe(404);
      const north = bearer(await door.token('door', { gates: ['Nord'] }));
      const id = await door.person();
      expect((await post(`/attendees/${id}/checkin`, { gate: 'Süd' }, north)).statusCode).toBe(403);
      expect((await post(`/attendees/${id}/checkin`, {}, north)).statusCode).toBe(400);
    });
  });

  describe('the scan snapshot', () => {
    it('gives a door device keys, badge versions, cancellations and admissions, without names by default', async () => {
      const cancelled = await door.person({ status: 'cancelled' });
      const reprinted = await door.person({}, 3);
      const doorToken = bearer(await door.token('door'));
      const snapshot = (await get('/scan-snapshot', doorToken)).json();
      expect(snapshot.keys).toEqual([{ keyId: door.key.keyId, publicKey: door.key.publicKey }]);
      expect(snapshot.revoked).toContain(cancelled);
      expect(snapshot.badges[reprinted]).toMatchObject({
        version: 3,
        status: 'registered',
        category: 'attendee',
      });
      expect(snapshot.badges[reprinted]).not.toHaveProperty('name');
      expect(Object.keys(snapshot.admitted.main ?? {}).length).toBeGreaterThan(0);
      expect(snapshot.lists.map((l: { code: string }) => l.code)).toEqual(['main', 'W01']);
    });

    it('holds names only when the organisers allow it, and only organisers may allow it', async () => {
      const doorToken = bearer(await door.token('door'));
      expect(
        (
          await app.inject({
            method: 'PUT',
            url: `/api/events/${door.slug}/door-settings`,
            payload: { devicesHoldNames: true },
            headers: doorToken,
          })
        ).statusCode,
      ).toBe(403);
      const saved = await app.inject({
        method: 'PUT',
        url: `/api/events/${door.slug}/door-settings`,
        payload: { devicesHoldNames: true },
        headers: organiser,
      });
      expect(saved.json()).toMatchObject({ devicesHoldNames: true });
      const id = await door.person({ firstName: 'Zoë', lastName: 'Ångström' });
      expect((await get('/scan-snapshot', doorToken)).json().badges[id]).toMatchObject({
        name: 'Zoë Ångström',
        organisation: 'Stadt Jena',
      });
    });
  });

  describe('the check-in log', () => {
    it('shows organisers every scan with gate, device and result, a page at a time', async () => {
      await post('/scan', { qr: 'not a badge', gate: 'Nord' });
      const first = (await get('/checkins?limit=2')).json();
      expect(first.items).toHaveLength(2);
      expect(first.items[0]).toMatchObject({
        result: 'invalid',
        gate: 'Nord',
        device: 'ORGANISER_TOKEN',
        direction: 'in',
      });
      const next = (await get(`/checkins?limit=2&cursor=${first.nextCursor}`)).json();
      expect(Number(next.items[0].id)).toBeLessThan(Number(first.items[1].id));
    });

    it('is closed to door tokens and refuses a bad cursor', async () => {
      expect((await get('/checkins', bearer(await door.token('door')))).statusCode).toBe(403);
      expect((await get('/checkins?cursor=abc')).statusCode).toBe(400);
    });
  });

  describe('limits', () => {
    it('refuses a gate the event does not have, once its gates are set', async () => {
      await app.inject({
        method: 'PUT',
        url: `/api/events/${door.slug}/door-settings`,
        payload: { gates: ['Nord', 'Süd', 'Ost', 'West', 'Info'] },
        headers: organiser,
      });
      const response = await post('/scan', { qr: 'X', gate: 'Atlantis' });
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toContain('Atlantis');
      expect((await post('/scan', { qr: 'X', gate: 'Nord' })).statusCode).toBe(200);
    });

    it('answers a door token hammering random codes with 429 and Retry-After, but not an organiser', async () => {
      const hammer = bearer(await door.token('door'));
      // All at once: the budget refills at 10 a second (a token bucket), so scans sent one after
      // another on a slow machine may never outrun it; 40 at once are a burst of 30 and then more.
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          post('/scan', { qr: `random-${i}`, gate: 'Nord' }, hammer),
        ),
      );
      const statuses = responses.map((response) => response.statusCode);
      const retryAfter = responses.find((r) => r.statusCode === 429)?.headers['retry-after'];
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(30);
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      const organiserStatuses = [];
      for (let i = 0; i < 40; i++)
        organiserStatuses.push(
          (await post('/scan', { qr: `random-${i}`, gate: 'Nord' })).statusCode,
        );
      expect(organiserStatuses.every((s) => s === 200)).toBe(true);
    });
  });
});
