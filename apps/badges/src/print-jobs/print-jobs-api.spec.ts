import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { AttendeeSnapshot, Category } from '@einlass/contracts';
import {
  bearer,
  decodeQrCodesInPdf,
  eventSnapshot,
  pdfText,
  startInProcess,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { BadgesModule } from '../badges.module';
import { SyncBadge } from '../issuing/sync-badge.command';
import { PrintJobRecovery } from './print-job-recovery';
import { PrintJobRunner } from './print-job-runner';
import type { PrintJobView } from './print-jobs.service';

jest.setTimeout(120_000);

/** Print jobs on the real database and queue: selection, sorting, the file, and every bad input. */
describe('print jobs API', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  const slug = uniqueSlug('print');
  const emptySlug = uniqueSlug('print-empty');
  const event = eventSnapshot(slug);
  const emptyEvent = { ...event, id: randomUUID(), slug: emptySlug };
  const people: [string, string, string | null, Category, string[]][] = [
    ['Σοφία', 'Παπαδοπούλου', 'Hochschule Schmalkalden', 'attendee', ['W01']],
    ['Björn', 'Sauer', 'Stadtverwaltung Nordhausen', 'speaker', []],
    ['Jürgen', 'Öztürk', 'Landratsamt Gotha', 'attendee', ['W02']],
    ['Anna', 'Ärmel', null, 'press', []],
    ['Nguyễn Thị', 'Hương', 'ITZBund', 'attendee', ['W01', 'W02']],
    ['Łukasz', 'Żółkiewski', 'Thüringer Finanzministerium', 'exhibitor', []],
    ['Maria', 'Strauß', 'TLRZ', 'staff', []],
    ['Peter', 'Abel', 'Stadt Erfurt', 'speaker', ['W01']],
    ['Анна', 'Кузнецова', 'АО Тест', 'attendee', []],
  ];
  const attendees: AttendeeSnapshot[] = people.map(
    ([firstName, lastName, organisation, category, sessions]) => ({
      id: randomUUID(),
      eventId: event.id,
      externalId: null,
      title: null,
      firstName,
      lastName,
      organisation,
      category,
      sessions,
      waitlist: [],
      status: 'registered',
      revision: 1,
    }),
  );
  const headers = bearer(TEST_ORGANISER_TOKEN);
  const get = (url: string) => app.inject({ method: 'GET', url, headers });
  const post = (url: string, payload: object) =>
    app.inject({ method: 'POST', url, headers, payload });
  const tokenOf = async (id: string) =>
    (await get(`/api/events/${slug}/attendees/${id}/badge`)).json<{ qr: string }>().qr;

  async function printed(body: object): Promise<{ view: PrintJobView; pdf: Buffer }> {
    const created = await post(`/api/events/${slug}/print-jobs`, body);
    expect(created.statusCode).toBe(202);
    const { id } = created.json<{ id: string }>();
    const view = await waitFor(
      'the print job to finish',
      async () => {
        const job = (await get(`/api/print-jobs/${id}`)).json<PrintJobView>();
        return job.status === 'done' || job.status === 'failed' ? job : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(view).toMatchObject({ id, status: 'done' });
    const file = await get(`/api/print-jobs/${id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    return { view, pdf: file.rawPayload };
  }

  beforeAll(async () => {
    app = await startInProcess(BadgesModule);
    db = app.get(DataSource);
    await db.transaction(async (manager) => {
      for (const attendee of attendees) {
        await app.get(CommandBus).execute(new SyncBadge(manager, event, attendee));
      }
      await app.get(CommandBus).execute(
        new SyncBadge(manager, emptyEvent, {
          ...attendees[0],
          id: randomUUID(),
          eventId: emptyEvent.id,
          status: 'cancelled',
        }),
      );
    });
  });

  afterAll(() => app.close());

  it('prints every issued badge on a4-4up, sorted by last name in German order, and marks them printed', async () => {
    const { view, pdf } = await printed({ sort: 'lastName', layout: 'a4-4up' });
    expect(view).toMatchObject({ done: attendees.length, total: attendees.length, filter: {} });
    const info = execFileSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' });
    expect(info).toMatch(/^Pages:\s+3$/m);
    expect(info).toMatch(/A4/);

    const tokens = await Promise.all(attendees.map((a) => tokenOf(a.id)));
    expect((await decodeQrCodesInPdf(pdf)).sort()).toEqual([...tokens].sort());
    const text = (await pdfText(pdf)).normalize('NFC');
    for (const a of attendees) {
      expect(text).toContain(a.firstName.normalize('NFC'));
      expect(text).toContain(a.lastName.normalize('NFC'));
    }
    // Page 1 holds the first four in German order (Latin before Greek and Cyrillic; Ä with A,
    // Ö with O): Abel, Ärmel, Hương, Öztürk.
    const firstPage = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-', '-'], {
      input: pdf,
      encoding: 'utf8',
    }).normalize('NFC');
    for (const name of ['Abel', 'Ärmel', 'Hương', 'Öztürk']) expect(firstPage).toContain(name);

    const [{ count }] = await db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM badges.badges WHERE event_id = $1 AND printed_at IS NOT NULL`,
      [event.id],
    );
    expect(count).toBe(attendees.length);
  });

  it('answers 400 when only unprinted badges are asked for and all are printed', async () => {
    const response = await post(`/api/events/${slug}/print-jobs`, {
      filter: { onlyUnprinted: true },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/Nothing to print/);
  });

  it('selects by category, workshop and id, one badge per page on a6', async () => {
    const bySession = await printed({ filter: { sessions: ['W01'] }, layout: 'a6' });
    expect(bySession.view).toMatchObject({ total: 3, filter: { sessions: ['W01'] } });
    const tokens = await Promise.all(
      attendees.filter((a) => a.sessions.includes('W01')).map((a) => tokenOf(a.id)),
    );
    expect((await decodeQrCodesInPdf(bySession.pdf)).sort()).toEqual(tokens.sort());

    const byCategory = await printed({ filter: { categories: ['speaker', 'press'] } });
    expect(byCategory.view).toMatchObject({
      total: 3,
      filter: { categories: ['speaker', 'press'] },
    });

    const byId = await printed({ filter: { ids: [attendees[0].id] }, layout: 'a4-2up' });
    expect(byId.view.total).toBe(1);
    expect(await decodeQrCodesInPdf(byId.pdf)).toEqual([await tokenOf(attendees[0].id)]);
  });

  it('sorts by category and by organisation', async () => {
    const { pdf } = await printed({ sort: 'category', layout: 'a6' });
    const pages = (await pdfText(pdf)).split('\f');
    expect(pages[0]).toContain('Teilnehmende');
    expect(pages[attendees.length - 1]).toContain('Ausstellende');
  });

  it.each([
    ['an unknown layout', { layout: 'a3-8up' }, /layout must be one of a6, a4-4up, a4-2up/],
    [
      'an unknown sort',
      { sort: 'firstName' },
      /sort must be one of lastName, organisation, category/,
    ],
    ['an unknown category', { filter: { categories: ['vip'] } }, /categories must each be one of/],
    ['an id that is not an id', { filter: { ids: ['1 OR 1=1'] } }, /ids/],
    ['an unknown field', { colour: 'red' }, /colour/],
    ['a filter that is not an object', { filter: 'all' }, /filter/],
  ])('answers %s with 400, naming it', async (_, body, message) => {
    const response = await post(`/api/events/${slug}/print-jobs`, body);
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json().message)).toMatch(message);
  });

  it('answers 400 for an event with no badges to print, not an empty PDF', async () => {
    const response = await post(`/api/events/${emptySlug}/print-jobs`, {});
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      statusCode: 400,
      message: 'Nothing to print: this event has no issued badges yet',
    });
  });

  it('answers 400 for a filter that selects nothing', async () => {
    const response = await post(`/api/events/${slug}/print-jobs`, {
      filter: { sessions: ['W99'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/no issued badge of this event matches the filter/);
  });

  it('answers 404 for an unknown event or print job', async () => {
    expect((await post(`/api/events/no-such-event/print-jobs`, {})).statusCode).toBe(404);
    expect((await get(`/api/print-jobs/${randomUUID()}`)).statusCode).toBe(404);
    expect((await get(`/api/print-jobs/${randomUUID()}/file`)).statusCode).toBe(404);
    expect((await get(`/api/print-jobs/not-an-id/file`)).statusCode).toBe(404);
  });

  it.each(['queued', 'running'])('answers 409 for the file of a %s job', async (status) => {
    const id = randomUUID();
    await db.query(
      `INSERT INTO badges.print_jobs (id, event_id, filter, sort, layout, status, done, total)
       VALUES ($1, $2, '{}', 'lastName', 'a4-4up', $3, 4, 9)`,
      [id, event.id, status],
    );
    const response = await get(`/api/print-jobs/${id}/file`);
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toBe(
      `The print job is ${status} (4 of 9 badges); the file is there once it is done`,
    );
  });

  it("lists an event's print jobs newest first, each as GET /api/print-jobs/:id shows it", async () => {
    const [{ count }] = await db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM badges.print_jobs WHERE event_id = $1`,
      [event.id],
    );
    expect(count).toBeGreaterThan(3);
    const response = await get(`/api/events/${slug}/print-jobs`);
    expect(response.statusCode).toBe(200);
    const jobs = response.json<PrintJobView[]>();
    expect(jobs).toHaveLength(count);
    const created = jobs.map((job) => job.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    for (const job of jobs) {
      expect(job).toEqual((await get(`/api/print-jobs/${job.id}`)).json());
    }
    expect(jobs.filter((job) => job.status === 'done').map((job) => job.layout)).toEqual(
      expect.arrayContaining(['a4-4up', 'a6', 'a4-2up']),
    );

    const newest = await get(`/api/events/${slug}/print-jobs?limit=2`);
    expect(newest.json()).toEqual(jobs.slice(0, 2));
    // another event's jobs stay out; an event without jobs has an empty list
    expect((await get(`/api/events/${emptySlug}/print-jobs`)).json()).toEqual([]);
  });

  it.each([
    ['limit=0', /limit must not be less than 1/],
    ['limit=201', /limit must not be greater than 200/],
    ['limit=many', /limit/],
    ['status=done', /status should not exist/],
  ])('answers a print-job list asked with %s with 400, naming it', async (query, message) => {
    const response = await get(`/api/events/${slug}/print-jobs?${query}`);
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json().message)).toMatch(message);
  });

  it('answers 404 for the print jobs of an unknown event, 401 without a token', async () => {
    expect((await get(`/api/events/no-such-event/print-jobs`)).statusCode).toBe(404);
    const anonymous = await app.inject({ method: 'GET', url: `/api/events/${slug}/print-jobs` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('starts over after a run was killed: the file has every badge exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'print-restart-'));
    try {
      const id = randomUUID();
      await db.query(
        `INSERT INTO badges.print_jobs (id, event_id, filter, sort, layout, status, done, total)
         VALUES ($1, $2, '{}', 'lastName', 'a6', 'running', 4, 9)`,
        [id, event.id],
      );
      // What a killed run leaves behind: half a file under a temporary name.
      writeFileSync(join(dir, `${id}.${randomUUID()}.part`), '%PDF-1.3\n% half a file');
      const runner = app.get(PrintJobRunner);
      await runner.run(id, dir);
      await runner.run(id, dir); // the retry of a run killed after it finished: nothing happens
      expect(readdirSync(dir)).toEqual([`${id}.pdf`]);
      const pdf = readFileSync(join(dir, `${id}.pdf`));
      const decoded = await decodeQrCodesInPdf(pdf);
      expect(decoded).toHaveLength(attendees.length);
      expect(new Set(decoded).size).toBe(attendees.length);
      const job = (await get(`/api/print-jobs/${id}`)).json<PrintJobView>();
      expect(job).toMatchObject({
        status: 'done',
        done: attendees.length,
        total: attendees.length,
      });
      expect(existsSync(join(dir, `${id}.pdf`))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('queues a job that was recorded but never reached the queue, and only once', async () => {
    // What a process killed between the row's commit and the queue call leaves: a queued row.
    const id = randomUUID();
    await db.query(
      `INSERT INTO badges.print_jobs (id, event_id, filter, sort, layout, status, done, total, created_at)
       VALUES ($1, $2, '{}', 'lastName', 'a6', 'queued', 0, 9, now() - interval '5 minutes')`,
      [id, event.id],
    );
    const recovery = app.get(PrintJobRecovery);
    expect(await recovery.sweep()).toContain(id);
    expect(await recovery.sweep()).not.toContain(id);
    const view = await waitFor(
      'the recovered print job to finish',
      async () => {
        const job = (await get(`/api/print-jobs/${id}`)).json<PrintJobView>();
        return job.status === 'done' ? job : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(view).toMatchObject({ done: attendees.length, total: attendees.length });
    const file = await get(`/api/print-jobs/${id}/file`);
    expect(file.statusCode).toBe(200);
    expect(await decodeQrCodesInPdf(file.rawPayload)).toHaveLength(attendees.length);
    // A job just created is left alone: it may still be on its way to the queue.
    const created = await post(`/api/events/${slug}/print-jobs`, { layout: 'a6' });
    expect(await recovery.sweep()).not.toContain(created.json<{ id: string }>().id);
  });
});
