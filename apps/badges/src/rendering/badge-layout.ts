import {
  BADGE_LAYOUT,
  type BadgeContent,
  BASELINE,
  CAP_HEIGHT,
  CATEGORY_STYLES,
  COLOURS,
  MM,
} from './badge-design';
import { BOLD, type FontName, REGULAR } from './badge-fonts';
import { createBadgeQr, drawQr } from './badge-qr';
import { measure, openImage, type PdfImage, textOptions, useFont } from './pdfkit-workarounds';
import { type FitSpec, fitText, type FittedText } from './text-fitting';

/**
 * The file that lays out a badge: where the strip, the logo, the event, the person, the QR code,
 * the short code and the category band go, drawn onto a pdfkit document at any position (a single
 * A6 page, see badge-renderer.ts, or a slot of a sheet, see sheet-renderer.ts). Its sizes are
 * BADGE_LAYOUT, in badge-design.ts.
 */

type PDFDoc = PDFKit.PDFDocument;

/**
 * Draws one A6 badge with its top left corner at (x, y) in points, so that a sheet of several
 * badges can reuse it. The document must have the badge fonts registered.
 */
export function drawBadge(doc: PDFDoc, badge: BadgeContent, x: number, y: number): void {
  const L = BADGE_LAYOUT;
  const width = L.widthMm * MM;
  const height = L.heightMm * MM;
  const margin = L.marginMm * MM;
  const inner = width - 2 * margin;
  const style = bandStyle(badge);
  const page = { x, y, width, height };

  doc.save();

  // Category colour along the top edge too, so the badge is recognisable when it hangs turned.
  doc.rect(x, y, width, L.topStripMm * MM).fill(style.colour);

  // Header: the event's logo, event and date.
  let top = y + L.topStripMm * MM + margin * 0.8;
  const logo = badge.branding?.logo ? logoImage(doc, badge.branding.logo) : null;
  if (logo) top = drawLogo(doc, page, logo, top) + L.logoGapMm * MM;
  const eventName = fitText(doc, BOLD, badge.eventName, L.eventName, inner);
  top = drawLines(doc, page, eventName, BOLD, COLOURS.ink, top);
  const date = fitText(doc, REGULAR, badge.eventDate, L.eventDate, inner);
  top = drawLines(doc, page, date, REGULAR, COLOURS.muted, top);
  top += L.headerRuleGapMm * MM;
  doc
    .moveTo(x + margin + inner / 3, top)
    .lineTo(x + width - margin - inner / 3, top)
    .lineWidth(0.6)
    .strokeColor(COLOURS.rule)
    .stroke();
  const textTop = top + L.headerRuleGapMm * MM;

  // Bottom up: band, short code, QR.
  const bandTop = y + height - L.bandMm * MM;
  drawBand(doc, page, bandTop, style);

  const shortCodeBaseline = bandTop - L.shortCodeGapMm * MM - 0.3 * L.shortCodePt;
  drawShortCode(doc, page, badge.shortCode, shortCodeBaseline);

  const qr = createBadgeQr(badge.qrText);
  const quiet = L.qrQuietModules * qr.modulePt;
  const symbol = qr.moduleCount * qr.modulePt;
  // The quiet zone ends where the short code's capitals begin.
  const symbolBottom = shortCodeBaseline - CAP_HEIGHT * L.shortCodePt - quiet;
  const symbolTop = symbolBottom - symbol;
  drawQr(doc, qr, x + (width - symbol) / 2, symbolTop);

  // The person: whatever room is left between header and the QR's quiet zone.
  const textBottom = symbolTop - quiet - L.textGapMm * MM;
  drawPerson(doc, page, badge, textTop, textBottom);

  doc.restore();
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The band's words and colours for this badge: the event's branding over the defaults. */
interface BandStyle {
  /** In bold. */
  primary: string;
  /** In regular after a separator, or none. */
  secondary: string | null;
  colour: string;
  textColour: string;
}

function bandStyle(badge: BadgeContent): BandStyle {
  const defaults = CATEGORY_STYLES[badge.category];
  const colour = badge.branding?.colours?.[badge.category] ?? defaults.colour;
  const labels = badge.branding?.labels ?? 'de-en';
  return {
    primary: labels === 'en' ? defaults.en : defaults.de,
    secondary: labels === 'de-en' ? defaults.en : null,
    colour,
    // An event's light colour gets dark words, so that they stay readable.
    textColour: luminance(colour) > 0.55 ? COLOURS.ink : COLOURS.onBand,
  };
}

/** Relative luminance (0 black, 1 white) of a #rrggbb colour. */
function luminance(colour: string): number {
  const channel = (index: number) => {
    const value = parseInt(colour.slice(1 + 2 * index, 3 + 2 * index), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/**
 * The logo opened for this document: once per document and Buffer, so that a sheet of a
 * thousand badges embeds it once. A logo pdfkit cannot open is left off rather than failing the
 * document (uploads are checked, so this is a safety net).
 */
function logoImage(doc: PDFDoc, bytes: Buffer): PdfImage | null {
  let images = LOGO_IMAGES.get(doc);
  if (!images) LOGO_IMAGES.set(doc, (images = new WeakMap()));
  let image = images.get(bytes);
  if (image === undefined) {
    try {
      image = openImage(doc, bytes);
    } catch {
      image = null;
    }
    images.set(bytes, image);
  }
  return image;
}

const LOGO_IMAGES = new WeakMap<PDFDoc, WeakMap<Buffer, PdfImage | null>>();

/** The logo as large as fits the logo box, aspect kept, centred; returns the y below it. */
function drawLogo(doc: PDFDoc, page: Box, image: PdfImage, top: number): number {
  const box = BADGE_LAYOUT.logoBox;
  const turned = (image.orientation ?? 1) > 4;
  const imageWidth = turned ? image.height : image.width;
  const imageHeight = turned ? image.width : image.height;
  const scale = Math.min((box.widthMm * MM) / imageWidth, (box.heightMm * MM) / imageHeight);
  const width = imageWidth * scale;
  const height = imageHeight * scale;
  doc.image(image as unknown as Buffer, page.x + (page.width - width) / 2, top, {
    fit: [width, height],
  });
  return top + height;
}

function drawBand(doc: PDFDoc, page: Box, top: number, style: BandStyle): void {
  const margin = BADGE_LAYOUT.marginMm * MM;
  const height = page.y + page.height - top;
  doc.rect(page.x, top, page.width, height).fill(style.colour);

  // The first language in bold, the second (if any) in regular, on one line; both shrink
  // together to fit.
  const rest = style.secondary === null ? '' : ' · ' + style.secondary;
  const { maxPt, minPt } = BADGE_LAYOUT.bandPt;
  const widthAt = (size: number) =>
    measure(doc, BOLD, style.primary, size) + (rest ? measure(doc, REGULAR, rest, size) : 0);
  let size: number = maxPt;
  while (size > minPt && widthAt(size) > page.width - 2 * margin) size -= 0.5;
  // Capitals centred in the band.
  const baseline = top + height / 2 + (CAP_HEIGHT / 2) * size;
  let left = page.x + (page.width - widthAt(size)) / 2;
  doc.fillColor(style.textColour);
  useFont(doc, BOLD, style.primary)
    .fontSize(size)
    .text(style.primary, left, baseline, textOptions());
  if (!rest) return;
  left += measure(doc, BOLD, style.primary, size);
  useFont(doc, REGULAR, rest).fontSize(size).text(rest, left, baseline, textOptions());
}

function drawShortCode(doc: PDFDoc, page: Box, shortCode: string, baseline: number): void {
  const { shortCodePt: size, shortCodeSpacingPt: characterSpacing } = BADGE_LAYOUT;
  doc.font(REGULAR).fontSize(size);
  const width = doc.widthOfString(shortCode, textOptions({ characterSpacing }));
  doc
    .fillColor(COLOURS.soft)
    .text(
      shortCode,
      page.x + (page.width - width) / 2,
      baseline,
      textOptions({ characterSpacing }),
    );
}

/** Title, first name, last name, organisation: centred in the room between top and bottom. */
function drawPerson(
  doc: PDFDoc,
  page: Box,
  badge: BadgeContent,
  top: number,
  bottom: number,
): void {
  const L = BADGE_LAYOUT;
  const inner = page.width - 2 * L.marginMm * MM;
  const room = bottom - top;

  // Should the block not fit, every size shrinks a little and it is tried again.
  let block: PersonBlock | undefined;
  for (let scale = 1; scale >= 0.5; scale -= 0.05) {
    block = layoutPerson(doc, badge, inner, scale);
    if (block.height <= room) break;
  }
  if (!block) return;

  // A little above the middle looks centred to the eye.
  const start = top + Math.max(0, room - block.height) * 0.45;
  let y = start;
  for (const part of block.parts) {
    y += part.gapBefore;
    y = drawLines(doc, page, part.text, part.font, part.colour, y);
  }
}

interface PersonPart {
  text: FittedText;
  font: FontName;
  colour: string;
  gapBefore: number;
}

interface PersonBlock {
  parts: PersonPart[];
  height: number;
}

function layoutPerson(doc: PDFDoc, badge: BadgeContent, inner: number, scale: number): PersonBlock {
  const L = BADGE_LAYOUT;
  const scaled = (spec: FitSpec): FitSpec => ({
    maxPt: spec.maxPt * scale,
    minPt: Math.min(spec.minPt, spec.maxPt * scale),
    maxLines: spec.maxLines,
  });
  const parts: PersonPart[] = [];

  const title = badge.title?.trim();
  if (title) {
    parts.push({
      text: fitText(doc, REGULAR, title, scaled(L.title), inner),
      font: REGULAR,
      colour: COLOURS.soft,
      gapBefore: 0,
    });
  }
  const first = fitText(doc, BOLD, badge.firstName, scaled(L.firstName), inner);
  parts.push({
    text: first,
    font: BOLD,
    colour: COLOURS.ink,
    gapBefore: title ? L.titleGapMm * MM : 0,
  });

  // The last name never outgrows the first name, however short it is.
  const lastSpec = scaled(L.lastName);
  const lastMax = Math.min(lastSpec.maxPt, first.size * 0.72);
  const last = fitText(
    doc,
    BOLD,
    badge.lastName,
    { ...lastSpec, maxPt: lastMax, minPt: Math.min(lastSpec.minPt, lastMax) },
    inner,
  );
  parts.push({ text: last, font: BOLD, colour: COLOURS.ink, gapBefore: 0 });

  const organisation = badge.organisation?.trim();
  if (organisation) {
    parts.push({
      text: fitText(doc, REGULAR, organisation, scaled(L.organisation), inner),
      font: REGULAR,
      colour: COLOURS.soft,
      gapBefore: L.organisationGapMm * MM,
    });
  }

  const height = parts.reduce((sum, part) => sum + part.gapBefore + linesHeight(part.text), 0);
  return { parts, height };
}

function linesHeight(text: FittedText): number {
  return text.lines.length * text.size * BADGE_LAYOUT.lineFactor;
}

/** Draws centred lines from top down; returns the y below the last line. */
function drawLines(
  doc: PDFDoc,
  page: Box,
  text: FittedText,
  font: FontName,
  colour: string,
  top: number,
): number {
  const step = text.size * BADGE_LAYOUT.lineFactor;
  let y = top;
  for (const line of text.lines) {
    const width = measure(doc, font, line, text.size);
    // The baseline sits low enough in the line for accented capitals ("Ễ") to stay inside it.
    useFont(doc, font, line)
      .fontSize(text.size)
      .fillColor(colour)
      .text(line, page.x + (page.width - width) / 2, y + text.size * BASELINE, textOptions());
    y += step;
  }
  return y;
}
