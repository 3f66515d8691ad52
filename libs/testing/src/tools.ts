import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Reads every QR code in a PDF the way a person's scanner would: rasterises the pages with
 * pdftoppm and decodes the images with zbarimg. Returns the decoded texts, page by page.
 */
export async function decodeQrCodesInPdf(pdf: Buffer, dpi = 200): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'einlass-qr-'));
  try {
    await writeFile(join(dir, 'badge.pdf'), pdf);
    await run('pdftoppm', ['-r', String(dpi), '-png', join(dir, 'badge.pdf'), join(dir, 'page')]);
    const pages = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    const texts: string[] = [];
    for (const page of pages) {
      const { stdout } = await run('zbarimg', [
        '--quiet',
        '--raw',
        '-Sqrcode.enable',
        join(dir, page),
      ]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      texts.push(...stdout.split('\n').filter(Boolean));
    }
    return texts;
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
