import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, startInProcess, TEST_ORGANISER_TOKEN, uniqueSlug } from '@einlass/testing';
import { configureRegistrationApp } from './configure-app';
import { RegistrationModule } from './registration.module';
import { SAMPLE_EVENT, sampleProgrammeCsv } from './sample/sample-congress';

/** The registration API on a real database: what it accepts, and every way it refuses. */
describe('registration API', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  const slug = uniqueSlug('reg');
  const organiser = bearer(TEST_ORGANISER_TOKEN);
  let doorToken: string;

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = organiser,
  ) => app.inject({ method, url, payload: payload as string, headers });
  const register = (body: unknown, headers = organiser) =>
    call('POST', `/api/events/${slug}/attendees`, body, headers);
  const attendeeRows = async () =>
    Number(
      (
        await db.query(
          `SELECT count(*) FROM registration.attendees a JOIN registration.events e ON e.id = a.event_id WHERE e.slug = $1`,
          [slug],
        )
      )[0].count,
    );
  const outboxRows = async () =>
    Number(
      (
        await db.query(
          `SELECT count(*) FROM registration.outbox WHERE type = 'attendee.registered' AND payload->'event'->>'slug' = $1`,
          [slug],
        )
      )[0].count,
    );

  beforeAll(async () => {
    app = await startInProcess(RegistrationModule, configureRegistrationApp);
    db = app.get(DataSource);
    expect((await call('POST', '/api/events', { ...SAMPLE_EVENT, slug })).statusCode).toBe(201);
    const programme = await app.inject({
      method: 'POST',
      url: `/api/events/${slug}/sessions`,
      payload: sampleProgrammeCsv(),
      headers: { ...organiser, 'content-type': 'text/csv' },
    });
    expect(programme.json()).toEqual({ created: 28, updated: 0 });
    const token = await call('POST', '/api/tokens', {
      role: 'door',
      label: 'Eingang Nord',
      gates: ['Nord'],
    });
    expect(token.statusCode).toBe(201);
    doorToken = token.json().token;
  });

  afterAll(() => app.close());

  describe('registering an attendee', () => {
    it('stores the attendee and its attendee.registered message in one transaction', async () => {
      const response = await register({
        externalId: 'R-1',
        title: 'Dr.',
        firstName: 'Jörg',
        lastName: 'Müller-Lüdenscheidt',
        email: 'Joerg.Mueller@Example.org',
        organisation: 'Thüringer Finanzministerium',
        category: 'speaker',
        sessions: ['W01'],
      });
      expect(response.statusCode).toBe(201);
      const attendee = response.json();
      expect(attendee).toMatchObject({
        firstName: 'Jörg',
        email: 'joerg.mueller@example.org',
        sessions: ['W01'],
        status: 'registered',
      });
      // Both rows take created_at from now(), the start of the transaction that writes them: one
      // value, one transaction. (The rows' xmin would say it too, but only until the relay marks
      // the message sent, which writes a new version of the outbox row; it may already have.)
      const [row] = await db.query(
        `SELECT a.created_at = o.created_at AS same_transaction, o.payload
           FROM registration.attendees a
           JOIN registration.outbox o ON o.payload->'attendee'->>'id' = a.id::text AND 'badges' = ANY(o.queues)
          WHERE a.id = $1`,
        [attendee.id],
      );
      expect(row.same_transaction).toBe(true);
      expect(row.payload.attendee).not.toHaveProperty('email'); // messages carry no emails
    });

    it('answers 409 with the existing id for an external id the event already has', async () => {
      const first = await register({
        externalId: 'R-2',
        firstName: 'Anna',
        lastName: 'Schmidt',
        category: 'attendee',
      });
      const again = await register({
        externalId: 'R-2',
        firstName: 'Anna',
        lastName: 'Schmidt',
        category: 'attendee',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({
        statusCode: 409,
        error: 'Conflict',
        id: first.json().id,
      });
    });

    it.each([
      ['missing fields', {}, ['firstName', 'lastName', 'category']],
      [
        'wrong types',
        { firstName: 42, lastName: ['x'], category: 'attendee', sessions: 'W01' },
        ['firstName', 'lastName', 'sessions'],
      ],
      [
        'a bad email',
        { firstName: 'A', lastName: 'B', category: 'attendee', email: 'not-an-email' },
        ['email'],
      ],
      ['an unknown category', { firstName: 'A', lastName: 'B', category: 'vip' }, ['category']],
      ['a blank name', { firstName: '   ', lastName: 'B', category: 'attendee' }, ['firstName']],
      [
        'an unknown field',
        { firstName: 'A', lastName: 'B', category: 'attendee', admin: true },
        ['admin'],
      ],
      [
        'an unknown session code',
        { firstName: 'A', lastName: 'B', category: 'attendee', sessions: ['W99'] },
        ['W99'],
      ],
    ])('refuses %s with 400 naming the fields, storing nothing', async (_, body, fields) => {
      const [before, beforeOutbox] = [await attendeeRows(), await outboxRows()];
      const response = await register(body);
      expect(response.statusCode).toBe(400);
      const answer = response.json();
      expect(answer).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      for (const field of fields) expect(JSON.stringify(answer.message)).toContain(field);
      expect(await attendeeRows()).toBe(before);
      expect(await outboxRows()).toBe(beforeOutbox);
    });

    it('refuses malformed JSON with 400', async () => {
      const response = await app.inject({
        method: 'POST',
        url: `/api/events/${slug}/attendees`,
        payload: '{"firstName": "A", ',
        headers: { ...organiser, 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it('refuses a body over 1 MB with 413', async () => {
      const response = await register({
        firstName: 'A',
        lastName: 'B',
        category: 'attendee',
        organisation: 'x'.repeat(1_100_000),
      });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    });

    it('refuses a content type it does not take with 415', async () => {
      const response = await app.inject({
        method: 'POST',
        url: `/api/events/${slug}/attendees`,
        payload: '<attendee/>',
        headers: { ...organiser, 'content-type': 'application/xml' },
      });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({ statusCode: 415 });
    });

    it('answers 404 for an unknown event', async () => {
      const response = await call('POST', '/api/events/no-such-event/attendees', {
        firstName: 'A',
        lastName: 'B',
        category: 'attendee',
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toContain('no-such-event');
    });

    it('is still healthy after all of that', async () => {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });
  });

  describe('access', () => {
    it('answers 401 without a token and with a wrong one', async () => {
      expect((await register({}, {})).statusCode).toBe(401);
      const wrong = await register({}, bearer('not-a-token-anyone-issued'));
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    });

    it('answers 403 to a door token on organiser endpoints', async () => {
      const door = bearer(doorToken);
      expect(
        (await register({ firstName: 'A', lastName: 'B', category: 'attendee' }, door)).statusCode,
      ).toBe(403);
      expect(
        (await call('POST', '/api/events', { ...SAMPLE_EVENT, slug: uniqueSlug('x') }, door))
          .statusCode,
      ).toBe(403);
      expect(
        (await call('POST', '/api/tokens', { role: 'organiser', label: 'escalate' }, door))
          .statusCode,
      ).toBe(403);
    });

    it('lets a door token look attendees up, but never shows it emails', async () => {
      const response = await call(
        'GET',
        `/api/events/${slug}/attendees?q=muller`,
        undefined,
        bearer(doorToken),
      );
      expect(response.statusCode).toBe(200);
      const [found] = response.json().items;
      expect(found.lastName).toBe('Müller-Lüdenscheidt');
      expect(found).not.toHaveProperty('email');
    });

    it('finds names with ç ñ č ż ł ø æ ß for a door token typing them without accents', async () => {
      const created = await register({
        firstName: 'François Søren',
        lastName: 'Čapek-Nuñez Żółć',
        email: 'francois.capek@example.org',
        organisation: 'Ærø Straße',
        category: 'attendee',
      });
      expect(created.statusCode).toBe(201);
      for (const q of ['francois soren capek-nunez zolc', 'aero strasse']) {
        const response = await call(
          'GET',
          `/api/events/${slug}/attendees?q=${encodeURIComponent(q)}`,
          undefined,
          bearer(doorToken),
        );
        expect(response.json().items.map((a: { id: string }) => a.id)).toEqual([created.json().id]);
      }
    });

    it('stops accepting a revoked token', async () => {
      const issued = (
        await call('POST', '/api/tokens', { role: 'organiser', label: 'temp' })
      ).json();
      expect((await call('GET', '/api/events', undefined, bearer(issued.token))).statusCode).toBe(
        200,
      );
      expect((await call('DELETE', `/api/tokens/${issued.id}`)).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2100)); // the guard remembers a token for 2 s
      expect((await call('GET', '/api/events', undefined, bearer(issued.token))).statusCode).toBe(
        401,
      );
    });
  });

  describe('events and sessions', () => {
    it.each([
      ['a bad slug', { slug: 'Nicht Gut!' }, 'slug'],
      ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
      ['a date that is not a date', { startsAt: 'tomorrow' }, 'startsAt'],
      ['an end before the start', { endsAt: '2023-10-23T08:00:00+02:00' }, 'endsAt'],
    ])('refuses an event with %s', async (_, change, field) => {
      const response = await call('POST', '/api/events', {
        ...SAMPLE_EVENT,
        slug: uniqueSlug('ev'),
        ...change,
      });
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toContain(field);
    });

    it('refuses a second event with the same slug with 409', async () => {
      expect((await call('POST', '/api/events', { ...SAMPLE_EVENT, slug })).statusCode).toBe(409);
    });

    it('imports the programme again as updates, and refuses a programme missing columns', async () => {
      const again = await app.inject({
        method: 'POST',
        url: `/api/events/${slug}/sessions`,
        payload: sampleProgrammeCsv(),
        headers: { ...organiser, 'content-type': 'text/csv' },
      });
      expect(again.json()).toEqual({ created: 0, updated: 28 });
      const bad = await app.inject({
        method: 'POST',
        url: `/api/events/${slug}/sessions`,
        payload: 'code,title\nX1,Something\n',
        headers: { ...organiser, 'content-type': 'text/csv' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toContain('capacity');
    });

    it('refuses a JSON programme entry that is invalid, naming the entry', async () => {
      const response = await call('POST', `/api/events/${slug}/sessions`, [
        {
          code: 'X1',
          title: 'Fine',
          startsAt: '2023-10-24T09:00:00+02:00',
          endsAt: '2023-10-24T10:00:00+02:00',
          capacity: 10,
          kind: 'talk',
        },
        {
          code: 'X2',
          title: 'Broken',
          startsAt: '2023-10-24T09:00:00+02:00',
          endsAt: '2023-10-24T10:00:00+02:00',
          capacity: -1,
          kind: 'party',
        },
      ]);
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toMatch(/\[1\].*capacity/);
    });
  });

  describe('listing and search', () => {
    beforeAll(async () => {
      for (const [firstName, lastName, organisation] of [
        ['Łukasz', 'Wiśniewski', 'Stadt Łódź'],
        ['Ayşe', 'Yılmaz', 'Landratsamt Gotha'],
        ['Σοφία', 'Παπαδοπούλου', 'Stadtverwaltung Jena'],
      ]) {
        expect(
          (await register({ firstName, lastName, organisation, category: 'attendee' })).statusCode,
        ).toBe(201);
      }
    });

    it.each([
      ['lodz', 'Wiśniewski'],
      ['WISNIEWSKI', 'Wiśniewski'],
      ['yilmaz', 'Yılmaz'],
      ['παπαδοπ', 'Παπαδοπούλου'],
      ['joerg.mueller@', 'Müller-Lüdenscheidt'],
      ['R-1', 'Müller-Lüdenscheidt'],
    ])('finds %s', async (q, lastName) => {
      const response = await call(
        'GET',
        `/api/events/${slug}/attendees?q=${encodeURIComponent(q)}`,
      );
      expect(response.json().items.map((a: { lastName: string }) => a.lastName)).toEqual([
        lastName,
      ]);
    });

    it('pages through the list in name order with a cursor', async () => {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { lastName: string }[]; nextCursor: string | null } = (
          await call(
            'GET',
            `/api/events/${slug}/attendees?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          )
        ).json();
        names.push(...page.items.map((a: { lastName: string }) => a.lastName));
        cursor = page.nextCursor;
      } while (cursor);
      expect(names).toHaveLength(await attendeeRows());
      expect(new Set(names).size).toBe(names.length);
    });

    it.each([
      ['a cursor it never gave out', 'cursor=bm9wZQ'],
      ['a limit of zero', 'limit=0'],
      ['a limit that is not a number', 'limit=many'],
      ['an unknown category', 'category=vip'],
      ['an unknown status', 'status=arrived'],
      ['a session code the event does not have', 'session=NOPE'],
    ])('refuses %s with 400', async (_, query) => {
      expect((await call('GET', `/api/events/${slug}/attendees?${query}`)).statusCode).toBe(400);
    });

    it('answers 404 for an attendee id that is not there, or not an id', async () => {
      expect(
        (await call('GET', `/api/events/${slug}/attendees/6f1c3a43-55a5-4b7f-8c39-1ef7d6d0b0b1`))
          .statusCode,
      ).toBe(404);
      expect((await call('GET', `/api/events/${slug}/attendees/42`)).statusCode).toBe(404);
    });
  });
});
