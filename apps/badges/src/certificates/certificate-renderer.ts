import { once } from 'node:events';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { createBadgeQr, drawQr } from '../rendering/badge-qr';
import {
  BadgeFontSet,
  BOLD,
  type FontName,
  REGULAR,
  registerBadgeFonts,
} from '../rendering/badge-fonts';
import {
  measure,
  openImage,
  type PdfImage,
  TEXT_FEATURES,
  useFont,
} from '../rendering/pdfkit-workarounds';
import type { CertificateLanguage, CertifiedSession } from './certificate.entity';
import { CERTIFICATE_WORDS, dayAndTime, eventDates, longDate } from './certificate-wording';

/**
 * How an attendance certificate looks: one A4 page with the event's logo (its badge branding),
 * the person, the event, the sessions attended, the issuer and the verification QR code. Drawn
 * with the badges' fonts (Noto Sans, a font instance per script: names in Greek or Cyrillic read
 * back exactly) and their QR drawing.
 */

type PDFDoc = PDFKit.PDFDocument;
const MM = 72 / 25.4;
const PAGE = { width: 210 * MM, height: 297 * MM, margin: 22 * MM };
const QR_MM = 34;
/** Sessions listed by name; more are counted ("… and 3 more"). */
const MAX_LISTED_SESSIONS = 22;

/** Everything a certificate prints. */
export interface CertificateContent {
  language: CertificateLanguage;
  holderName: string;
  eventName: string;
  venue: string | null;
  timezone: string;
  startsAt: Date;
  endsAt: Date;
  sessions: CertifiedSession[];
  issuer: string | null;
  issuedAt: Date;
  logo: Buffer | null;
  /** What the QR code holds: the check-in host's /verify address with the code. */
  verifyUrl: string;
}

export class CertificateRenderer {
  /** One certificate as its own PDF (drawn in one go: the shared fonts). */
  async renderOne(content: CertificateContent): Promise<Buffer> {
    const doc = newDocument(
      `${CERTIFICATE_WORDS[content.language].fileTitle} – ${content.holderName}`,
    );
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = once(doc, 'end');
    registerBadgeFonts(doc);
    doc.addPage();
    drawCertificate(doc, content);
    doc.end();
    await ended;
    return Buffer.concat(chunks);
  }

  /**
   * Many certificates as one PDF, a page each, streamed to `out` (a font set of its own: other
   * documents are drawn between its pages). Answers how many were drawn.
   */
  async renderMany(
    contents: AsyncIterable<CertificateContent>,
    out: Writable,
    title: string,
    onPage: (done: number) => Promise<void>,
  ): Promise<number> {
    const doc = newDocument(title);
    let failed: Error | undefined;
    doc.on('data', (chunk: Buffer) => {
      if (!out.write(chunk)) doc.pause();
    });
    out.on('drain', () => doc.resume());
    const ended = once(doc, 'end');
    ended.catch(() => undefined);
    doc.on('error', (error: Error) => (failed ??= error));
    registerBadgeFonts(doc, new BadgeFontSet());
    let count = 0;
    for await (const content of contents) {
      if (failed) throw failed;
      doc.addPage();
      drawCertificate(doc, content);
      count++;
      await onPage(count);
    }
    doc.end();
    await ended;
    if (failed) throw failed;
    return count;
  }
}

function newDocument(title: string): PDFDoc {
  return new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    info: { Title: title, Creator: 'Einlass', Producer: 'Einlass', CreationDate: new Date(0) },
  });
}

const LOGOS = new WeakMap<PDFDoc, Map<Buffer, PdfImage | null>>();

function logo(doc: PDFDoc, bytes: Buffer): PdfImage | null {
  let images = LOGOS.get(doc);
  if (!images) LOGOS.set(doc, (images = new Map<Buffer, PdfImage | null>()));
  if (!images.has(bytes)) {
    try {
      images.set(bytes, openImage(doc, bytes));
    } catch {
      images.set(bytes, null);
    }
  }
  return images.get(bytes) ?? null;
}

