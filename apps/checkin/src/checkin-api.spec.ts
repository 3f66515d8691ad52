import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  bearer,
  startInProcess,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { generateSigningKey, privateKeyFrom, signTicket } from '@einlass/tickets';
import { CheckinModule } from './checkin.module';
import { ReadModelProjection } from './read-model/read-model.projection';
import { BadgeHolders } from './scanning/badge-holders';
import { ApiTokenProjection, hashToken } from '@einlass/auth';

/**
 * The scan endpoint on a real database, with a read model written the way the queue consumer
 * writes it: the answers a door gets, and every request it refuses.
 */
describe('check-in API', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  const slug = uniqueSlug('door');
  const otherSlug = uniqueSlug('other');
  const eventId = randomUUID();
  const otherEventId = randomUUID();
  const key = generateSigningKey();
  const otherKey = generateSigningKey();
  const organiser = bearer(TEST_ORGANISER_TOKEN);
  const gateToken = 'door-token-nord-only-0123456789';
  const otherEventToken = 'door-token-other-event-012345';
  const people = {
    signedUp: randomUUID(),
    cancelled: randomUUID(),
    reprinted: randomUUID(),
    guest: randomUUID(),
    copiedThenReprinted: randomUUID(),
    copiedThenCancelled: randomUUID(),
  };

  const tokenFor = (badgeId: string, version = 1, ofEvent = eventId, signingKey = key) =>
    signTicket(
      { keyId: signingKey.keyId, eventId: ofEvent, badgeId, badgeVersion: version },
      privateKeyFrom(signingKey.privateKey),
    );
  const scan = (body: Record<string, unknown>, headers = organiser, event = slug) =>
    app.inject({ method: 'POST', url: `/api/events/${event}/scan`, payload: body, headers });

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
    db = app.get(DataSource);
    await db.transaction(async (manager) => {
      const event = (id: string, eventSlug: string) => ({
        id,
        slug: eventSlug,
        name: 'Kongress',
        venue: null,
        startsAt: '2023-10-24T06:00:00.000Z',
        endsAt: '2023-10-24T16:00:00.000Z',
        timezone: 'Europe/Berlin',
      });
      await ReadModelProjection.event(manager, event(eventId, slug));
      await ReadModelProjection.event(manager, event(otherEventId, otherSlug));
      await ReadModelProjection.sessions(manager, eventId, [
        {
          code: 'W01',
          title: 'Workshop',
          room: null,
          startsAt: '2023-10-24T09:00:00.000Z',
          endsAt: '2023-10-24T10:00:00.000Z',
          capacity: 1,
          kind: 'workshop',
        },
      ]);
      await ReadModelProjection.publicKey(manager, {
        keyId: key.keyId,
        eventId,
        publicKey: key.publicKey,
      });
      await ReadModelProjection.publicKey(manager, {
        keyId: otherKey.keyId,
        eventId: otherEventId,
        publicKey: otherKey.publicKey,
      });
      const person = (id: string, overrides: object = {}) => ({
        id,
        eventId,
        externalId: null,
        title: null,
        firstName: 'Erika',
        lastName: 'Mustermann',
        organisation: 'Stadt Jena',
        category: 'attendee' as const,
        sessions: [] as string[],
        waitlist: [] as string[],
        status: 'registered' as const,
        revision: 1,
        ...overrides,
      });
      await ReadModelProjection.attendee(manager, person(people.signedUp, { sessions: ['W01'] }));
      await ReadModelProjection.attendee(
        manager,
        person(people.cancelled, { status: 'cancelled' }),
      );
      await ReadModelProjection.attendee(manager, person(people.reprinted));
      await ReadModelProjection.attendee(
        manager,
        person(people.guest, { sessions: ['W01'], firstName: 'Max' }),
      );
      await ReadModelProjection.attendee(manager, person(people.copiedThenReprinted));
      await ReadModelProjection.attendee(manager, person(people.copiedThenCancelled));
      for (const id of Object.values(people))
        await ReadModelProjection.badgeVersion(manager, id, 1);
      await ReadModelProjection.badgeVersion(manager, people.reprinted, 2);
      await ApiTokenProjection.created(manager, {
        id: randomUUID(),
        hash: hashToken(gateToken),
        role: 'door',
        label: 'Nord',
        gates: ['Nord'],
        events: [],
      });
      await ApiTokenProjection.created(manager, {
        id: randomUUID(),
        hash: hashToken(otherEventToken),
        role: 'door',
        label: 'Other',
        gates: [],
        events: [otherSlug],
      });
    });
  });

  afterAll(() => app.close());

  it('admits once, then answers already_admitted with the first time and gate', async () => {
    const qr = tokenFor(people.signedUp);
    const first = (await scan({ qr, gate: 'Nord' }, bearer(gateToken))).json();
    expect(first).toMatchObject({
      result: 'admitted',
      reason: 'welcome',
      attendee: { id: people.signedUp, name: 'Erika Mustermann', category: 'attendee' },
    });
    const second = (await scan({ qr, gate: 'Nord' })).json();
    expect(second).toMatchObject({
      result: 'already_admitted',
      reason: 'already_inside',
      firstScan: { gate: 'Nord' },
    });
    const [{ count }] = await db.query(
      `SELECT count(*)::int FROM checkin.scans WHERE attendee_id = $1`,
      [people.signedUp],
    );
    expect(count).toBe(2); // every scan is in the log
  });

  it('answers revoked for a cancelled registration and for a superseded badge', async () => {
    expect((await scan({ qr: tokenFor(people.cancelled), gate: 'Süd' })).json()).toMatchObject({
      result: 'revoked',
      reason: 'cancelled',
    });
    const old = (await scan({ qr: tokenFor(people.reprinted, 1), gate: 'Süd' })).json();
    expect(old).toMatchObject({ result: 'revoked', reason: 'newer' });
    expect(old.message).toMatch(/newer badge/);
    expect((await scan({ qr: tokenFor(people.reprinted, 2), gate: 'Süd' })).json().result).toBe(
      'admitted',
    );
  });

  it('answers from the read model as it is now, not from the copy of the holders the door keeps', async () => {
    // The door decides online scans on its copy of the event's holders (BadgeHolders.known)…
    const holders = app.get(BadgeHolders);
    await scan({ qr: tokenFor(randomUUID()), gate: 'Süd' });
    await waitFor('the copy of the holders', () =>
      Promise.resolve(holders.known(eventId, people.copiedThenCancelled)),
    );
    // …which is now behind: one badge re-issued, one registration cancelled.
    await db.transaction(async (manager) => {
      await ReadModelProjection.badgeVersion(manager, people.copiedThenReprinted, 2);
      await manager.query(
        `UPDATE checkin.attendees SET status = 'cancelled', revision = revision + 1 WHERE id = $1`,
        [people.copiedThenCancelled],
      );
    });
    expect(holders.known(eventId, people.copiedThenReprinted)?.badgeVersion).toBe(1);
    const old = (await scan({ qr: tokenFor(people.copiedThenReprinted, 1), gate: 'Süd' })).json();
    expect(old).toMatchObject({ result: 'revoked', reason: 'newer' });
    const cancelled = (
      await scan({ qr: tokenFor(people.copiedThenCancelled), gate: 'Süd' })
    ).json();
    expect(cancelled).toMatchObject({ result: 'revoked', reason: 'cancelled' });
    const current = (
      await scan({ qr: tokenFor(people.copiedThenReprinted, 2), gate: 'Süd' })
    ).json();
    expect(current).toMatchObject({ result: 'admitted' });
    // Each scan recorded once, as answered.
    const rows = await db.query(
      `SELECT attendee_id, result FROM checkin.scans WHERE attendee_id = ANY($1::uuid[]) ORDER BY id`,
      [[people.copiedThenReprinted, people.copiedThenCancelled]],
    );
    expect(rows).toEqual([
      { attendee_id: people.copiedThenReprinted, result: 'revoked' },
      { attendee_id: people.copiedThenCancelled, result: 'revoked' },
      { attendee_id: people.copiedThenReprinted, result: 'admitted' },
    ]);
  });

  it('answers wrong_event for a genuine badge of another event', async () => {
    const qr = tokenFor(randomUUID(), 1, otherEventId, otherKey);
    expect((await scan({ qr, gate: 'Süd' })).json()).toMatchObject({
      result: 'wrong_event',
      reason: 'wrong_event',
    });
  });

  it('keeps a workshop to those signed up and to its capacity', async () => {
    expect(
      (await scan({ qr: tokenFor(people.reprinted, 2), gate: 'W', list: 'W01' })).json().result,
    ).toBe('not_on_list');
    expect((await scan({ qr: tokenFor(people.guest), gate: 'W', list: 'W01' })).json().result).toBe(
      'admitted',
    );
    expect(
      (await scan({ qr: tokenFor(people.signedUp), gate: 'W', list: 'W01' })).json().result,
    ).toBe('capacity_full');
    const out = (
      await scan({ qr: tokenFor(people.guest), gate: 'W', list: 'W01', direction: 'out' })
    ).json();
    expect(out).toMatchObject({ result: 'left', reason: 'left', message: 'Exit recorded' });
    const outAgain = (
      await scan({ qr: tokenFor(people.guest), gate: 'W', list: 'W01', direction: 'out' })
    ).json();
    expect(outAgain).toMatchObject({ result: 'left', reason: 'left_not_inside' });
    expect(outAgain.message).toMatch(/was not checked in/);
    expect(
      (await scan({ qr: tokenFor(people.signedUp), gate: 'W', list: 'W01' })).json().result,
    ).toBe('admitted');
  });

  it('treats one nonce as one scan, and refuses it for another badge with 409', async () => {
    const qr = tokenFor(people.guest);
    const first = await scan({ qr, gate: 'Ost', nonce: 'dev1-0001' });
    const again = await scan({ qr, gate: 'Ost', nonce: 'dev1-0001' });
    expect(again.json()).toEqual(first.json());
    const reused = await scan({ qr: tokenFor(people.signedUp), gate: 'Ost', nonce: 'dev1-0001' });
    expect(reused.statusCode).toBe(409);
  });

  it.each([
    ['no gate', { qr: 'X' }, 'gate'],
    ['no qr', { gate: 'Nord' }, 'qr'],
    ['a qr that is not text', { qr: { bytes: [1, 2] }, gate: 'Nord' }, 'qr'],
    ['a 10 KB qr', { qr: 'A'.repeat(10_240), gate: 'Nord' }, 'qr'],
    ['an unknown list', { qr: 'X', gate: 'Nord', list: 'W99' }, 'list'],
    [
      'a direction that is neither in nor out',
      { qr: 'X', gate: 'Nord', direction: 'sideways' },
      'direction',
    ],
    [
      'a scannedAt that is not a date',
      { qr: 'X', gate: 'Nord', scannedAt: 'yesterday' },
      'scannedAt',
    ],
  ])('refuses a scan with %s with 400', async (_, body, field) => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM checkin.scans`))[0].n;
    const response = await scan(body);
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json().message)).toContain(field);
    expect((await db.query(`SELECT count(*)::int AS n FROM checkin.scans`))[0].n).toBe(before);
  });

  it('answers binary garbage and empty text as invalid, not as an error', async () => {
    for (const qr of ['', '\u0000\u0001\u00ff\ufffd', 'https://example.org/ticket/42']) {
      expect((await scan({ qr, gate: 'Nord' })).json()).toMatchObject({
        result: 'invalid',
        reason: 'malformed',
      });
    }
  });

  it('answers 404 for an unknown event', async () => {
    expect((await scan({ qr: 'X', gate: 'Nord' }, organiser, 'no-such-event')).statusCode).toBe(
      404,
    );
  });

  it('holds door tokens to their gates and events, and away from organiser data', async () => {
    expect(
      (await scan({ qr: tokenFor(people.guest), gate: 'Süd' }, bearer(gateToken))).statusCode,
    ).toBe(403);
    expect(
      (await scan({ qr: tokenFor(people.guest), gate: 'Nord' }, bearer(otherEventToken)))
        .statusCode,
    ).toBe(403);
    const attendance = await app.inject({
      method: 'GET',
      url: `/api/events/${slug}/attendance`,
      headers: bearer(gateToken),
    });
    expect(attendance.statusCode).toBe(403);
    expect((await scan({ qr: 'X', gate: 'Nord' }, {})).statusCode).toBe(401);
  });

  it('counts attendance from the durable records', async () => {
    const { json } = await app.inject({
      method: 'GET',
      url: `/api/events/${slug}/attendance`,
      headers: organiser,
    });
    const attendance = json();
    // Three of the tests above, and the one re-issued after the door copied its holder (Süd).
    expect(attendance).toMatchObject({
      registered: 4,
      checkedIn: 4,
      onSite: 4,
      byGate: { Nord: 1, Süd: 2, Ost: 1 },
    });
    expect(attendance.byCategory.attendee).toEqual({ registered: 4, checkedIn: 4 });
    expect(attendance.sessions).toEqual([
      { code: 'W01', title: 'Workshop', kind: 'workshop', capacity: 1, present: 1 },
    ]);
    expect(
      attendance.arrivals.reduce((sum: number, bucket: { count: number }) => sum + bucket.count, 0),
    ).toBe(4);
  });
});
