import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CATEGORIES } from '@einlass/contracts';
import { decodeQrCodesInPdf } from '@einlass/testing';
import PDFDocument from 'pdfkit';
import { type BadgeContent, CATEGORY_STYLES } from './badge-design';
import { registerBadgeFonts } from './badge-fonts';
import { drawBadge } from './badge-layout';
import { BadgeRenderer } from './badge-renderer';

jest.setTimeout(30_000);

const MM = 72 / 25.4;

/** A 165-character base32 token, like a real signed badge text, the same on every run. */
function base32Token(length: number, seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const byte of createHash('sha256').update(`${seed}:${round}`).digest())
      out += alphabet[byte % 32];
  }
  return out.slice(0, length);
}

const QR_TEXT = base32Token(165, 'badge');

function content(overrides: Partial<BadgeContent> = {}): BadgeContent {
  return {
    eventName: 'Thüringer eGovernment-Kongress 2023',
    eventDate: '24. Oktober 2023',
    title: null,
    firstName: 'Björn',
    lastName: 'Sauer',
    organisation: 'Stadtverwaltung Nordhausen',
    category: 'attendee',
    qrText: QR_TEXT,
    shortCode: 'K7QX-2MPA',
    ...overrides,
  };
}

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

interface Page {
  width: number;
  height: number;
  words: Word[];
}

