import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Reads every QR code in a PDF the way a person's scanner would: rasterises the pages with
 * pdftoppm and decodes the images with zbarimg. Returns the decoded texts, page by page.
 */
export async function decodeQrCodesInPdf(pdf: Buffer, dpi = 200): Promise<string[]> {
  return (await decodeQrCodesByPage(pdf, dpi)).flat();
}

/**
 * The QR codes of each page of a PDF, page by page. zbarimg now and then reports one symbol of a
 * page twice; a caller that counts codes per sheet can set them apart from a badge printed twice
 * (which would show on two pages, or leave a sheet one code short).
 */
export async function decodeQrCodesByPage(pdf: Buffer, dpi = 200): Promise<string[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'einlass-qr-'));
  try {
    await writeFile(join(dir, 'badge.pdf'), pdf);
    await run('pdftoppm', ['-r', String(dpi), '-png', join(dir, 'badge.pdf'), join(dir, 'page')]);
    const pages = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    const texts: string[][] = [];
    for (const page of pages) {
      const { stdout } = await run('zbarimg', [
        '--quiet',
        '--raw',
        '-Sqrcode.enable',
        join(dir, page),
      ]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      texts.push(stdout.split('\n').filter(Boolean));
    }
    return texts;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every QR code in a picture (a screenshot of a page's QR code), decoded with zbarimg. */
export async function decodeQrCodesInPng(png: Buffer): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'einlass-qr-'));
  try {
    await writeFile(join(dir, 'shot.png'), png);
    const { stdout } = await run('zbarimg', [
      '--quiet',
      '--raw',
      '-Sqrcode.enable',
      join(dir, 'shot.png'),
    ]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    return stdout.split('\n').filter(Boolean);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of a PDF (pdftotext), for checking what is printed. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'einlass-text-'));
  try {
    await writeFile(join(dir, 'doc.pdf'), pdf);
    const { stdout } = await run('pdftotext', ['-layout', join(dir, 'doc.pdf'), '-']);
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `work` on every item with at most `limit` at once. */
export async function inParallel<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    }),
  );
  return results;
}

/**
 * The first page of a PDF as a video for Chromium's fake camera
 * (`--use-file-for-fake-video-capture=<file>.y4m`): rasterised in grey with pdftoppm (its longest
 * side `size` pixels), written as a few identical Y4M frames (4:2:0, no colour).
 */
export async function pdfAsFakeCameraVideo(pdf: Buffer, file: string, size = 800): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'einlass-y4m-'));
  try {
    await writeFile(join(dir, 'badge.pdf'), pdf);
    await run('pdftoppm', [
      '-gray',
      '-singlefile',
      '-scale-to',
      String(size),
      join(dir, 'badge.pdf'),
      join(dir, 'page'),
    ]);
    const pgm = await readFile(join(dir, 'page.pgm'));
    // P5 <width> <height> <maxval> then one byte per pixel
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
    if (!header) throw new Error('pdftoppm wrote no PGM image');
    const [text, w, h] = [header[0], Number(header[1]), Number(header[2])];
    const pixels = pgm.subarray(text.length);
    const width = w - (w % 2);
    const height = h - (h % 2);
    const luma = Buffer.alloc(width * height);
    for (let y = 0; y < height; y++) pixels.copy(luma, y * width, y * w, y * w + width);
    const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
    const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
    await writeFile(
      file,
      Buffer.concat([
        Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`),
        frame,
        frame,
        frame,
      ]),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
