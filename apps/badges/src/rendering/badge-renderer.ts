import PDFDocument from 'pdfkit';
import { BADGE_LAYOUT, type BadgeContent, MM } from './badge-design';
import { registerBadgeFonts } from './badge-fonts';
import { drawBadge } from './badge-layout';

// bench/print.bench.ts imports the type from here.
export type { BadgeContent } from './badge-design';

type PDFDoc = PDFKit.PDFDocument;

/** One badge as a single A6 page. */
export class BadgeRenderer {
  async renderBadge(badge: BadgeContent): Promise<Buffer> {
    const doc = new PDFDocument({
      size: [BADGE_LAYOUT.widthMm * MM, BADGE_LAYOUT.heightMm * MM],
      margin: 0,
      // Fixed, so that the same badge gives the same bytes.
      info: {
        Title: `${badge.firstName} ${badge.lastName} – ${badge.eventName}`,
        Creator: 'Einlass',
        Producer: 'Einlass',
        CreationDate: new Date(0),
      },
    });
    const done = collect(doc);
    registerBadgeFonts(doc);
    drawBadge(doc, badge, 0, 0);
    doc.end();
    return done;
  }
}

function collect(doc: PDFDoc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
