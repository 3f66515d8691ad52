/**
 * Batch printing: renders BENCH_COUNT (10,000) badges in a4-4up through the SheetRenderer to a file
 * and reports badges per second and peak memory, next to a baseline from the same run: bare pdfkit
 * drawing the same pages (the same fonts, texts, colours and QR rectangles at fixed positions,
 * without any fitting or wrapping) to a file. Each runs in a child process of its own, so each
 * peak (VmHWM) is its own.  BENCH_COUNT=50000 shows that memory does not grow with the count.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import * as QRCode from 'qrcode';
import { CATEGORIES } from '@einlass/contracts';
import type { BadgeContent } from '../apps/badges/testing';
import { SHEET_LAYOUTS } from '../apps/badges/testing';
import { SheetRenderer } from '../apps/badges/testing';

const COUNT = Number(process.env.BENCH_COUNT ?? 10_000);
const MM = 72 / 25.4;
const FIRST = [
  'Björn',
  'Marie-Luise',
  'Σοφία',
  'Nguyễn Thị',
  'Łukasz',
  'Анастасия',
  'Ayşe',
  'Jiří',
];
const LAST = [
  'Sauer',
  'Hofmann',
  'Παπαδοπούλου',
  'Hương',
  'Żółkiewski',
  'Кузнецова',
  'Yılmaz',
  'Dvořák',
];
const ORGS = [
  'Stadtverwaltung Nordhausen',
  'Informationstechnikzentrum Bund (ITZBund)',
  null,
  'Thüringer Landesamt für Verbraucherschutz',
];

/** Synthetic badge i: a unique name and a unique 165-character token, made on the fly. */
function badge(i: number): BadgeContent {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let qrText = '';
  for (let round = 0; qrText.length < 165; round++) {
    for (const byte of createHash('sha256').update(`${i}:${round}`).digest())
      qrText += alphabet[byte % 32];
  }
  qrText = qrText.slice(0, 165);
  return {
    eventName: 'Thüringer eGovernment-Kongress 2023',
    eventDate: '24. Oktober 2023',
    title: i % 5 === 0 ? 'Dr.' : null,
    firstName: FIRST[i % FIRST.length],
    lastName: `${LAST[(i >> 3) % LAST.length]}-${i}`,
    organisation: ORGS[i % ORGS.length],
    category: CATEGORIES[i % CATEGORIES.length],
    qrText,
    shortCode: `${qrText.slice(0, 4)}-${qrText.slice(4, 8)}`,
  };
}

function* badges(): Generator<BadgeContent> {
  for (let i = 0; i < COUNT; i++) yield badge(i);
}

function peakMb(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

async function einlass(path: string): Promise<void> {
  const out = createWriteStream(path);
  await new SheetRenderer().render(SHEET_LAYOUTS['a4-4up'], badges(), out);
  out.end();
  await finished(out);
}

/** The same pages with bare pdfkit: the same fonts, text runs, band and QR modules, placed directly. */
async function baseline(path: string): Promise<void> {
  const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as {
    create(b: Buffer): unknown;
  };
  const font = (file: string) =>
    fontkit.create(readFileSync(require.resolve(`@expo-google-fonts/noto-sans/${file}`)));
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false });
  const out = createWriteStream(path);
  doc.pipe(out);
  doc.registerFont('R', font('400Regular/NotoSans_400Regular.ttf') as PDFKit.Mixins.PDFFontSource);
  doc.registerFont('B', font('700Bold/NotoSans_700Bold.ttf') as PDFKit.Mixins.PDFFontSource);
  const options = { lineBreak: false, baseline: 'alphabetic' } as const;
  const slots = SHEET_LAYOUTS['a4-4up'].slots;
  let i = 0;
  for (const b of badges()) {
    if (i % 4 === 0) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      doc.addPage();
    }
    const x = slots[i % 4].xMm * MM;
    const y = slots[i % 4].yMm * MM;
    const w = 105 * MM;
    doc.rect(x, y, w, 2.5 * MM).fill('#1d5fa8');
    doc
      .font('B')
      .fontSize(11)
      .fillColor('#111111')
      .text(b.eventName, x + 20, y + 30, options);
    doc
      .font('R')
      .fontSize(9)
      .text(b.eventDate, x + 20, y + 45, options);
    doc
      .font('B')
      .fontSize(36)
      .text(b.firstName, x + 20, y + 110, options);
    doc
      .font('B')
      .fontSize(24)
      .text(b.lastName, x + 20, y + 140, options);
    if (b.organisation)
      doc
        .font('R')
        .fontSize(11)
        .text(b.organisation, x + 20, y + 165, options);
    const { modules } = QRCode.create([{ data: b.qrText, mode: 'alphanumeric' }], {
      errorCorrectionLevel: 'M',
    });
    const m = (32 * MM) / modules.size;
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        if (!modules.data[row * modules.size + col]) continue;
        const start = col;
        while (col < modules.size && modules.data[row * modules.size + col]) col++;
        doc.rect(x + 100 + start * m, y + 200 + row * m, (col - start) * m, m);
      }
    }
    doc.fillColor('#000000').fill();
    doc
      .font('R')
      .fontSize(9)
      .text(b.shortCode, x + 120, y + 310, options);
    doc.rect(x, y + 133 * MM, w, 15 * MM).fill('#1d5fa8');
    doc
      .font('B')
      .fontSize(15)
      .fillColor('#ffffff')
      .text('Teilnehmer · Attendee', x + 60, y + 400, options);
    i++;
  }
  doc.end();
  await finished(out);
}

/** In a child: runs one side and prints {ms, peakMb, bytes} as JSON. */
async function child(which: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'einlass-print-bench-'));
  const path = join(dir, 'out.pdf');
  try {
    const started = performance.now();
    await (which === 'einlass' ? einlass(path) : baseline(path));
    const ms = performance.now() - started;
    process.stdout.write(JSON.stringify({ ms, peakMb: peakMb(), bytes: statSync(path).size }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measure(which: string): { ms: number; peakMb: number; bytes: number } {
  const result = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', __filename, which],
    { encoding: 'utf8', env: process.env, maxBuffer: 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`${which} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as { ms: number; peakMb: number; bytes: number };
}

function main(): void {
  const ours = measure('einlass');
  const bare = measure('baseline');
  const rate = (ms: number) => Math.round(COUNT / (ms / 1000)).toLocaleString('en');
  const line = (name: string, r: { ms: number; peakMb: number; bytes: number }) =>
    `  ${name.padEnd(22)} ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${rate(r.ms).padStart(7)} badges/s  ` +
    `peak RSS ${String(r.peakMb).padStart(4)} MB  ${(r.bytes / 1024 / 1024).toFixed(1)} MB of PDF`;
  console.log(
    `\n${COUNT.toLocaleString('en')} badges in a4-4up (${Math.ceil(COUNT / 4).toLocaleString('en')} pages), streamed to a file`,
  );
  console.log(line('einlass SheetRenderer', ours));
  console.log(line('bare pdfkit', bare));
  console.log(
    `  ratio                  ${(ours.ms / bare.ms).toFixed(2)}x the time of bare pdfkit (goal ≤ 1.5x); goals ≥ 500 badges/s, < 250 MB`,
  );
}

if (process.argv[2]) void child(process.argv[2]);
else main();
