import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommandBus } from '@nestjs/cqrs';
import { PNG } from 'pngjs';
import { DataSource } from 'typeorm';
import type { AttendeeSnapshot, Category } from '@einlass/contracts';
import {
  bearer,
  eventSnapshot,
  pdfText,
  startInProcess,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { BadgesModule } from '../badges.module';
import { configureBadgesApp } from '../configure-app';
import { SyncBadge } from '../issuing/sync-badge.command';
import type { BrandingView } from './branding.controller';

jest.setTimeout(120_000);

/** A small RGB logo: a blue bar with a red square, 3:1. */
function pngLogo(width = 120, height = 40): Buffer {
  const png = new PNG({ width, height, colorType: 2 });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const red = x < height;
      png.data[i] = red ? 0xc0 : 0x1d;
      png.data[i + 1] = red ? 0x20 : 0x5f;
      png.data[i + 2] = red ? 0x20 : 0xa8;
      png.data[i + 3] = 0xff;
    }
  }
  return PNG.sync.write(png, { colorType: 2 });
}

/** The image XObjects pdfimages lists: one row per image drawn, with its object number. */
function pdfImages(pdf: Buffer): { type: string; object: string }[] {
  const list = execFileSync('pdfimages', ['-list', '-'], { input: pdf, encoding: 'utf8' });
  return list
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => line.trim().split(/\s+/))
    .map((columns) => ({ type: columns[2], object: columns[10] }));
}

