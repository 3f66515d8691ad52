import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, startInProcess, TEST_ORGANISER_TOKEN, uniqueSlug } from '@einlass/testing';
import { configureRegistrationApp } from './configure-app';
import { RegistrationModule } from './registration.module';

/**
 * Issue 11 against registration: a limited organiser stays inside its events, a door token never
 * finds anyone by email, searches and failed sign-ins are limited, and bodies are refused cheaply.
 */
describe('registration access', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  const slugA = uniqueSlug('acc-a');
  const slugB = uniqueSlug('acc-b');
  const organiser = bearer(TEST_ORGANISER_TOKEN);
  let organiserA: Record<string, string>;
  let doorA: Record<string, string>;

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = organiser,
  ) => app.inject({ method, url, payload: payload as string, headers });

  const event = (slug: string) => ({
    slug,
    name: 'Kongress',
    startsAt: '2030-10-24T06:00:00Z',
    endsAt: '2030-10-24T16:00:00Z',
    timezone: 'Europe/Berlin',
  });

  beforeAll(async () => {
    app = await startInProcess(RegistrationModule, configureRegistrationApp);
    db = app.get(DataSource);
    for (const slug of [slugA, slugB]) {
      expect((await call('POST', '/api/events', event(slug))).statusCode).toBe(201);
      const person = await call('POST', `/api/events/${slug}/attendees`, {
        firstName: 'Erika',
        lastName: 'Mustermann',
        email: 'zq.geheim@bund.example',
        organisation: 'Bundesamt',
        category: 'attendee',
      });
      expect(person.statusCode).toBe(201);
    }
    const made = await call('POST', '/api/tokens', {
      role: 'organiser',
      label: 'A only',
      events: [slugA],
    });
    organiserA = bearer(made.json().token);
    doorA = bearer(
      (await call('POST', '/api/tokens', { role: 'door', label: 'Nord', events: [slugA] })).json()
        .token,
    );
  });

  afterAll(() => app.close());

  describe('an organiser token limited to one event (finding 1)', () => {
    it('may not issue a token for every event, nor for another event', async () => {
      const wide = await call('POST', '/api/tokens', { role: 'organiser', label: 'x' }, organiserA);
      expect(wide.statusCode).toBe(403);
      expect(wide.json().message).toMatch(/must name events among them/);
      const other = await call(
        'POST',
        '/api/tokens',
        { role: 'door', label: 'x', events: [slugB] },
        organiserA,
      );
      expect(other.statusCode).toBe(403);
      expect(other.json().message).toContain(slugB);
      const own = await call(
        'POST',
        '/api/tokens',
        { role: 'door', label: 'Süd', events: [slugA], gates: ['Süd'] },
        organiserA,
      );
      expect(own.statusCode).toBe(201);
      expect(own.json()).toMatchObject({ events: [slugA], gates: ['Süd'] });
    });

    it('lists and revokes only tokens inside its events', async () => {
      const doorB = (
        await call('POST', '/api/tokens', { role: 'door', label: 'B', events: [slugB] })
      ).json();
      const listed = (await call('GET', '/api/tokens', undefined, organiserA)).json<
        { id: string; events: string[] }[]
      >();
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.every((t) => t.events.length > 0 && t.events.every((e) => e === slugA))).toBe(
        true,
      );
      expect(listed.map((t) => t.id)).not.toContain(doorB.id);
      const revoke = await call('DELETE', `/api/tokens/${doorB.id}`, undefined, organiserA);
      expect(revoke.statusCode).toBe(404);
      const [row] = await db.query(`SELECT revoked_at FROM registration.api_tokens WHERE id = $1`, [
        doorB.id,
      ]);
      expect(row.revoked_at).toBeNull();
    });

    it('may not create events, nor read another event', async () => {
      const created = await call('POST', '/api/events', event(uniqueSlug('acc-c')), organiserA);
      expect(created.statusCode).toBe(403);
      const read = await call('GET', `/api/events/${slugB}/attendees`, undefined, organiserA);
      expect(read.statusCode).toBe(403);
    });
  });

  describe('tokens that expire', () => {
    it('refuses a token once its expiresAt has passed, and an expiry in the past', async () => {
      const past = await call('POST', '/api/tokens', {
        role: 'door',
        label: 'x',
        events: [slugA],
        expiresAt: '2020-01-01T00:00:00Z',
      });
      expect(past.statusCode).toBe(400);
      const soon = await call('POST', '/api/tokens', {
        role: 'door',
        label: 'Tagesgast',
        events: [slugA],
        expiresAt: new Date(Date.now() + 1500).toISOString(),
      });
      expect(soon.statusCode).toBe(201);
      const token = bearer(soon.json().token);
      expect((await call('GET', '/api/me', undefined, token)).json().expiresAt).toBe(
        soon.json().expiresAt,
      );
      await new Promise((resolve) => setTimeout(resolve, 1600));
      expect((await call('GET', '/api/me', undefined, token)).statusCode).toBe(401);
    });
  });

  describe('door look-up (finding 3)', () => {
    it('never matches an email with a door token, but does for organisers', async () => {
      const byDoor = await call('GET', `/api/events/${slugA}/attendees?q=zq.geh`, undefined, doorA);
      expect(byDoor.statusCode).toBe(200);
      expect(byDoor.json().items).toEqual([]);
      const byName = await call('GET', `/api/events/${slugA}/attendees?q=muste`, undefined, doorA);
      expect(byName.json().items).toHaveLength(1);
      expect(byName.json().items[0].email).toBeUndefined();
      const byOrganiser = await call('GET', `/api/events/${slugA}/attendees?q=zq.geh`);
      expect(byOrganiser.json().items).toHaveLength(1);
    });

    it('limits searches per token: 429 with Retry-After', async () => {
      const door = bearer(
        (
          await call('POST', '/api/tokens', { role: 'door', label: 'eager', events: [slugA] })
        ).json().token,
      );
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 40; i++) {
        const answer = await call('GET', `/api/events/${slugA}/attendees?q=m${i}`, undefined, door);
        statuses.push(answer.statusCode);
        if (answer.statusCode === 429) retryAfter = String(answer.headers['retry-after']);
      }
      expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // A list without a search is no search.
      expect(
        (await call('GET', `/api/events/${slugA}/attendees`, undefined, door)).statusCode,
      ).toBe(200);
    });
  });

  describe('desk tokens (issue 17): walk-ins at their event, nothing else an organiser can', () => {
    let deskA: Record<string, string>;
    beforeAll(async () => {
      const made = await call('POST', '/api/tokens', {
        role: 'desk',
        label: 'Desk Foyer',
        events: [slugA],
        gates: ['Foyer'],
      });
      expect(made.statusCode).toBe(201);
      expect(made.json().token).toMatch(/^ein_desk_/);
      deskA = bearer(made.json().token);
    });

    it('refuses a desk token that names no event, with 400', async () => {
      const response = await call('POST', '/api/tokens', { role: 'desk', label: 'Anywhere' });
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toContain('desk token must name');
    });

    it('refuses an unknown role with 400 naming the roles', async () => {
      const response = await call('POST', '/api/tokens', { role: 'admin', label: 'x' });
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toContain('organiser, door, desk');
    });

    it('registers a walk-in at its event, and nowhere else', async () => {
      const walkIn = {
        firstName: 'Kai',
        lastName: 'Spontan',
        organisation: 'Landkreis Gotha',
        category: 'attendee',
      };
      const here = await call('POST', `/api/events/${slugA}/attendees`, walkIn, deskA);
      expect(here.statusCode).toBe(201);
      expect(here.json()).toMatchObject({ lastName: 'Spontan', status: 'registered' });
      const elsewhere = await call('POST', `/api/events/${slugB}/attendees`, walkIn, deskA);
      expect(elsewhere.statusCode).toBe(403);
    });

    it('looks people up as a door does: never by email, and never shows one', async () => {
      const byEmail = await call(
        'GET',
        `/api/events/${slugA}/attendees?q=zq.geheim`,
        undefined,
        deskA,
      );
      expect(byEmail.statusCode).toBe(200);
      expect(byEmail.json().items).toEqual([]);
      const byName = await call(
        'GET',
        `/api/events/${slugA}/attendees?q=mustermann`,
        undefined,
        deskA,
      );
      expect(byName.json().items[0]).not.toHaveProperty('email');
    });

    it('cannot change, cancel, import, export or issue tokens', async () => {
      const [person] = (
        await call('GET', `/api/events/${slugA}/attendees?q=mustermann`, undefined, organiser)
      ).json().items;
      const attempts = [
        await call(
          'PATCH',
          `/api/events/${slugA}/attendees/${person.id}`,
          { lastName: 'X' },
          deskA,
        ),
        await call('DELETE', `/api/events/${slugA}/attendees/${person.id}`, undefined, deskA),
        await call('POST', '/api/tokens', { role: 'door', label: 'x', events: [slugA] }, deskA),
      ];
      expect(attempts.map((r) => r.statusCode)).toEqual([403, 403, 403]);
    });
  });

  describe('cheap refusals (findings 4 and 5)', () => {
    it('answers a form-urlencoded body 415 and stores nothing', async () => {
      const answer = await app.inject({
        method: 'POST',
        url: `/api/events/${slugA}/attendees`,
        headers: { ...organiser, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'firstName=Form&lastName=Post&category=attendee',
      });
      expect(answer.statusCode).toBe(415);
      expect(answer.json()).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM registration.attendees WHERE first_name = 'Form'`,
      );
      expect(n).toBe(0);
    });

    it('answers invalid UTF-8 in JSON 400 instead of storing U+FFFD', async () => {
      const answer = await app.inject({
        method: 'POST',
        url: `/api/events/${slugA}/attendees`,
        headers: { ...organiser, 'content-type': 'application/json' },
        payload: Buffer.concat([
          Buffer.from('{"firstName":"Utf","lastName":"M'),
          Buffer.from([0xfc]),
          Buffer.from('ller","category":"attendee"}'),
        ]),
      });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().message).toBe('The body is not valid UTF-8');
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM registration.attendees WHERE first_name = 'Utf'`,
      );
      expect(n).toBe(0);
    });

    it('answers deeply nested JSON 400, never a stack overflow', async () => {
      const answer = await app.inject({
        method: 'POST',
        url: `/api/events/${slugA}/attendees`,
        headers: { ...organiser, 'content-type': 'application/json' },
        payload: '['.repeat(400_000) + ']'.repeat(400_000),
      });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().message).toMatch(/nests deeper than 32 levels/);
    });

    it('limits failed sign-ins per client address: 429 with Retry-After, even for a good token', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const answer = await app.inject({
          method: 'GET',
          url: '/api/events',
          headers: bearer(`wrong-token-${i}`),
          remoteAddress: '198.51.100.7',
        });
        statuses.push(answer.statusCode);
      }
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
      const blocked = await app.inject({
        method: 'GET',
        url: '/api/events',
        headers: organiser,
        remoteAddress: '198.51.100.7',
      });
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Another address is not held up.
      const elsewhere = await app.inject({
        method: 'GET',
        url: '/api/events',
        headers: organiser,
        remoteAddress: '198.51.100.8',
      });
      expect(elsewhere.statusCode).toBe(200);
    });
  });
});
