import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { bearer, startInProcess, TEST_ORGANISER_TOKEN } from '@einlass/testing';
import { DoorFixture } from '../../test/door-fixture';
import { CheckinModule } from '../checkin.module';
import { foldName } from '@einlass/door-rules';

interface Person {
  id: string;
  name: string;
  firstName: string;
  lastName: string;
  organisation: string | null;
  category: string;
}
interface NotArrivedPage {
  items: Person[];
  nextCursor: string | null;
  total: number;
}
interface LogItem {
  id: string;
  at: string;
  gate: string;
  list: string;
  direction: string;
  result: string;
  flag: string | null;
  attendee: { id: string; name: string } | null;
}

/**
 * The organisers' lists on a real database: who has not arrived yet, one person's scans, and the
 * latest scans in the attendance object.
 */
describe('organisers’ lists', () => {
  let app: NestFastifyApplication;
  let door: DoorFixture;
  const organiser = bearer(TEST_ORGANISER_TOKEN);
  const get = (path: string, headers = organiser) =>
    app.inject({ method: 'GET', url: `/api/events/${door.slug}${path}`, headers });
  const scan = async (id: string, gate: string, extra: object = {}) =>
    (
      await app.inject({
        method: 'POST',
        url: `/api/events/${door.slug}/scan`,
        payload: { qr: door.qr(id), gate, ...extra },
        headers: organiser,
      })
    ).json<{ result: string }>().result;
  const people: Record<string, string> = {};

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
    door = await new DoorFixture(app.get(DataSource)).create();
    people.muller = await door.person({ title: 'Dr.', firstName: 'Jörg', lastName: 'Müller' });
    people.mueller = await door.person({ firstName: 'Anna', lastName: 'Mueller' });
    people.lodz = await door.person({
      firstName: 'Zofia',
      lastName: 'Łukasiewicz',
      organisation: 'Urząd Miasta Łódź',
      category: 'speaker',
    });
    people.arger = await door.person({ firstName: 'Ömer', lastName: 'Ärger', organisation: null });
    people.zander = await door.person({ firstName: 'Zoë', lastName: 'Zander', category: 'press' });
    people.percent = await door.person({ firstName: '100%', lastName: 'Prozent' });
    people.sessionOnly = await door.person({
      firstName: 'Nur',
      lastName: 'Workshop',
      sessions: ['W01'],
    });
    people.cancelled = await door.person({ lastName: 'Abgesagt', status: 'cancelled' });
    people.arrived = await door.person({ lastName: 'Angekommen' });
    people.leftAgain = await door.person({ lastName: 'Gegangen' });
    expect(await scan(people.arrived, 'Nord')).toBe('admitted');
    expect(await scan(people.leftAgain, 'Süd')).toBe('admitted');
    expect(await scan(people.leftAgain, 'Süd', { direction: 'out' })).toBe('left');
    expect(await scan(people.sessionOnly, 'W', { list: 'W01' })).toBe('admitted');
  });

  afterAll(() => app.close());

  describe('not yet arrived', () => {
    it('lists registered people never admitted at the entrance, by last name', async () => {
      const page = (await get('/attendance/not-arrived')).json<NotArrivedPage>();
      expect(page.total).toBe(7);
      expect(page.nextCursor).toBeNull();
      expect(page.items.map((p) => p.lastName)).toEqual([
        'Ärger',
        'Łukasiewicz',
        'Mueller',
        'Müller',
        'Prozent',
        'Workshop', // admitted to a workshop, never at the entrance
        'Zander',
      ]);
      expect(page.items[3]).toEqual({
        id: people.muller,
        name: 'Dr. Jörg Müller',
        firstName: 'Jörg',
        lastName: 'Müller',
        organisation: 'Stadt Jena',
        category: 'attendee',
      });
      expect(page.items[0].organisation).toBeNull();
    });

    it('pages with a cursor, the total staying that of the whole list', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = (await get(`/attendance/not-arrived?limit=3${query}`)).json<NotArrivedPage>();
        expect(page.total).toBe(7);
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      const all = (await get('/attendance/not-arrived')).json<NotArrivedPage>();
      expect(seen).toEqual(all.items.map((p) => p.id));
    });

    it.each([
      ['muller', ['Müller']],
      ['MÜLLER jörg', ['Müller']],
      ['mueller', ['Mueller']],
      ['lodz', ['Łukasiewicz']],
      ['urzad miasta', ['Łukasiewicz']],
      ['omer', ['Ärger']],
      ['zoe', ['Zander']],
      ['100%', ['Prozent']],
      ['%', ['Prozent']],
      ['_', []],
      ['angekommen', []],
      ['abgesagt', []],
    ])('finds %j case- and accent-insensitively', async (q, lastNames) => {
      const page = (
        await get(`/attendance/not-arrived?q=${encodeURIComponent(q)}`)
      ).json<NotArrivedPage>();
      expect(page.items.map((p) => p.lastName)).toEqual(lastNames);
      expect(page.total).toBe(lastNames.length);
    });

    it('folds names in the database exactly as foldName folds what is typed', async () => {
      const db = app.get(DataSource);
      for (const [firstName, lastName] of [
        ['Søren', 'GROẞ'],
        ['Yıldız', 'Đorđević'],
        ['Ñandú', 'Nguyễn'],
        ['Œuvre', 'Æsir'],
        ['Иван', 'Иванов'],
      ]) {
        const id = await door.person({ firstName, lastName, organisation: 'Łódź', title: 'Dr.' });
        const [row] = await db.query<{ sort_name: string; search_text: string }[]>(
          `SELECT sort_name, search_text FROM checkin.attendees WHERE id = $1`,
          [id],
        );
        expect(row).toEqual({
          sort_name: foldName(`${lastName} ${firstName}`),
          search_text: foldName(`Dr. ${firstName} ${lastName} Łódź`),
        });
        await db.query(`UPDATE checkin.attendees SET status = 'cancelled' WHERE id = $1`, [id]);
      }
    });

    it('filters by category, together with q', async () => {
      const press = (await get('/attendance/not-arrived?category=press')).json<NotArrivedPage>();
      expect(press.items.map((p) => p.id)).toEqual([people.zander]);
      const none = (
        await get('/attendance/not-arrived?category=press&q=muller')
      ).json<NotArrivedPage>();
      expect(none).toEqual({ items: [], nextCursor: null, total: 0 });
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('{"sortName":1}').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('{"sortName":"a","id":"x"}').toString('base64url')}`, 'cursor'],
      ['category=vip', 'category'],
      [`q=${'x'.repeat(101)}`, 'q'],
      ['sort=name', 'sort'],
    ])('refuses ?%s with 400 naming it', async (query, field) => {
      const response = await get(`/attendance/not-arrived?${query}`);
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toContain(field);
    });

    it('is for organisers only', async () => {
      const doorToken = bearer(await door.token('door'));
      expect((await get('/attendance/not-arrived', doorToken)).statusCode).toBe(403);
      expect((await get('/attendance/not-arrived', {})).statusCode).toBe(401);
    });
  });

  describe('door look-up', () => {
    it('finds names with ç, ñ, č, ć, š, ž, ł, ø, æ however they are typed, never with an email', async () => {
      const doorToken = bearer(await door.token('door'));
      const names: [string, string, string][] = [
        ['François', 'Nuñez', 'francois nunez'],
        ['Čedomir', 'Ćosić', 'cedomir cosic'],
        ['Šárka', 'Žáková', 'sarka zakova'],
        ['Łucja', 'Økland', 'lucja okland'],
        ['Ægir', 'Straße', 'aegir strasse'],
      ];
      for (const [firstName, lastName, typed] of names) {
        const id = await door.person({ firstName, lastName, organisation: 'Stadt Łódź' });
        for (const q of [typed, `${firstName} ${lastName}`, `${lastName.toUpperCase()} lodz`]) {
          const answer = await get(`/door-lookup?q=${encodeURIComponent(q)}`, doorToken);
          expect(answer.statusCode).toBe(200);
          const items = answer.json<{ items: { id: string; name: string }[] }>().items;
          expect({ q, found: items.map((item) => item.id) }).toEqual({ q, found: [id] });
          expect(items[0].name).toBe(`${firstName} ${lastName}`);
        }
      }
      // Wildcards typed are letters, not patterns.
      const percent = await get(`/door-lookup?q=${encodeURIComponent('100%')}`, doorToken);
      expect(percent.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([
        people.percent,
      ]);
      expect((await get(`/door-lookup?q=${encodeURIComponent('%%')}`, doorToken)).json()).toEqual({
        items: [],
      });
    });
  });

  describe("a person's history", () => {
    it('narrows the check-in log to one attendee, newest first, a page at a time', async () => {
      const id = people.leftAgain;
      expect(await scan(id, 'Nord')).toBe('admitted');
      expect(await scan(id, 'Ost')).toBe('already_admitted');
      const history = (await get(`/checkins?attendeeId=${id}`)).json<{
        items: LogItem[];
        nextCursor: string | null;
      }>();
      expect(history.items.map((i) => [i.gate, i.direction, i.result])).toEqual([
        ['Ost', 'in', 'already_admitted'],
        ['Nord', 'in', 'admitted'],
        ['Süd', 'out', 'left'],
        ['Süd', 'in', 'admitted'],
      ]);
      expect(history.items.every((i) => i.attendee?.id === id)).toBe(true);
      const first = (await get(`/checkins?attendeeId=${id}&limit=3`)).json<{
        items: LogItem[];
        nextCursor: string;
      }>();
      const rest = (
        await get(`/checkins?attendeeId=${id}&limit=3&cursor=${first.nextCursor}`)
      ).json<{ items: LogItem[]; nextCursor: string | null }>();
      expect([...first.items, ...rest.items]).toEqual(history.items);
      expect(rest.nextCursor).toBeNull();
      const nobody = (await get(`/checkins?attendeeId=${randomUUID()}`)).json<{
        items: LogItem[];
      }>();
      expect(nobody.items).toEqual([]);
    });

    it.each(['nope', '123', `${randomUUID()}x`])(
      'refuses attendeeId=%s with 400',
      async (attendeeId) => {
        const response = await get(`/checkins?attendeeId=${attendeeId}`);
        expect(response.statusCode).toBe(400);
        expect(JSON.stringify(response.json().message)).toContain('attendeeId');
      },
    );
  });

  describe('the latest scans in the attendance object', () => {
    it('holds the 15 newest entries of the log, newest first, with every other field kept', async () => {
      for (let i = 0; i < 16; i += 1)
        expect(await scan(people.zander, `Tor ${i}`)).toMatch(/admit/);
      await app.inject({
        method: 'POST',
        url: `/api/events/${door.slug}/scan`,
        payload: { qr: 'garbage', gate: 'Nord' },
        headers: organiser,
      });
      const attendance = (await get('/attendance')).json<Record<string, unknown>>();
      expect(Object.keys(attendance).sort()).toEqual([
        'arrivals',
        'byCategory',
        'byGate',
        'checkedIn',
        'latest',
        'onSite',
        'registered',
        'sessions',
      ]);
      const latest = attendance.latest as LogItem[];
      const log = (await get('/checkins?limit=15')).json<{ items: (LogItem & object)[] }>();
      expect(latest).toEqual(
        log.items.map(({ id, at, gate, list, direction, result, flag, attendee }) => ({
          id,
          at,
          gate,
          list,
          direction,
          result,
          flag,
          attendee,
        })),
      );
      expect(latest).toHaveLength(15);
      expect(latest[0]).toMatchObject({ result: 'invalid', attendee: null, gate: 'Nord' });
      expect(latest[1]).toMatchObject({
        gate: 'Tor 15',
        list: 'main',
        direction: 'in',
        result: 'already_admitted',
        flag: null,
        attendee: { id: people.zander, name: 'Zoë Zander' },
      });
    });
  });
});
