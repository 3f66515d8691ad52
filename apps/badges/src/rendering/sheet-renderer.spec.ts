import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import type { Category } from '@einlass/contracts';
import { inParallel } from '@einlass/testing';
import type { BadgeContent } from './badge-design';
import { SHEET_LAYOUTS, type SheetLayout } from './sheet-layouts';
import { SheetRenderer } from './sheet-renderer';

jest.setTimeout(180_000);

const run = promisify(execFile);
const MM = 72 / 25.4;

function base32Token(seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  for (let round = 0; out.length < 165; round++) {
    for (const byte of createHash('sha256').update(`${seed}:${round}`).digest())
      out += alphabet[byte % 32];
  }
  return out.slice(0, 165);
}

/** The sample congress, each attendee with a token of their own. */
function sampleBadges(): BadgeContent[] {
  const rows = parse<Record<string, string>>(
    readFileSync(join(__dirname, '../../../../data/sample/attendees.csv')),
    { columns: true },
  );
  return rows.map((row, i) => {
    const qrText = base32Token(`sample-${i}`);
    return {
      eventName: 'Thüringer eGovernment-Kongress 2023',
      eventDate: '24. Oktober 2023',
      title: row.title || null,
      firstName: row.first_name,
      lastName: row.last_name,
      organisation: row.organisation || null,
      category: row.category as Category,
      qrText,
      shortCode: `${qrText.slice(0, 4)}-${qrText.slice(4, 8)}`,
    };
  });
}

interface Word {
  page: number;
  text: string;
  x: number;
  y: number;
}

/** Every word of every page with its centre in points (pdftotext -bbox). */
function wordsOf(path: string): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', path, '-'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const words: Word[] = [];
  let page = 0;
  for (const m of html.matchAll(
    /<page |<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g,
  )) {
    if (m[0] === '<page ') {
      page++;
      continue;
    }
    words.push({
      page,
      x: (+m[1] + +m[3]) / 2,
      y: (+m[2] + +m[4]) / 2,
      text: m[5]
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;|&apos;/g, "'")
        .replace(/&amp;/g, '&'),
    });
  }
  return words;
}