/** Every word pdftotext finds, with its box in points from the page's top left. */
function wordsOf(pdfPath: string): Page {
  const html = execFileSync('pdftotext', ['-bbox', pdfPath, '-'], { encoding: 'utf8' });
  const page = /<page width="([\d.]+)" height="([\d.]+)">/.exec(html);
  if (!page) throw new Error('pdftotext -bbox found no page');
  const words = [
    ...html.matchAll(
      /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g,
    ),
  ].map((m) => ({ xMin: +m[1], yMin: +m[2], xMax: +m[3], yMax: +m[4], text: unescapeHtml(m[5]) }));
  return { width: +page[1], height: +page[2], words };
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const squash = (text: string) => text.normalize('NFC').replace(/\s+/g, '');

describe('BadgeRenderer', () => {
  const renderer = new BadgeRenderer();
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'badge-renderer-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function renderToFile(badge: BadgeContent, name: string): Promise<string> {
    const path = join(dir, `${name}.pdf`);
    writeFileSync(path, await renderer.renderBadge(badge));
    return path;
  }

  it('renders one A6 portrait page', async () => {
    const path = await renderToFile(content(), 'a6');
    const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
    expect(info).toMatch(/^Pages:\s+1$/m);
    const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info);
    expect(Number(size?.[1])).toBeCloseTo(105 * MM, 1);
    expect(Number(size?.[2])).toBeCloseTo(148 * MM, 1);
  });

  it.each([
    ['Greek', 'Σοφία', 'Παπαδοπούλου'],
    ['Cyrillic', 'Анастасия', 'Кузнецова-Шереметьева'],
    ['Vietnamese', 'Nguyễn Thị', 'Hương'],
    ['Vietnamese, typed decomposed', 'Nguyễn Thị'.normalize('NFD'), 'Hương'.normalize('NFD')],
    ['Polish, Czech, Turkish', 'Łukasz Jiří', 'Żółkiewska-Dvořák Yılmaz'],
  ])('prints %s names exactly', async (script, firstName, lastName) => {
    const path = await renderToFile(
      content({ firstName, lastName, title: 'Dr.' }),
      `names-${script}`,
    );
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
    expect(squash(text)).toContain(squash(firstName));
    expect(squash(text)).toContain(squash(lastName));
    // The words themselves, not just their letters run together.
    for (const word of `${firstName} ${lastName}`.split(' '))
      expect(text.normalize('NFC')).toContain(word.normalize('NFC'));
  });

  it('reads back Latin text exactly after a badge in Cyrillic, which shares some glyphs with it', async () => {
    await renderToFile(
      content({ firstName: 'Анастасия', lastName: 'Кузнецова', organisation: 'АО Тест' }),
      'shared-cyrillic',
    );
    const path = await renderToFile(
      content({ firstName: 'Anna', lastName: 'Aalto', category: 'attendee' }),
      'shared-latin',
    );
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
    expect(text).toContain('Anna');
    expect(text).toContain('Aalto');
    expect(text).toContain('Teilnehmende · Attendee');
  });

  it('draws a QR code that decodes to exactly the QR text', async () => {
    const path = await renderToFile(content(), 'qr');
    expect(await decodeQrCodesInPdf(readFileSync(path))).toEqual([QR_TEXT]);
  });

  it('draws the QR code as vectors, without any image', async () => {
    const path = await renderToFile(content(), 'vectors');
    const images = execFileSync('pdfimages', ['-list', path], { encoding: 'utf8' });
    expect(images.trim().split('\n')).toHaveLength(2); // only the two header lines
  });

  it.each(CATEGORIES)('prints the %s category in German and English', async (category) => {
    const path = await renderToFile(content({ category }), `category-${category}`);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
    const { de, en } = CATEGORY_STYLES[category];
    expect(text).toContain(`${de} · ${en}`);
  });

  it('gives each category its own colour', () => {
    const colours = CATEGORIES.map((category) => CATEGORY_STYLES[category].colour);
    expect(new Set(colours).size).toBe(CATEGORIES.length);
  });

  describe('long names and organisations from the sample', () => {
    const rows = parse<Record<string, string>>(
      readFileSync(join(__dirname, '../../../../data/sample/attendees.csv')),
      {
        columns: true,
      },
    );
    const longest = (column: string) =>
      rows.map((row) => row[column]).reduce((a, b) => (b.length > a.length ? b : a));

    const cases: [string, Partial<BadgeContent>][] = [
      [
        'all the longest at once',
        {
          title: longest('title'),
          firstName: longest('first_name'),
          lastName: longest('last_name'),
          organisation: longest('organisation'),
          category: 'exhibitor',
          eventName:
            'Thüringer eGovernment-Kongress 2023 – Digitale Verwaltung gemeinsam gestalten',
        },
      ],
      [
        'one word longer than the badge',
        {
          firstName: 'Maximiliane-Charlotte-Friederike-Augusta',
          lastName:
            'Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft',
          organisation:
            'Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnungsbehörde',
        },
      ],
    ];

    it.each(cases)('stay inside the page: %s', async (name, overrides) => {
      const badge = content(overrides);
      const path = await renderToFile(badge, `long-${name.replace(/\W+/g, '-')}`);
      const page = wordsOf(path);
      expect(page.words.length).toBeGreaterThan(0);
      for (const word of page.words) {
        expect({
          word: word.text,
          inside:
            word.xMin >= 0 && word.yMin >= 0 && word.xMax <= page.width && word.yMax <= page.height,
        }).toEqual({ word: word.text, inside: true });
      }
      // Nothing dropped: every letter of every field is on the page, in order.
      const printed = squash(page.words.map((word) => word.text).join(''));
      for (const field of [
        badge.title ?? '',
        badge.firstName,
        badge.lastName,
        badge.organisation ?? '',
        badge.eventName,
      ]) {
        expect(printed).toContain(squash(field));
      }
    });

    it('prints every word of the longest organisation whole', async () => {
      const organisation = longest('organisation');
      const path = await renderToFile(content({ organisation }), 'long-organisation');
      const printed = wordsOf(path).words.map((word) => word.text);
      for (const word of organisation.split(' ')) expect(printed).toContain(word);
    });
  });

  it('draws badges at an offset, four to an A4 sheet', async () => {
    const doc = new PDFDocument({ size: 'A4', margin: 0 });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => doc.on('end', resolve));
    registerBadgeFonts(doc);
    const tokens = [0, 1, 2, 3].map((i) => base32Token(165, `sheet-${i}`));
    tokens.forEach((qrText, i) =>
      drawBadge(
        doc,
        content({ qrText, lastName: `Sauer${i}` }),
        (i % 2) * 105 * MM,
        Math.floor(i / 2) * 148 * MM,
      ),
    );
    doc.end();
    await ended;
    const path = join(dir, 'sheet.pdf');
    writeFileSync(path, Buffer.concat(chunks));

    expect((await decodeQrCodesInPdf(readFileSync(path))).sort()).toEqual([...tokens].sort());
    const page = wordsOf(path);
    expect(page.words.map((word) => word.text)).toEqual(
      expect.arrayContaining(['Sauer0', 'Sauer1', 'Sauer2', 'Sauer3']),
    );
  });

  it('gives the same bytes for the same badge', async () => {
    const [a, b] = await Promise.all([
      renderer.renderBadge(content()),
      renderer.renderBadge(content()),
    ]);
    expect(a.equals(b)).toBe(true);
  });
});