/** Writes text at the cursor across the page's width; answers the new cursor. */
function write(
  doc: PDFDoc,
  font: FontName,
  size: number,
  text: string,
  y: number,
  options: { colour?: string; align?: 'left' | 'center'; gap?: number } = {},
): number {
  useFont(doc, font, text)
    .fontSize(size)
    .fillColor(options.colour ?? '#1a1a1a');
  const width = PAGE.width - 2 * PAGE.margin;
  doc.text(text, PAGE.margin, y, {
    width,
    align: options.align ?? 'left',
    features: TEXT_FEATURES,
    lineGap: 2,
  });
  return doc.y + (options.gap ?? 0);
}

/** Draws one certificate on the current page. */
export function drawCertificate(doc: PDFDoc, content: CertificateContent): void {
  const words = CERTIFICATE_WORDS[content.language];
  const { timezone } = content;
  let y = PAGE.margin;

  const image = content.logo ? logo(doc, content.logo) : null;
  if (image) {
    const box = { width: 60 * MM, height: 22 * MM };
    const scale = Math.min(box.width / image.width, box.height / image.height);
    doc.image(image as unknown as Buffer, PAGE.margin, y, {
      fit: [image.width * scale, image.height * scale],
    });
    y += image.height * scale + 8 * MM;
  } else {
    y += 10 * MM;
  }

  y = write(doc, BOLD, 26, words.title, y, { align: 'center', gap: 12 * MM });
  y = write(doc, REGULAR, 12, words.certify, y, { align: 'center', gap: 4 * MM });
  // The name on one line, smaller when long: it is what the certificate is about.
  const nameSize = Math.min(
    22,
    (0.97 * (PAGE.width - 2 * PAGE.margin)) / measure(doc, BOLD, content.holderName, 1),
  );
  y = write(doc, BOLD, nameSize, content.holderName, y, { align: 'center', gap: 4 * MM });
  y = write(doc, REGULAR, 12, words.attended, y, { align: 'center', gap: 4 * MM });
  y = write(doc, BOLD, 16, content.eventName, y, { align: 'center', gap: 1 * MM });
  const when = eventDates(content.language, timezone, content.startsAt, content.endsAt);
  y = write(doc, REGULAR, 12, content.venue ? `${when} · ${content.venue}` : when, y, {
    align: 'center',
    colour: '#555555',
    gap: 10 * MM,
  });

  y = write(doc, BOLD, 12, words.sessions, y, { gap: 2 * MM });
  if (content.sessions.length === 0) {
    y = write(doc, REGULAR, 10, words.noSessions, y);
  }
  // As many as fit above the foot (a long title takes two lines); the rest are counted.
  const listEnd = PAGE.height - PAGE.margin - QR_MM * MM - 16 * MM;
  let listed = 0;
  for (const session of content.sessions.slice(0, MAX_LISTED_SESSIONS)) {
    if (y > listEnd) break;
    const at = dayAndTime(content.language, timezone, new Date(session.startsAt));
    y = write(doc, REGULAR, 10, `${at}   ${session.title}`, y, { gap: 0.5 * MM });
    listed++;
  }
  if (content.sessions.length > listed) {
    write(doc, REGULAR, 10, words.more(content.sessions.length - listed), y);
  }

  // The foot: issuer and date on the left, the verification QR code on the right.
  const qrTop = PAGE.height - PAGE.margin - QR_MM * MM - 6 * MM;
  const footWidth = PAGE.width - 2 * PAGE.margin - (QR_MM + 8) * MM;
  let footY = qrTop;
  const foot = (font: FontName, size: number, text: string, colour = '#1a1a1a') => {
    useFont(doc, font, text).fontSize(size).fillColor(colour);
    doc.text(text, PAGE.margin, footY, { width: footWidth, features: TEXT_FEATURES, lineGap: 1 });
    footY = doc.y + 1.5 * MM;
  };
  if (content.issuer) foot(REGULAR, 11, `${words.issuedBy} ${content.issuer}`);
  foot(REGULAR, 11, `${words.issuedOn} ${longDate(content.language, timezone, content.issuedAt)}`);
  foot(REGULAR, 8, words.verify, '#555555');
  foot(REGULAR, 7, content.verifyUrl, '#555555');

  const qr = createBadgeQr(content.verifyUrl);
  const sized = { ...qr, modulePt: (QR_MM * MM) / qr.moduleCount };
  drawQr(doc, sized, PAGE.width - PAGE.margin - QR_MM * MM, qrTop);
}
