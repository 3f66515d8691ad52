import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { DataSource } from 'typeorm';
import { bearer, startInProcess, TEST_ORGANISER_TOKEN, waitFor } from '@einlass/testing';
import { DoorFixture } from '../../test/door-fixture';
import { CheckinModule } from '../checkin.module';
import { ReadModelProjection } from '../read-model/read-model.projection';
import { EXPORT_BATCH } from './export-rows';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

type Row = Record<string, string>;

/**
 * The CSV exports on a real database: what Excel gets (BOM, CRLF, quoting, no formulas), that the
 * files agree with the attendance counts after a burst of scans, and every request refused.
 */
describe('CSV exports', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  let door: DoorFixture;
  const organiser = bearer(TEST_ORGANISER_TOKEN);
  const get = (path: string, headers = organiser, slug = door.slug) =>
    app.inject({ method: 'GET', url: `/api/events/${slug}${path}`, headers });
  const post = (path: string, payload: unknown) =>
    app.inject({
      method: 'POST',
      url: `/api/events/${door.slug}${path}`,
      payload: payload as object,
      headers: organiser,
    });
  /** The file read back as a spreadsheet would: header names as keys. */
  const records = (text: string, delimiter = ','): Row[] =>
    parse<Row>(text, { bom: true, columns: true, delimiter });
  const csv = async (path: string) => {
    const response = await get(path);
    expect(response.statusCode).toBe(200);
    return records(response.body);
  };

  const people: Record<string, string> = {};

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
    db = app.get(DataSource);
    door = await new DoorFixture(db).create();
    await db.transaction((manager) =>
      ReadModelProjection.sessions(manager, door.eventId, [
        {
          code: 'T02',
          title: 'Vortrag',
          room: null,
          startsAt: '2023-10-24T11:00:00.000Z',
          endsAt: '2023-10-24T12:00:00.000Z',
          capacity: 100,
          kind: 'talk',
        },
      ]),
    );
    people.formula = await door.person({
      externalId: 'EXT-0001',
      firstName: '=HYPERLINK("http://evil.example","Klick")',
      lastName: 'Adler',
      organisation: '+49 Amt',
      category: 'speaker',
      sessions: ['W01'],
    });
    people.at = await door.person({
      firstName: '@Bob',
      lastName: '-Minus',
      organisation: 'Stadt "Jena", Amt 3',
      category: 'press',
    });
    people.jorg = await door.person({
      title: 'Dr.',
      firstName: 'Jörg',
      lastName: 'Müller',
      sessions: ['W01'],
    });
    people.never = await door.person({ firstName: 'Nie', lastName: 'Da' });
    people.cancelled = await door.person({ status: 'cancelled', lastName: 'Storniert' });
    people.offline = await door.person({
      firstName: 'Offline',
      lastName: 'Ost',
      category: 'staff',
    });
    people.late = await door.person({ firstName: 'Spät', lastName: 'West', category: 'exhibitor' });
  });

  afterAll(() => app.close());

  /** Admissions at two gates, repeats, exits, re-entries, sessions and an offline queue. */
  async function burst() {
    const scan = async (who: string, gate: string, extra: object = {}) =>
      (await post('/scan', { qr: door.qr(people[who]), gate, ...extra })).json<{
        result: string;
      }>().result;
    const [a, b, c] = await Promise.all([
      scan('formula', 'Nord'),
      scan('at', 'Süd'),
      scan('jorg', 'Nord'),
    ]);
    expect([a, b, c]).toEqual(['admitted', 'admitted', 'admitted']);
    expect(await scan('formula', 'Süd')).toBe('already_admitted');
    expect(await scan('formula', 'Nord')).toBe('already_admitted');
    expect(await scan('at', 'Süd', { direction: 'out' })).toBe('left');
    expect(await scan('at', 'Nord')).toBe('admitted'); // re-entry: first gate stays Süd
    expect(await scan('jorg', 'Nord', { direction: 'out' })).toBe('left');
    expect(await scan('cancelled', 'Nord')).toBe('revoked');
    expect((await post('/scan', { qr: 'not a badge', gate: 'Nord' })).json().result).toBe(
      'invalid',
    );
    // Sessions: a workshop (signed up only) and a talk; someone leaves the workshop again.
    expect(await scan('formula', 'W', { list: 'W01' })).toBe('admitted');
    expect(await scan('jorg', 'W', { list: 'W01' })).toBe('admitted');
    expect(await scan('jorg', 'W', { list: 'W01', direction: 'out' })).toBe('left');
    expect(await scan('at', 'W', { list: 'W01' })).toBe('not_on_list');
    expect(await scan('at', 'T', { list: 'T02' })).toBe('admitted');
    // An offline device's queue: two scans of one badge (the later one a flagged duplicate).
    const queue = (
      await post('/scans', [
        { qr: door.qr(people.offline), gate: 'Ost', scannedAt: minutesAgo(3), nonce: 'x:2' },
        { qr: door.qr(people.offline), gate: 'West', scannedAt: minutesAgo(5), nonce: 'x:1' },
        { qr: door.qr(people.late), gate: 'West', scannedAt: minutesAgo(4), nonce: 'x:3' },
      ])
    ).json<{ result: string; flagged?: string }[]>();
    expect(queue.map((answer) => answer.result)).toEqual([
      'already_admitted',
      'admitted',
      'admitted',
    ]);
    expect(queue[0].flagged).toBe('duplicate');
  }

  it('gives counts that agree with attendance.csv, the session lists and checkins.csv', async () => {
    await burst();
    const attendance = (await get('/attendance')).json<{
      registered: number;
      checkedIn: number;
      onSite: number;
      byCategory: Record<string, { registered: number; checkedIn: number }>;
      byGate: Record<string, number>;
      sessions: { code: string; present: number }[];
    }>();
    const rows = await csv('/exports/attendance.csv');
    expect(rows).toHaveLength(7); // every attendee, cancelled ones too
    const admitted = rows.filter((r) => r['Checked in'] === 'yes');
    expect(attendance.checkedIn).toBe(admitted.length);
    expect(attendance.checkedIn).toBe(5);
    expect(attendance.onSite).toBe(rows.filter((r) => r['On site now'] === 'yes').length);
    expect(attendance.onSite).toBe(4);
    expect(attendance.registered).toBe(rows.filter((r) => r.Status === 'registered').length);
    const byCategory: Record<string, { registered: number; checkedIn: number }> = {};
    for (const r of rows) {
      byCategory[r.Category] ??= { registered: 0, checkedIn: 0 };
      if (r.Status === 'registered') byCategory[r.Category].registered += 1;
      if (r['Checked in'] === 'yes') byCategory[r.Category].checkedIn += 1;
    }
    expect(attendance.byCategory).toEqual(byCategory);
    const byGate: Record<string, number> = {};
    for (const r of admitted) byGate[r['First gate']] = (byGate[r['First gate']] ?? 0) + 1;
    expect(attendance.byGate).toEqual(byGate);
    expect(byGate).toEqual({ Nord: 2, Süd: 1, West: 2 });

    for (const session of attendance.sessions) {
      const list = await csv(`/sessions/${session.code}/attendance.csv`);
      expect(session.present).toBe(list.filter((r) => r['Inside now'] === 'yes').length);
    }
    expect(attendance.sessions.map((s) => [s.code, s.present])).toEqual([
      ['T02', 1],
      ['W01', 1],
    ]);

    const log = await csv('/exports/checkins.csv');
    const [{ n }] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM checkin.scans WHERE event_id = $1`,
      [door.eventId],
    );
    expect(log).toHaveLength(n);
    expect(log).toHaveLength(18);
    expect(log.filter((r) => r.Flag === 'duplicate')).toHaveLength(1);
  });

  it('writes one row per attendee with every column, for Excel', async () => {
    const response = await get('/exports/attendance.csv');
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${door.slug}-attendance.csv"`,
    );
    const text = response.body;
    expect(text.startsWith('\ufeffAttendee ID,External ID,Title,First name,Last name,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // CRLF only
    // No cell starts with a formula character: each was neutralised with an apostrophe.
    for (const row of records(text)) {
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    const byId = new Map(records(text).map((r) => [r['Attendee ID'], r]));
    expect(byId.get(people.formula)).toEqual({
      'Attendee ID': people.formula,
      'External ID': 'EXT-0001',
      Title: '',
      'First name': `'=HYPERLINK("http://evil.example","Klick")`,
      'Last name': 'Adler',
      Organisation: "'+49 Amt",
      Category: 'speaker',
      Status: 'registered',
      'Checked in': 'yes',
      'First admitted at (UTC)': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      'First gate': 'Nord',
      'On site now': 'yes',
      'Last scan at (UTC)': expect.stringMatching(/Z$/),
      'Sessions attended': 'W01',
    });
    expect(byId.get(people.at)).toMatchObject({
      'First name': "'@Bob",
      'Last name': "'-Minus",
      Organisation: 'Stadt "Jena", Amt 3',
      'First gate': 'Süd',
      'On site now': 'yes',
      'Sessions attended': 'T02',
    });
    expect(byId.get(people.jorg)).toMatchObject({ Title: 'Dr.', 'On site now': 'no' });
    expect(byId.get(people.never)).toMatchObject({
      'Checked in': 'no',
      'First admitted at (UTC)': '',
      'Last scan at (UTC)': '',
      'Sessions attended': '',
    });
    expect(byId.get(people.cancelled)).toMatchObject({ Status: 'cancelled', 'Checked in': 'no' });
    // The offline device's earliest scan is the first admission, at its gate.
    const offline = byId.get(people.offline);
    expect(offline).toMatchObject({ 'First gate': 'West' });
    expect(offline?.['Last scan at (UTC)']).not.toBe(offline?.['First admitted at (UTC)']);
    // In last-name order, whatever the case and accents.
    const names = records(text).map((r) => r['Last name']);
    expect(names.indexOf("'-Minus")).toBeLessThan(names.indexOf('Adler'));
  });

  it('lists the check-in log oldest first, with names', async () => {
    const response = await get('/exports/checkins.csv');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${door.slug}-checkins.csv"`,
    );
    const log = records(response.body);
    expect(Object.keys(log[0])).toEqual([
      'Time (UTC)',
      'Scanned at (UTC)',
      'Gate',
      'List',
      'Device',
      'Direction',
      'Result',
      'Flag',
      'Message',
      'Attendee ID',
      'Attendee name',
    ]);
    // In the order the log recorded them (GET …/checkins, which is newest first, reversed).
    const api = (await get('/checkins?limit=1000')).json<{
      items: { at: string; gate: string; result: string; attendee: { id: string } | null }[];
    }>();
    expect(log.map((r) => [r['Time (UTC)'], r.Gate, r.Result, r['Attendee ID']])).toEqual(
      api.items.reverse().map((i) => [i.at, i.gate, i.result, i.attendee?.id ?? '']),
    );
    const invalid = log.find((r) => r.Result === 'invalid');
    expect(invalid).toMatchObject({ 'Attendee ID': '', 'Attendee name': '', Gate: 'Nord' });
    const exit = log.find((r) => r.Direction === 'out' && r['Attendee ID'] === people.at);
    expect(exit).toMatchObject({ Result: 'left', List: 'main', 'Attendee name': "'@Bob -Minus" });
    const duplicate = log.find((r) => r.Flag === 'duplicate');
    expect(duplicate).toMatchObject({ 'Attendee ID': people.offline, Gate: 'Ost' });
    expect(duplicate?.['Scanned at (UTC)']).toMatch(/Z$/);
  });

  it("lists a session's admissions, with who is inside now", async () => {
    const response = await get('/sessions/W01/attendance.csv');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${door.slug}-W01-attendance.csv"`,
    );
    expect(records(response.body)).toEqual([
      {
        'Attendee ID': people.formula,
        Name: `'=HYPERLINK("http://evil.example","Klick") Adler`,
        Organisation: "'+49 Amt",
        Category: 'speaker',
        'First admitted at (UTC)': expect.stringMatching(/Z$/),
        Gate: 'W',
        'Inside now': 'yes',
      },
      {
        'Attendee ID': people.jorg,
        Name: 'Dr. Jörg Müller',
        Organisation: 'Stadt Jena',
        Category: 'attendee',
        'First admitted at (UTC)': expect.stringMatching(/Z$/),
        Gate: 'W',
        'Inside now': 'no',
      },
    ]);
  });

  it('separates with semicolons for German Excel when asked', async () => {
    const comma = await get('/exports/attendance.csv');
    const semicolon = await get('/exports/attendance.csv?delimiter=semicolon');
    expect(semicolon.statusCode).toBe(200);
    expect(semicolon.body.split('\r\n')[0]).toBe(
      '\ufeffAttendee ID;External ID;Title;First name;Last name;Organisation;Category;Status;' +
        'Checked in;First admitted at (UTC);First gate;On site now;Last scan at (UTC);Sessions attended',
    );
    expect(records(semicolon.body, ';')).toEqual(records(comma.body));
    expect((await get('/exports/checkins.csv?delimiter=comma')).statusCode).toBe(200);
    expect((await get('/sessions/T02/attendance.csv?delimiter=semicolon')).statusCode).toBe(200);
  });

  it('streams more rows than one batch, each once, in order', async () => {
    // A second event with more attendees and scans than a batch holds; half share one name, so
    // the order falls back to the id.
    const bulk = await new DoorFixture(db).create();
    const count = EXPORT_BATCH * 2 + 37;
    await db.query(
      `INSERT INTO checkin.attendees (id, event_id, first_name, last_name, category, status, revision)
       SELECT gen_random_uuid(), $1, 'Anna', CASE WHEN i % 2 = 0 THEN 'Schmidt' ELSE 'Name ' || i END,
              'attendee', 'registered', 1
         FROM generate_series(1, $2) AS i`,
      [bulk.eventId, count],
    );
    await db.query(
      `INSERT INTO checkin.scans (event_id, gate, list, direction, device, result, message, answer)
       SELECT $1, 'Nord', 'main', 'in', 'bulk', 'invalid', 'Scan ' || i, '{}'::jsonb
         FROM generate_series(1, $2) AS i`,
      [bulk.eventId, count],
    );
    const rows = records((await get('/exports/attendance.csv', organiser, bulk.slug)).body);
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((r) => r['Attendee ID'])).size).toBe(count);
    const schmidts = rows.filter((r) => r['Last name'] === 'Schmidt').map((r) => r['Attendee ID']);
    expect(schmidts).toEqual([...schmidts].sort());
    const log = records((await get('/exports/checkins.csv', organiser, bulk.slug)).body);
    expect(log.map((r) => r.Message)).toEqual(
      Array.from({ length: count }, (_, i) => `Scan ${i + 1}`),
    );
  });

  it('holds one snapshot while a download is under way, and lets it go when the client leaves', async () => {
    // Larger than what the sockets between client and server buffer, so the server must wait.
    const big = await new DoorFixture(db).create();
    await db.query(
      `INSERT INTO checkin.scans (event_id, gate, list, direction, device, result, message, answer)
       SELECT $1, 'Nord', 'main', 'in', 'bulk', 'invalid', repeat('x', 300), '{}'::jsonb
         FROM generate_series(1, 60000)`,
      [big.eventId],
    );
    const openSnapshots = async () =>
      (
        await db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'idle in transaction'
              AND query LIKE '%FROM scans s LEFT JOIN attendees a%'`,
        )
      )[0].n;
    await app.listen(0, '127.0.0.1');
    const url = `${await app.getUrl()}/api/events/${big.slug}/exports/checkins.csv`;
    const request = http.get(url, { headers: organiser });
    const response = await new Promise<http.IncomingMessage>((resolve) =>
      request.once('response', resolve),
    );
    expect(response.statusCode).toBe(200);
    await new Promise((resolve) => response.once('data', resolve));
    response.pause(); // a client that stops reading
    await waitFor('the export to hold its snapshot', async () => (await openSnapshots()) === 1, {
      timeoutMs: 5000,
    });
    request.destroy(); // and then goes away
    await waitFor('the snapshot to be let go', async () => (await openSnapshots()) === 0, {
      timeoutMs: 5000,
    });
  });

  it('gives every connection back: more exports in a row than the pool has connections', async () => {
    for (let i = 0; i < 25; i += 1) {
      expect((await get('/exports/checkins.csv')).statusCode).toBe(200);
    }
  });

  it.each([
    ['/exports/attendance.csv?delimiter=tab', 400, /delimiter/],
    ['/exports/checkins.csv?delimiter=', 400, /delimiter/],
    ['/sessions/W01/attendance.csv?delimiter=pipe', 400, /delimiter/],
    ['/exports/attendance.csv?sep=%3B', 400, /sep/],
    ['/sessions/W99/attendance.csv', 404, /W99/],
    ['/sessions/%3Dcmd/attendance.csv', 404, /=cmd/],
  ])('answers GET %s with %i', async (path, status, message) => {
    const response = await get(path);
    expect(response.statusCode).toBe(status);
    expect(JSON.stringify(response.json())).toMatch(message);
  });

  it('is for organisers only: door tokens 403, no token 401, an unknown event 404', async () => {
    const doorToken = bearer(await door.token('door'));
    for (const path of [
      '/exports/attendance.csv',
      '/exports/checkins.csv',
      '/sessions/W01/attendance.csv',
    ]) {
      expect((await get(path, doorToken)).statusCode).toBe(403);
      expect((await get(path, {})).statusCode).toBe(401);
      expect((await get(path, organiser, `no-such-${randomUUID()}`)).statusCode).toBe(404);
    }
  });
});
