import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import {
  bearer,
  startInProcess,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { configureRegistrationApp } from '../configure-app';
import { RegistrationModule } from '../registration.module';
import { SAMPLE_EVENT } from '../sample/sample-congress';

interface Person {
  id: string;
  firstName: string;
  lastName: string;
  email?: string | null;
  organisation: string | null;
  category: string;
  status: string;
  sessions: string[];
  waitlist: string[];
  replaces?: string;
}

/**
 * `POST /api/events/:slug/attendees/:id/replacement` on a real database: a substitute takes over
 * a registration at the desk. W1 has two places: Adler and Bauer hold them, Cramer waits.
 */
describe('replacing a registration', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  const slug = uniqueSlug('replace');
  const otherSlug = uniqueSlug('replace-other');
  const organiser = bearer(TEST_ORGANISER_TOKEN);
  let desk: Record<string, string>;
  let otherDesk: Record<string, string>;
  let door: Record<string, string>;
  const ids: Record<string, string> = {};
  let otherEventsPerson: string;

  const call = (
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = organiser,
  ) => app.inject({ method, url, payload: payload as string, headers });
  const replace = (id: string, body: unknown, headers = desk) =>
    call('POST', `/api/events/${slug}/attendees/${id}/replacement`, body, headers);
  const person = async (id: string): Promise<Person> =>
    (await call('GET', `/api/events/${slug}/attendees/${id}`)).json();
  const workshops = async () =>
    (await call('GET', `/api/events/${slug}/sessions`))
      .json<{ code: string; signedUp: number; waiting: number }[]>()
      .map(({ code, signedUp, waiting }) => ({ code, signedUp, waiting }));
  const tokenFor = async (role: string, events: string[]) => {
    const response = await call('POST', '/api/tokens', { role, label: `${role} test`, events });
    expect(response.statusCode).toBe(201);
    return bearer(response.json().token as string);
  };
  const outboxFor = (attendeeId: string) =>
    db.query<{ type: string; sessions: string[]; status: string }[]>(
      `SELECT type, payload->'attendee'->'sessions' AS sessions, payload->'attendee'->>'status' AS status
         FROM registration.outbox WHERE payload->'attendee'->>'id' = $1 ORDER BY id`,
      [attendeeId],
    );

  beforeAll(async () => {
    app = await startInProcess(RegistrationModule, configureRegistrationApp);
    db = app.get(DataSource);
    for (const s of [slug, otherSlug]) {
      expect((await call('POST', '/api/events', { ...SAMPLE_EVENT, slug: s })).statusCode).toBe(
        201,
      );
      const at = { startsAt: SAMPLE_EVENT.startsAt, endsAt: SAMPLE_EVENT.endsAt, room: 'R1' };
      const programme = await call('POST', `/api/events/${s}/sessions`, [
        { ...at, code: 'W1', title: 'Small workshop', capacity: 2, kind: 'workshop' },
        { ...at, code: 'W2', title: 'Large workshop', capacity: 10, kind: 'workshop' },
      ]);
      expect(programme.statusCode).toBe(200);
    }
    // One at a time: the order of sign-ups decides who gets W1's two places.
    for (const [lastName, sessions] of [
      ['Adler', ['W1', 'W2']],
      ['Bauer', ['W1']],
      ['Cramer', ['W1']],
      ['Dietz', []],
      ['Engel', ['W2']],
    ] as const) {
      const created = await call('POST', `/api/events/${slug}/attendees`, {
        firstName: 'Test',
        lastName,
        email: `${lastName.toLowerCase()}@example.org`,
        organisation: 'Landesamt',
        category: lastName === 'Bauer' ? 'speaker' : 'attendee',
        sessions,
      });
      expect(created.statusCode).toBe(201);
      ids[lastName] = created.json().id;
    }
    expect(
      (await call('POST', `/api/events/${slug}/attendees/${ids.Dietz}/cancel`)).statusCode,
    ).toBe(200);
    const elsewhere = await call('POST', `/api/events/${otherSlug}/attendees`, {
      firstName: 'Other',
      lastName: 'Event',
      category: 'attendee',
      sessions: ['W1'],
    });
    otherEventsPerson = elsewhere.json().id;
    desk = await tokenFor('desk', [slug]);
    otherDesk = await tokenFor('desk', [otherSlug]);
    door = await tokenFor('door', [slug]);
  });

  afterAll(() => app.close());

  it('registers the substitute in the workshop places of the one replaced, who is cancelled', async () => {
    const before = await workshops();
    const response = await replace(ids.Adler, {
      firstName: 'Zoë',
      lastName: 'Vertretung',
      organisation: 'Landesamt',
      email: 'Zoe.Vertretung@example.org',
    });
    expect(response.statusCode).toBe(201);
    const substitute: Person = response.json();
    expect(substitute).toMatchObject({
      firstName: 'Zoë',
      lastName: 'Vertretung',
      email: 'zoe.vertretung@example.org', // the one the desk entered
      category: 'attendee', // the replaced person's
      status: 'registered',
      sessions: ['W1', 'W2'],
      waitlist: [],
      replaces: ids.Adler,
    });
    expect(await person(ids.Adler)).toMatchObject({ status: 'cancelled', sessions: [] });
    // No place changed hands: W1 is still full and Cramer still waits.
    expect(await workshops()).toEqual(before);
    expect(await person(ids.Cramer)).toMatchObject({ sessions: [], waitlist: ['W1'] });

    // Badges and check-in hear both: the old badge revoked, the new one issued with the places.
    expect(await outboxFor(ids.Adler)).toEqual([
      { type: 'attendee.registered', sessions: ['W1', 'W2'], status: 'registered' },
      { type: 'attendee.cancelled', sessions: [], status: 'cancelled' },
    ]);
    expect(await outboxFor(substitute.id)).toEqual([
      { type: 'attendee.registered', sessions: ['W1', 'W2'], status: 'registered' },
    ]);

    // The audit log is filled through the outbox and the relay: the entries arrive shortly after.
    const wanted = [
      expect.objectContaining({
        action: 'attendee.cancelled',
        attendeeId: ids.Adler,
        details: { replacedBy: [substitute.id] },
      }),
      expect.objectContaining({
        action: 'attendee.registered',
        attendeeId: substitute.id,
        details: { replaces: [ids.Adler] },
      }),
    ];
    let entries: { action: string; attendeeId: string; details: object }[] = [];
    await waitFor(
      'the replacement in the audit log',
      async () => {
        entries = (await call('GET', `/api/events/${slug}/audit?limit=10`)).json<{
          items: typeof entries;
        }>().items;
        return wanted.every((entry) => entries.some((item) => entry.asymmetricMatch(item)));
      },
      { timeoutMs: 15_000, explain: () => Promise.resolve(JSON.stringify(entries)) },
    );
    expect(entries).toEqual(expect.arrayContaining(wanted));
  });

  it("takes the category given, and takes over a waiting list's position", async () => {
    const response = await replace(
      ids.Cramer,
      { firstName: 'Presse', lastName: 'Stellvertretung', category: 'press' },
      organiser,
    );
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ category: 'press', sessions: [], waitlist: ['W1'] });
  });

  it('answers 409 for a registration already cancelled (replaced or not), changing nothing', async () => {
    const before = await workshops();
    for (const id of [ids.Dietz, ids.Adler]) {
      const response = await replace(id, { firstName: 'Noch', lastName: 'Jemand' });
      expect(response.statusCode).toBe(409);
      expect(response.json().message).toMatch(/cancelled/);
    }
    expect(await workshops()).toEqual(before);
  });

  it('answers 404 for an unknown id, a malformed one, and another event’s person', async () => {
    const body = { firstName: 'Noch', lastName: 'Jemand' };
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id', otherEventsPerson]) {
      const response = await replace(id, body);
      expect({ id, status: response.statusCode }).toEqual({ id, status: 404 });
    }
    // the other event's person is still registered with their place
    const elsewhere = await call('GET', `/api/events/${otherSlug}/attendees/${otherEventsPerson}`);
    expect(elsewhere.json()).toMatchObject({ status: 'registered', sessions: ['W1'] });
  });

  it('refuses an invalid body with 400 naming the field, changing nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /firstName/],
      [{ firstName: 'Nur', lastName: '   ' }, /lastName must not be empty/],
      [{ firstName: 'A', lastName: 'B', email: 'keine-adresse' }, /email must be an email/],
      [{ firstName: 'A', lastName: 'B', category: 'vip' }, /category must be one of/],
      [{ firstName: 'A', lastName: 'B', sessions: ['W2'] }, /sessions should not exist/],
      [{ firstName: 'A', lastName: 'B', externalId: 'X-1' }, /externalId should not exist/],
      [{ firstName: 'A', lastName: 'x'.repeat(1000) }, /lastName/],
      [['not', 'an', 'object'], /./],
    ];
    for (const [body, message] of cases) {
      const response = await replace(ids.Bauer, body);
      expect({ body, status: response.statusCode }).toEqual({ body, status: 400 });
      expect(JSON.stringify(response.json().message)).toMatch(message);
    }
    expect(await person(ids.Bauer)).toMatchObject({ status: 'registered', sessions: ['W1'] });
  });

  it('lets organisers and the desk of the event replace; refuses door tokens and other desks', async () => {
    const body = { firstName: 'Nicht', lastName: 'Erlaubt' };
    expect((await replace(ids.Bauer, body, door)).statusCode).toBe(403);
    expect((await replace(ids.Bauer, body, otherDesk)).statusCode).toBe(403);
    expect((await replace(ids.Bauer, body, {})).statusCode).toBe(401);
    expect(await person(ids.Bauer)).toMatchObject({ status: 'registered', sessions: ['W1'] });
  });
});
