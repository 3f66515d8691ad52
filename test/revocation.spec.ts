import { REGISTRATION_BESIDE_PORT } from './registration-beside.env'; // first: sets the environment
import type { IncomingMessage } from 'node:http';
import { get as httpGet } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { CheckinModule } from '../apps/checkin/testing';
import { configureRegistrationApp } from '../apps/registration/testing';
import { RegistrationModule } from '../apps/registration/testing';
import {
  bearer,
  startInProcess,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';

/**
 * Revocation that sticks (issue 11, finding 2), and the door's budgets (findings 4 and 5):
 * registration and check-in in this process, check-in confirming tokens with registration over
 * HTTP. A revocation written to registration's table with no queue message at all stands for
 * "Redis was down" and "Redis lost the message": check-in must refuse the token anyway.
 */
describe('revocation and the door budgets', () => {
  let registration: NestFastifyApplication;
  let checkin: NestFastifyApplication;
  let checkinUrl: string;
  let db: DataSource;
  const slug = uniqueSlug('revoke');
  const organiser = bearer(TEST_ORGANISER_TOKEN);
  const openStreams: IncomingMessage[] = [];

  const makeToken = async (scope: object): Promise<{ id: string; token: string }> => {
    const made = await registration.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: organiser,
      payload: { label: 'revocation test', events: [slug], ...scope },
    });
    expect(made.statusCode).toBe(201);
    const issued = made.json<{ id: string; token: string }>();
    // In step with the queue's copy (as it was before check-in could ask registration).
    await waitFor('check-in to hold the token', async () => {
      const [row] = await db.query(`SELECT 1 FROM checkin.api_tokens WHERE id = $1`, [issued.id]);
      return row !== undefined;
    });
    return issued;
  };

  /** Revoked in registration's table only: no `api_token.revoked` message ever leaves. */
  const revokeWithoutMessage = (id: string) =>
    db.query(`UPDATE registration.api_tokens SET revoked_at = now() WHERE id = $1`, [id]);

  const atCheckin = (token: string, url = `/api/events/${slug}/scan-snapshot`) =>
    checkin.inject({ method: 'GET', url, headers: bearer(token) });

  /** Opens an attendance stream; resolves with the response once its first object arrived. */
  const openStream = (token: string) =>
    new Promise<IncomingMessage & { statusCode: number }>((resolve, reject) => {
      const request = httpGet(
        `${checkinUrl}/api/events/${slug}/attendance/stream`,
        { headers: bearer(token) },
        (response) => {
          openStreams.push(response);
          if (response.statusCode !== 200) {
            response.resume();
            resolve(response as IncomingMessage & { statusCode: number });
            return;
          }
          response.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('data:'))
              resolve(response as IncomingMessage & { statusCode: number });
          });
        },
      );
      request.on('error', reject);
    });

  beforeAll(async () => {
    registration = await startInProcess(RegistrationModule, configureRegistrationApp, {
      REGISTRATION_URL: process.env.REGISTRATION_URL ?? '',
    });
    await registration.listen(REGISTRATION_BESIDE_PORT, '127.0.0.1');
    db = registration.get(DataSource);
    checkin = await startInProcess(CheckinModule, undefined, {
      REGISTRATION_URL: process.env.REGISTRATION_URL ?? '',
    });
    await checkin.listen(0, '127.0.0.1');
    checkinUrl = await checkin.getUrl();
    const created = await registration.inject({
      method: 'POST',
      url: '/api/events',
      headers: organiser,
      payload: {
        slug,
        name: 'Kongress',
        startsAt: '2030-10-24T06:00:00Z',
        endsAt: '2030-10-24T16:00:00Z',
        timezone: 'Europe/Berlin',
      },
    });
    expect(created.statusCode).toBe(201);
    await waitFor('check-in to know the event', async () => {
      const answer = await checkin.inject({
        url: `/api/events/${slug}/attendance`,
        headers: organiser,
      });
      return answer.statusCode === 200;
    });
    // Check-in's start-up reconciliation (issue 12) has compared its copy of the tokens with
    // registration's and settled (it compares 3 s after the summary), so no later repair stands in
    // for the messages these tests leave out on purpose; the next round is a day away.
    await waitFor('check-in to hear back from its start-up reconciliation', async () => {
      const answer = await checkin.inject({
        url: `/api/events/${slug}/pipeline`,
        headers: organiser,
      });
      return answer.json<{ reconciliation: { lastSummaryAt: string | null } }>().reconciliation
        .lastSummaryAt
        ? true
        : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 4000));
  }, 60_000);

  afterAll(async () => {
    for (const stream of openStreams) stream.destroy();
    await checkin.close();
    await registration.close();
  });

  it('ends an open attendance stream within 5 s of the revocation, message or not', async () => {
    const { id, token } = await makeToken({ role: 'organiser' });
    const stream = await openStream(token);
    expect(stream.statusCode).toBe(200);
    const ended = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    const revokedAt = Date.now();
    await revokeWithoutMessage(id);
    await Promise.race([
      ended,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('the stream was still open 5 s after')), 5000),
      ),
    ]);
    expect(Date.now() - revokedAt).toBeLessThan(5000);
  });

  it('refuses a revoked door token within 5 s although the message never came', async () => {
    const { id, token } = await makeToken({ role: 'door' });
    expect((await atCheckin(token)).statusCode).toBe(200);
    // Check-in's own copy learns of the token through the queue, as always.
    await waitFor('check-in to hold the token', async () => {
      const [row] = await db.query(`SELECT 1 FROM checkin.api_tokens WHERE id = $1`, [id]);
      return row !== undefined;
    });
    await revokeWithoutMessage(id);
    await waitFor(
      'check-in to refuse the token',
      async () => (await atCheckin(token)).statusCode === 401,
      {
        timeoutMs: 5000,
      },
    );
    const [copy] = await db.query(`SELECT revoked_at FROM checkin.api_tokens WHERE id = $1`, [id]);
    expect(copy.revoked_at).toBeNull(); // refused without the message
  });

  it('refuses a token whose expiresAt passed, at check-in too', async () => {
    const { token } = await makeToken({
      role: 'door',
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    expect((await atCheckin(token)).statusCode).toBe(200);
    await waitFor(
      'check-in to refuse the expired token',
      async () => (await atCheckin(token)).statusCode === 401,
      {
        timeoutMs: 5000,
      },
    );
  });

  it('holds at most 20 attendance streams per token: the 21st is a 429', async () => {
    const { token } = await makeToken({ role: 'organiser' });
    for (let i = 0; i < 20; i++) expect((await openStream(token)).statusCode).toBe(200);
    const refused = await openStream(token);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another token is not held up.
    const other = await makeToken({ role: 'organiser' });
    expect((await openStream(other.token)).statusCode).toBe(200);
  });

  it('answers 800 KB of nested brackets to POST …/scans 400 and counts it against the token', async () => {
    const { token } = await makeToken({ role: 'door' });
    const nested = '['.repeat(400_000) + ']'.repeat(400_000);
    const answer = await checkin.inject({
      method: 'POST',
      url: `/api/events/${slug}/scans`,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: nested,
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(answer.json().message).toMatch(/nests deeper than 32 levels/);
    expect((await atCheckin(token, '/api/me')).statusCode).toBe(200);
  });

  it("lets a device's 1,000 queued scans through in one call, on the same budget as single scans", async () => {
    const { token } = await makeToken({ role: 'door' });
    const queue = Array.from({ length: 1000 }, (_, i) => ({
      qr: `NOT-A-BADGE-${i}`,
      gate: 'Nord',
      nonce: `tablet-9:${i}`,
    }));
    const started = Date.now();
    const synced = await checkin.inject({
      method: 'POST',
      url: `/api/events/${slug}/scans`,
      headers: bearer(token),
      payload: queue,
    });
    expect(synced.statusCode).toBe(200);
    expect(synced.json()).toHaveLength(1000);
    // The queue spent the token's budget: the next scan waits until it is paid off (~100 s at 10/s).
    const next = await checkin.inject({
      method: 'POST',
      url: `/api/events/${slug}/scan`,
      headers: bearer(token),
      payload: { qr: 'NOT-A-BADGE', gate: 'Nord' },
    });
    expect(next.statusCode).toBe(429);
    // (less the seconds the call itself took: the budget refills meanwhile, on a loaded machine
    // by several seconds)
    const took = Math.ceil((Date.now() - started) / 1000);
    expect(Number(next.headers['retry-after'])).toBeGreaterThanOrEqual(90 - took);
  });

  it('keeps the door scanning with tokens it knows while registration is unreachable', async () => {
    const { id, token } = await makeToken({ role: 'door' });
    await waitFor('check-in to hold the token', async () => {
      const [row] = await db.query(`SELECT 1 FROM checkin.api_tokens WHERE id = $1`, [id]);
      return row !== undefined;
    });
    await registration.close();
    // The cache of the earlier answers runs out; check-in cannot ask and decides from its copy.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await atCheckin(token)).statusCode).toBe(200);
    expect((await atCheckin('a-token-nobody-made-0123456789')).statusCode).toBe(401);
  });
});
