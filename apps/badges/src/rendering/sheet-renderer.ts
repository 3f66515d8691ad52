import { once } from 'node:events';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { BadgeContent } from './badge-design';
import { BadgeFontSet, registerBadgeFonts } from './badge-fonts';
import { drawBadge } from './badge-layout';
import { CROP_MARK_WIDTH_PT, type SheetLayout } from './sheet-layouts';

const MM = 72 / 25.4;

export interface SheetRenderOptions {
  /** Document title in the PDF's info. */
  title?: string;
  /** Called after every `progressEvery` badges (and at the end) with the number drawn so far. */
  onProgress?: (done: number) => Promise<void> | void;
  progressEvery?: number;
}

/**
 * Many badges as one PDF, sheet after sheet, streamed to `out` page by page: memory holds one
 * page, not the document. Badges come from an (async) iterable, so the caller can read them from
 * the database in chunks; nothing is kept per badge.
 *
 * Between pages it waits for `out` to take what was written (back-pressure) and lets other work
 * run; the document therefore has a font set of its own (see registerBadgeFonts).
 */
export class SheetRenderer {
  async render(
    layout: SheetLayout,
    badges: AsyncIterable<BadgeContent> | Iterable<BadgeContent>,
    out: Writable,
    options: SheetRenderOptions = {},
  ): Promise<number> {
    const doc = new PDFDocument({
      size: [layout.pageMm.width * MM, layout.pageMm.height * MM],
      margin: 0,
      autoFirstPage: false,
      info: {
        Title: options.title ?? 'Badges',
        Creator: 'Einlass',
        Producer: 'Einlass',
        CreationDate: new Date(0),
      },
    });
    let failed: Error | undefined;
    let blocked = false;
    doc.on('data', (chunk: Buffer) => {
      if (!out.write(chunk)) blocked = true;
    });
    const ended = once(doc, 'end');
    ended.catch(() => undefined); // an error is reported through `failed`
    const onError = (error: Error) => (failed ??= error);
    out.on('error', onError);
    doc.on('error', onError);

    registerBadgeFonts(doc, new BadgeFontSet());
    const every = options.progressEvery ?? 100;
    const perPage = layout.slots.length;
    let count = 0;
    try {
      for await (const badge of badges) {
        const slot = count % perPage;
        if (slot === 0) {
          if (count > 0) {
            // Marks last, so that no badge's colour covers them.
            drawCropMarks(doc, layout);
            await this.drain(
              out,
              () => blocked,
              () => (blocked = false),
            );
          }
          if (failed) throw failed;
          doc.addPage();
        }
        const { xMm, yMm } = layout.slots[slot];
        drawBadge(doc, badge, xMm * MM, yMm * MM);
        count++;
        if (options.onProgress && count % every === 0) await options.onProgress(count);
      }
      if (count > 0) drawCropMarks(doc, layout);
      doc.end();
      await ended;
      if (failed) throw failed;
    } finally {
      out.off('error', onError);
    }
    if (options.onProgress && count % every !== 0) await options.onProgress(count);
    return count;
  }

  /** Gives the event loop a turn, and waits for `out` to drain if it asked to. */
  private async drain(out: Writable, blocked: () => boolean, clear: () => void): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (blocked()) {
      clear();
      if (out.writableNeedDrain) await once(out, 'drain');
    }
  }
}

function drawCropMarks(doc: PDFKit.PDFDocument, layout: SheetLayout): void {
  if (layout.cropMarks.length === 0) return;
  doc.save();
  for (const mark of layout.cropMarks) {
    doc.moveTo(mark.x1Mm * MM, mark.y1Mm * MM).lineTo(mark.x2Mm * MM, mark.y2Mm * MM);
  }
  doc.lineWidth(CROP_MARK_WIDTH_PT).strokeColor('#000000').stroke();
  doc.restore();
}