describe('SheetRenderer', () => {
  const renderer = new SheetRenderer();
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sheet-renderer-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function renderToFile(layout: SheetLayout, badges: BadgeContent[], name: string) {
    const path = join(dir, `${name}.pdf`);
    const out = createWriteStream(path);
    const progress: number[] = [];
    const count = await renderer.render(layout, badges, out, {
      progressEvery: 40,
      onProgress: (done) => void progress.push(done),
    });
    out.end();
    await finished(out);
    return { path, count, progress };
  }

  /**
   * Checks every badge on every page: the QR code in its place decodes to its own token, and the
   * words in its place include its first and last name exactly as registered.
   */
  async function checkEveryBadge(layout: SheetLayout, badges: BadgeContent[], path: string) {
    const perPage = layout.slots.length;
    const dpi = 150;
    const px = (mm: number) => Math.round((mm * dpi) / 25.4);
    const decoded = new Map<string, string>(); // "page/slot" -> text
    await inParallel(
      layout.slots.map((slot, index) => ({ slot, index })),
      4,
      async ({ slot, index }) => {
        const prefix = join(dir, `${layout.name}-slot${index}`);
        await run('pdftoppm', [
          ...['-r', String(dpi), '-gray', '-png'],
          ...['-x', String(px(slot.xMm)), '-y', String(px(slot.yMm))],
          ...['-W', String(px(105)), '-H', String(px(148))],
          path,
          prefix,
        ]);
        const images = readdirSync(dir).filter((f) => f.startsWith(`${layout.name}-slot${index}-`));
        await inParallel(images, 4, async (image) => {
          const page = Number(/-(\d+)\.png$/.exec(image)![1]);
          const { stdout } = await run('zbarimg', [
            ...['--quiet', '--raw', '-Sqrcode.enable'],
            join(dir, image),
          ]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
          decoded.set(`${page}/${index}`, stdout.trim());
        });
      },
    );
    const words = wordsOf(path);
    const wordsIn = (page: number, slot: number) => {
      const { xMm, yMm } = layout.slots[slot];
      return words
        .filter(
          (w) =>
            w.page === page &&
            w.x >= xMm * MM &&
            w.x <= (xMm + 105) * MM &&
            w.y >= yMm * MM &&
            w.y <= (yMm + 148) * MM,
        )
        .map((w) => w.text.normalize('NFC'));
    };
    const wrong: string[] = [];
    badges.forEach((badge, i) => {
      const page = Math.floor(i / perPage) + 1;
      const slot = i % perPage;
      if (decoded.get(`${page}/${slot}`) !== badge.qrText) {
        wrong.push(`page ${page} slot ${slot}: QR decodes to ${decoded.get(`${page}/${slot}`)}`);
      }
      const printed = wordsIn(page, slot);
      for (const word of `${badge.firstName} ${badge.lastName}`.normalize('NFC').split(' ')) {
        if (!printed.includes(word)) {
          wrong.push(`page ${page} slot ${slot}: "${word}" not in ${printed.join(' ')}`);
        }
      }
    });
    expect(wrong).toEqual([]);
  }

  it('prints the sample congress on a4-4up: every QR code and every name in its place', async () => {
    const badges = sampleBadges();
    const layout = SHEET_LAYOUTS['a4-4up'];
    const { path, count, progress } = await renderToFile(layout, badges, 'congress-4up');
    expect(count).toBe(badges.length);
    expect(progress.at(-1)).toBe(badges.length);
    expect(progress.slice(0, 3)).toEqual([40, 80, 120]);
    const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
    expect(info).toMatch(new RegExp(`^Pages:\\s+${Math.ceil(badges.length / 4)}$`, 'm'));
    expect(info).toMatch(/^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/m);
    await checkEveryBadge(layout, badges, path);
  });

  it.each(['a6', 'a4-2up'] as const)(
    'prints %s sheets with every QR code and name in its place',
    async (name) => {
      const layout = SHEET_LAYOUTS[name];
      const badges = sampleBadges().slice(270, 293); // the Greek names are among them; odd count
      const { path, count } = await renderToFile(layout, badges, `sample-${name}`);
      expect(count).toBe(badges.length);
      const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
      expect(info).toMatch(
        new RegExp(`^Pages:\\s+${Math.ceil(badges.length / layout.slots.length)}$`, 'm'),
      );
      await checkEveryBadge(layout, badges, path);
    },
  );

  it('prints a4-2up on landscape A4 with the badges centred and margins all round', () => {
    const { pageMm, slots } = SHEET_LAYOUTS['a4-2up'];
    expect(pageMm).toEqual({ width: 297, height: 210 });
    const left = slots[0].xMm;
    const right = pageMm.width - (slots[1].xMm + 105);
    expect(left).toBeCloseTo(right, 6);
    expect(slots[0].yMm).toBeCloseTo(pageMm.height - 148 - slots[0].yMm, 6);
    expect(Math.min(left, slots[0].yMm)).toBeGreaterThan(10);
  });

  it('puts every crop mark on the page and on a cut line', () => {
    for (const layout of Object.values(SHEET_LAYOUTS)) {
      const cutsX = new Set(layout.slots.flatMap((s) => [s.xMm, s.xMm + 105]));
      const cutsY = new Set(layout.slots.flatMap((s) => [s.yMm, s.yMm + 148]));
      for (const mark of layout.cropMarks) {
        for (const [v, size] of [
          [mark.x1Mm, layout.pageMm.width],
          [mark.x2Mm, layout.pageMm.width],
          [mark.y1Mm, layout.pageMm.height],
          [mark.y2Mm, layout.pageMm.height],
        ]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(size);
        }
        const vertical = mark.x1Mm === mark.x2Mm;
        expect(vertical ? cutsX.has(mark.x1Mm) : cutsY.has(mark.y1Mm)).toBe(true);
      }
    }
    expect(SHEET_LAYOUTS['a4-4up'].cropMarks).toHaveLength(4);
    expect(SHEET_LAYOUTS['a4-2up'].cropMarks).toHaveLength(10);
  });

  it('draws two documents at once, interleaved, and both read back exactly', async () => {
    const greek = sampleBadges().filter((b) => /[α-ω]/.test(b.firstName));
    const latin = sampleBadges().slice(0, 12);
    const [a, b] = await Promise.all([
      renderToFile(SHEET_LAYOUTS.a6, [...latin, ...greek], 'together-a'),
      renderToFile(SHEET_LAYOUTS.a6, [...greek, ...latin], 'together-b'),
    ]);
    for (const path of [a.path, b.path]) {
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
      for (const badge of [...latin, ...greek]) {
        expect(text.normalize('NFC')).toContain(badge.lastName.normalize('NFC'));
      }
      expect(text).toContain('Teilnehmende · Attendee');
    }
  });
});