/** An event's badge branding on the real database: colours, labels, logo, and every bad input. */
describe('branding API', () => {
  let app: NestFastifyApplication;
  const slug = uniqueSlug('brand');
  const event = eventSnapshot(slug);
  const person = (firstName: string, lastName: string, category: Category): AttendeeSnapshot => ({
    id: randomUUID(),
    eventId: event.id,
    externalId: null,
    title: null,
    firstName,
    lastName,
    organisation: 'Stadtverwaltung Erfurt',
    category,
    sessions: [],
    waitlist: [],
    status: 'registered',
    revision: 1,
  });
  const speaker = person('Björn', 'Sauer', 'speaker');
  const others = [person('Anna', 'Ärmel', 'press'), person('Jürgen', 'Öztürk', 'attendee')];
  const headers = bearer(TEST_ORGANISER_TOKEN);
  const url = `/api/events/${slug}/branding`;
  const get = (path: string) => app.inject({ method: 'GET', url: path, headers });
  const put = (path: string, payload: object) =>
    app.inject({ method: 'PUT', url: path, headers, payload });
  const upload = (bytes: Buffer | string, type: string, path = `${url}/logo`) =>
    app.inject({
      method: 'PUT',
      url: path,
      headers: { ...headers, 'content-type': type },
      payload: bytes,
    });
  const badgePdf = async () => {
    const response = await get(`/api/events/${slug}/attendees/${speaker.id}/badge.pdf`);
    expect(response.statusCode).toBe(200);
    return response.rawPayload;
  };

  beforeAll(async () => {
    app = await startInProcess(BadgesModule, configureBadgesApp);
    const db = app.get(DataSource);
    await db.transaction(async (manager) => {
      for (const attendee of [speaker, ...others]) {
        await app.get(CommandBus).execute(new SyncBadge(manager, event, attendee));
      }
    });
  });

  afterAll(() => app.close());

  it('answers the defaults before anything is set', async () => {
    const response = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      categoryColours: {},
      labels: 'de-en',
      hasLogo: false,
      logoType: null,
      defaultColours: { attendee: expect.stringMatching(/^#[0-9a-f]{6}$/) },
    });
    const logo = await app.inject({ method: 'GET', url: `${url}/logo`, headers });
    expect(logo.statusCode).toBe(404);
  });

  it('stores the category colours and labels, and returns them', async () => {
    const response = await put(url, {
      categoryColours: { speaker: '#FF8800', press: '#00aa55' },
      labels: 'en',
    });
    expect(response.statusCode).toBe(200);
    const expected = {
      categoryColours: { speaker: '#ff8800', press: '#00aa55' },
      labels: 'en',
      hasLogo: false,
    };
    expect(response.json()).toMatchObject(expected);
    expect((await get(url)).json()).toMatchObject(expected);

    // A field left out stays as it is.
    const labelsOnly = await put(url, { labels: 'de-en' });
    expect(labelsOnly.json()).toMatchObject({ ...expected, labels: 'de-en' });
    await put(url, { labels: 'en' });
  });

  it('refuses a colour that is not #rrggbb, naming it', async () => {
    for (const colour of ['red', '#f80', '#ff880', 'ff8800', 12]) {
      const response = await put(url, { categoryColours: { speaker: colour } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(response.json<{ message: unknown }>().message)).toMatch(
        /categoryColours\.speaker/,
      );
    }
    expect((await put(url, { labels: 'fr' })).statusCode).toBe(400);
    expect((await get(url)).json()).toMatchObject({
      categoryColours: { speaker: '#ff8800' },
      labels: 'en',
    });
  });

  it('refuses an unknown category, naming it', async () => {
    const response = await put(url, { categoryColours: { vip: '#123456' } });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json<{ message: unknown }>().message)).toMatch(/vip/);
    expect((await put(url, { categoryColours: ['#123456'] })).statusCode).toBe(400);
  });

  it('answers 404 for an unknown event', async () => {
    const unknown = `/api/events/${uniqueSlug('nope')}/branding`;
    expect((await get(unknown)).statusCode).toBe(404);
    expect((await put(unknown, { labels: 'de' })).statusCode).toBe(404);
    const logo = await upload(pngLogo(), 'image/png', `${unknown}/logo`);
    expect(logo.statusCode).toBe(404);
    expect(logo.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(
      (await app.inject({ method: 'DELETE', url: `${unknown}/logo`, headers })).statusCode,
    ).toBe(404);
  });

  it('refuses a logo that is not an image of its type with 400', async () => {
    const png = pngLogo();
    const cases: [Buffer | string, string][] = [
      ['this is not an image', 'image/png'],
      [Buffer.from('GIF89a....'), 'image/png'],
      [png, 'image/jpeg'], // a PNG sent as JPEG
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg'], // JPEG magic, nothing after
      [png.subarray(0, png.length - 30), 'image/png'], // truncated
      [png.subarray(0, 8), 'image/png'], // the signature alone
      [Buffer.alloc(0), 'image/png'], // nothing
    ];
    for (const [bytes, type] of cases) {
      const response = await upload(bytes, type);
      expect({ type, status: response.statusCode }).toEqual({ type, status: 400 });
      expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    }
    expect((await get(url)).json()).toMatchObject({ hasLogo: false });
  });

  it('refuses a logo over 1 MB with 413', async () => {
    const big = Buffer.concat([pngLogo(), Buffer.alloc(1024 * 1024)]);
    const response = await upload(big, 'image/png');
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    expect(typeof response.json<{ message: unknown }>().message).toBe('string');
  });

  it('refuses another content type with 415', async () => {
    for (const [bytes, type] of [
      [Buffer.from('GIF89a'), 'image/gif'],
      ['a logo', 'text/plain'],
      [JSON.stringify({ logo: 'x' }), 'application/json'],
    ] as const) {
      const response = await upload(bytes, type);
      expect({ type, status: response.statusCode }).toEqual({ type, status: 415 });
      expect(response.json()).toMatchObject({ statusCode: 415 });
    }
  });

  it('prints the logo, the event colours and the English labels on badge.pdf', async () => {
    const uploaded = await upload(pngLogo(), 'image/png');
    expect(uploaded.statusCode).toBe(200);
    expect(uploaded.json<BrandingView>()).toMatchObject({
      hasLogo: true,
      logoType: 'image/png',
      labels: 'en',
    });
    expect(uploaded.json()).not.toHaveProperty('logo');

    const pdf = await badgePdf();
    expect(pdfImages(pdf)).toHaveLength(1);
    const text = await pdfText(pdf);
    expect(text).toContain('Speaker');
    expect(text).not.toContain('Referierende');
    expect(text).toContain('Sauer');

    // The band is drawn in the event's colour: sample the rendered page near the bottom.
    const ppm = execFileSync('pdftoppm', ['-r', '40', '-f', '1', '-l', '1', '-'], { input: pdf });
    const [, widthText, heightText] = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(
      ppm.toString('latin1', 0, 30),
    )!;
    const header = ppm.toString('latin1', 0, 30).match(/^P6\s+\d+\s+\d+\s+255\s/)![0].length;
    const [width, height] = [Number(widthText), Number(heightText)];
    const at = (x: number, y: number) => {
      const i = header + (y * width + x) * 3;
      return [ppm[i], ppm[i + 1], ppm[i + 2]];
    };
    expect(at(2, height - 3)).toEqual([0xff, 0x88, 0x00]);
  });

  it('prints German only when asked, and both by default', async () => {
    await put(url, { labels: 'de' });
    let text = await pdfText(await badgePdf());
    expect(text).toContain('Referierende');
    expect(text).not.toContain('Speaker');
    await put(url, { labels: 'de-en' });
    text = await pdfText(await badgePdf());
    expect(text).toContain('Referierende');
    expect(text).toContain('Speaker');
    await put(url, { labels: 'en' });
  });

  it('prints the logo once per print job, on every badge', async () => {
    const created = await app.inject({
      method: 'POST',
      url: `/api/events/${slug}/print-jobs`,
      headers,
      payload: { layout: 'a4-4up' },
    });
    expect(created.statusCode).toBe(202);
    const { id } = created.json<{ id: string }>();
    await waitFor(
      'the print job to finish',
      async () => {
        const job = (await get(`/api/print-jobs/${id}`)).json<{ status: string }>();
        return job.status === 'done' || job.status === 'failed' ? job : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    const pdf = (await get(`/api/print-jobs/${id}/file`)).rawPayload;
    const images = pdfImages(pdf);
    expect(images).toHaveLength(3);
    expect(new Set(images.map((image) => image.object)).size).toBe(1);
    const text = await pdfText(pdf);
    expect(text).toContain('Speaker');
    expect(text).toContain('Press');
    expect(text).not.toContain('Referierende');
  });

  it('takes a JPEG logo too', async () => {
    // A real JPEG: a badge rasterised small by pdftoppm (which wants the PDF as a file).
    const directory = mkdtempSync(join(tmpdir(), 'logo-'));
    let jpeg: Buffer;
    try {
      writeFileSync(join(directory, 'badge.pdf'), await badgePdf());
      execFileSync('pdftoppm', ['-jpeg', '-r', '20', '-singlefile', 'badge.pdf', 'logo'], {
        cwd: directory,
      });
      jpeg = readFileSync(join(directory, 'logo.jpg'));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    const uploaded = await upload(jpeg, 'image/jpeg');
    expect(uploaded.statusCode).toBe(200);
    expect(uploaded.json()).toMatchObject({ hasLogo: true, logoType: 'image/jpeg' });
    // The organisers' pages show the stored logo: the same bytes, as what they are.
    const stored = await app.inject({ method: 'GET', url: `${url}/logo`, headers });
    expect(stored.statusCode).toBe(200);
    expect(stored.headers['content-type']).toBe('image/jpeg');
    expect(stored.rawPayload.equals(jpeg)).toBe(true);
    const images = pdfImages(await badgePdf());
    expect(images).toHaveLength(1);
    expect(images[0].type).toBe('image');
  });

  it('removes the logo', async () => {
    const removed = await app.inject({ method: 'DELETE', url: `${url}/logo`, headers });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ hasLogo: false, logoType: null, labels: 'en' });
    expect(pdfImages(await badgePdf())).toHaveLength(0);
    const gone = await app.inject({ method: 'GET', url: `${url}/logo`, headers });
    expect(gone.statusCode).toBe(404);
  });
});
