import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import * as QRCode from 'qrcode';
import type { Category } from '@einlass/contracts';

/** What one badge prints. The caller formats; the renderer only lays out. */
export interface BadgeContent {
  eventName: string;
  /** Already formatted for print, e.g. "24. Oktober 2023". */
  eventDate: string;
  title: string | null;
  firstName: string;
  lastName: string;
  organisation: string | null;
  category: Category;
  /** Exactly what the QR code encodes. */
  qrText: string;
  /** Printed under the QR code, for the door staff to type in when a scan fails. */
  shortCode: string;
  /** The event's branding; without it, the default colours and both languages. */
  branding?: BadgeBranding;
}

/** Which words the category band prints: German, English, or both. */
export type BadgeLabelLanguages = 'de' | 'en' | 'de-en';

/** How an event's badges look beyond the defaults. */
export interface BadgeBranding {
  /**
   * A PNG or JPEG, checked when it was uploaded, drawn fitted into the logo box at the top. Give
   * every badge of a document the same Buffer: the image is then opened and embedded once.
   */
  logo?: Buffer | null;
  /** #rrggbb per category; a category without one keeps its colour in CATEGORY_STYLES. */
  colours?: Partial<Record<Category, string>>;
  labels?: BadgeLabelLanguages;
}

type PDFDoc = PDFKit.PDFDocument;

const MM = 72 / 25.4;

/** Every size and position on the badge, in one place. Lengths in mm, font sizes in pt. */
export const BADGE_LAYOUT = {
  /** A6 portrait. */
  widthMm: 105,
  heightMm: 148,
  marginMm: 8,
  /** The strip of category colour along the top edge. */
  topStripMm: 2.5,
  /** The event's logo is fitted into this box, centred above the event name, keeping its aspect. */
  logoBox: { widthMm: 50, heightMm: 14 },
  logoGapMm: 2.5,
  /** The coloured category band along the bottom edge. */
  bandMm: 15,
  /** The QR symbol itself, without its quiet zone: scanners at the door want 30 mm at least. */
  qrSymbolMm: 32,
  /** White modules around the symbol, as the QR specification asks. */
  qrQuietModules: 4,
  /** Between the short code and the band. */
  shortCodeGapMm: 3,
  /** Space kept clear between the text block and the QR's quiet zone. */
  textGapMm: 2,
  /** Above and below the short rule under the header. */
  headerRuleGapMm: 3,
  titleGapMm: 1,
  organisationGapMm: 4,
  eventName: { maxPt: 11, minPt: 8, maxLines: 2 },
  eventDate: { maxPt: 9, minPt: 7, maxLines: 1 },
  title: { maxPt: 11, minPt: 8, maxLines: 1 },
  firstName: { maxPt: 36, minPt: 16, maxLines: 1 },
  lastName: { maxPt: 24, minPt: 11, maxLines: 2 },
  organisation: { maxPt: 11, minPt: 7.5, maxLines: 2 },
  bandPt: { maxPt: 15, minPt: 9, maxLines: 1 },
  shortCodePt: 9,
  shortCodeSpacingPt: 1.5,
  /** Distance between baselines, as a multiple of the font size. */
  lineFactor: 1.2,
} as const;

/** Noto Sans's capital height, and where in a line (from its top) the baseline goes; per pt of font size. */
const CAP_HEIGHT = 0.714;
const BASELINE = 0.95;

const COLOURS = {
  ink: '#111111',
  soft: '#4a4a4a',
  muted: '#6b6b6b',
  rule: '#d0d0d0',
  onBand: '#ffffff',
} as const;

/** The category band: its words in German and English, and a colour that tells it apart across a room. */
export const CATEGORY_STYLES: Record<Category, { de: string; en: string; colour: string }> = {
  attendee: { de: 'Teilnehmer', en: 'Attendee', colour: '#1d5fa8' },
  speaker: { de: 'Referent', en: 'Speaker', colour: '#b3261e' },
  press: { de: 'Presse', en: 'Press', colour: '#6a3d9a' },
  staff: { de: 'Organisation', en: 'Staff', colour: '#222b33' },
  exhibitor: { de: 'Aussteller', en: 'Exhibitor', colour: '#2e7d32' },
};

/*
 * Noto Sans covers Latin Extended, Vietnamese, Cyrillic and Greek; Helvetica, the PDF standard
 * font, does not. Parsing a font costs some 50 ms, far more than the rest of a badge, so the shared
 * set below is parsed once per process and handed to every single-badge document (pdfkit >= 0.20
 * accepts fontkit fonts); each document still makes its own subset of the glyphs it uses.
 */
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
} as const;
type Weight = keyof typeof FONT_FILES;

/** The little of fontkit's API used here. */
interface FontkitFont {
  layout(text: string): unknown;
  /** fontkit's cache of glyph objects; private, see forgetGlyphs. */
  _glyphs?: unknown;
}

/** The fontkit that pdfkit itself loads, so that the parsed font is one pdfkit recognises. */
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as {
  create(bytes: Uint8Array): FontkitFont;
};

const FONT_BYTES: Record<Weight, Buffer> = {
  regular: readFileSync(require.resolve(FONT_FILES.regular)),
  bold: readFileSync(require.resolve(FONT_FILES.bold)),
};

/*
 * fontkit caches a glyph with the character it was first looked up for, and pdfkit maps each glyph
 * back to that character for copying and searching (the first mapping of a glyph in a document
 * wins). Cyrillic "А", Greek "Α" and Latin "A" share one glyph, so after a Cyrillic badge every
 * later badge's "Attendee" would read back as "Аttendee"; and on a sheet of many badges a Greek
 * "ο" would read back as a Latin "o". Hence two rules:
 * - text in Greek or Cyrillic is set with a font instance of its own (parsed separately, embedded
 *   separately), so each script has its own glyph cache and its own character mapping;
 * - a document that is drawn in one go (renderBadge) uses the shared set and empties its caches
 *   first (forgetGlyphs); a document drawn with pauses in between (the SheetRenderer streams page
 *   by page, and other documents are drawn meanwhile) gets a BadgeFontSet of its own.
 * The badge-renderer and sheet-renderer specs guard this.
 */
function forgetGlyphs(font: FontkitFont): void {
  if (font._glyphs) font._glyphs = {};
}

type Script = 'latin' | 'greek' | 'cyrillic';

function scriptOf(text: string): Script {
  if (/\p{Script=Greek}/u.test(text)) return 'greek';
  if (/\p{Script=Cyrillic}/u.test(text)) return 'cyrillic';
  return 'latin';
}

/** Parsed badge fonts, per weight and script, parsed when first needed. */
export class BadgeFontSet {
  private readonly fonts = new Map<string, FontkitFont>();

  get(weight: Weight, script: Script): FontkitFont {
    const key = `${weight}-${script}`;
    let font = this.fonts.get(key);
    if (!font) this.fonts.set(key, (font = fontkit.create(FONT_BYTES[weight])));
    return font;
  }

  /** Empties every glyph cache (see forgetGlyphs). */
  forgetGlyphs(): void {
    for (const font of this.fonts.values()) forgetGlyphs(font);
  }
}

const SHARED_FONTS = new BadgeFontSet();
// The Latin fonts every badge needs, parsed at start-up rather than on the first request.
SHARED_FONTS.get('regular', 'latin');
SHARED_FONTS.get('bold', 'latin');

const REGULAR = 'Badge-Regular';
const BOLD = 'Badge-Bold';
type FontName = typeof REGULAR | typeof BOLD;
const WEIGHT: Record<FontName, Weight> = { [REGULAR]: 'regular', [BOLD]: 'bold' };

/** Per document: its font set and the script variants already registered with it. */
const DOCUMENT_FONTS = new WeakMap<PDFDoc, { set: BadgeFontSet; registered: Set<string> }>();

/** The registered name of the font for this text in this document, registering it on first use. */
function fontFor(doc: PDFDoc, font: FontName, text: string): string {
  const fonts = DOCUMENT_FONTS.get(doc);
  if (!fonts) throw new Error('registerBadgeFonts must be called for the document first');
  const script = scriptOf(text);
  const name = script === 'latin' ? font : `${font}-${script}`;
  if (!fonts.registered.has(name)) {
    // pdfkit's types predate its taking a parsed font.
    const source = fonts.set.get(WEIGHT[font], script) as unknown as PDFKit.Mixins.PDFFontSource;
    doc.registerFont(name, source);
    fonts.registered.add(name);
  }
  return name;
}

/** pdfkit's font object for one document (an EmbeddedFont); private, see useFont. */
interface PdfkitFont {
  layout(text: string, features?: unknown, onlyWidth?: boolean): unknown;
  [REMEMBERS_LAYOUTS]?: true;
}

const REMEMBERS_LAYOUTS = Symbol('einlass.remembersLayouts');

/** Shaped texts remembered per font and document; bounded, so 50,000 names do not pile up. */
const MAX_REMEMBERED_LAYOUTS = 1_000;

/**
 * Sets the font for this text (see fontFor) and returns the document for chaining.
 * Shaping (fontkit's layout: OpenType substitution and positioning) is most of a badge's cost,
 * and every text is shaped at least twice, to measure and to draw it, while the event name, the
 * date and the category words repeat on every badge. pdfkit remembers layouts itself, but not for
 * texts set with explicit features, as every badge text is (TEXT_FEATURES): so its font object
 * remembers them here, as pdfkit's own cache does (the same laid-out run, read only).
 */
function useFont(doc: PDFDoc, font: FontName, text: string): PDFDoc {
  doc.font(fontFor(doc, font, text));
  const current = (doc as unknown as { _font: PdfkitFont })._font;
  if (!current[REMEMBERS_LAYOUTS]) {
    const layout = current.layout.bind(current);
    const runs = new Map<string, unknown>();
    current.layout = (text: string, features?: unknown, onlyWidth?: boolean) => {
      if (features !== TEXT_FEATURES) return layout(text, features, onlyWidth);
      let run = runs.get(text);
      if (run === undefined) {
        run = layout(text, features, onlyWidth);
        if (runs.size >= MAX_REMEMBERED_LAYOUTS) runs.clear();
        runs.set(text, run);
      }
      return run;
    };
    current[REMEMBERS_LAYOUTS] = true;
  }
  return doc;
}

/*
 * Without "ccmp", letters such as "ị" stay one precomposed glyph instead of "i" plus a combining
 * dot. pdfkit maps each glyph back to one text character, so after a decomposition the "i" glyph
 * reads as "i" and the dot is lost: copying the name, searching it, pdftotext all get "Thi".
 * Text is NFC-normalised first, so precomposed glyphs are there to use; the "mark" feature still
 * places any combining mark that has no precomposed form. pdfkit's types only know feature lists,
 * fontkit takes this object form too.
 */
const TEXT_FEATURES = { ccmp: false } as unknown as PDFKit.Mixins.TextOptions['features'];

/** Options for every text call, measuring and drawing alike, so that widths match what is drawn. */
function textOptions(extra: PDFKit.Mixins.TextOptions = {}): PDFKit.Mixins.TextOptions {
  return { lineBreak: false, baseline: 'alphabetic', features: TEXT_FEATURES, ...extra };
}

/**
 * Makes the badge fonts known to a document; call once per document before drawBadge.
 * Without a font set of its own, the document uses the process's shared fonts and must be drawn
 * through to doc.end() without awaiting anything in between. A document drawn with pauses (page by
 * page, while other documents are drawn) passes a `new BadgeFontSet()` of its own.
 */
export function registerBadgeFonts(doc: PDFDoc, fonts?: BadgeFontSet): void {
  const set = fonts ?? SHARED_FONTS;
  if (!fonts) SHARED_FONTS.forgetGlyphs();
  DOCUMENT_FONTS.set(doc, { set, registered: new Set() });
  fontFor(doc, REGULAR, '');
  fontFor(doc, BOLD, '');
}

/** A QR code ready to draw: its modules and the size one module is printed at. */
export interface BadgeQr {
  /** Modules per side, without the quiet zone. */
  moduleCount: number;
  modulePt: number;
  isDark(row: number, column: number): boolean;
}

export function createBadgeQr(text: string): BadgeQr {
  // Base32 is all alphanumeric-mode characters: saying so spares the encoder its search for the
  // shortest mix of modes (a tenth of a sheet's rendering time), and gives the same symbol.
  const alphanumeric = /^[0-9A-Z $%*+\-./:]*$/.test(text);
  const { modules } = QRCode.create(alphanumeric ? [{ data: text, mode: 'alphanumeric' }] : text, {
    errorCorrectionLevel: 'M',
  });
  const count = modules.size;
  return {
    moduleCount: count,
    modulePt: (BADGE_LAYOUT.qrSymbolMm * MM) / count,
    isDark: (row, column) => modules.data[row * count + column] === 1,
  };
}

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

/** The little of pdfkit's image object used here (its types do not describe it). */
interface PdfImage {
  width: number;
  height: number;
  /** EXIF orientation of a JPEG; 5 to 8 are turned by a quarter. */
  orientation?: number;
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
      image = (doc as unknown as { openImage(src: Buffer): PdfImage }).openImage(bytes);
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

/** The symbol as filled rectangles, one per run of dark modules in a row: vectors, sharp at any printer resolution. */
function drawQr(doc: PDFDoc, qr: BadgeQr, left: number, top: number): void {
  const size = qr.modulePt;
  for (let row = 0; row < qr.moduleCount; row++) {
    let column = 0;
    while (column < qr.moduleCount) {
      if (!qr.isDark(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < qr.moduleCount && qr.isDark(row, column)) column++;
      doc.rect(left + start * size, top + row * size, (column - start) * size, size);
    }
  }
  // One fill for the whole path: no hairline seams between touching rows.
  doc.fillColor('#000000').fill();
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

interface FitSpec {
  maxPt: number;
  minPt: number;
  maxLines: number;
}

interface FittedText {
  size: number;
  lines: string[];
}

/**
 * The largest size, in half points from maxPt down to minPt, at which the text wraps into at most
 * maxLines lines of the given width: first keeping every word whole, then allowing a long word to
 * break after its hyphen. At minPt it takes as many lines as it needs: a long organisation gets a
 * third line rather than losing its end.
 */
function fitText(
  doc: PDFDoc,
  font: FontName,
  text: string,
  spec: FitSpec,
  width: number,
): FittedText {
  const clean = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  for (const splitWords of [false, true]) {
    for (let size = spec.maxPt; size >= spec.minPt; size -= 0.5) {
      const lines = wrap(doc, font, clean, size, width, splitWords);
      if (lines && lines.length <= spec.maxLines) return { size, lines };
    }
  }
  return { size: spec.minPt, lines: wrap(doc, font, clean, spec.minPt, width, true) ?? [clean] };
}

/**
 * Greedy wrapping at spaces; null if a word is wider than a whole line and splitWords is off.
 * With splitWords, such a word is split after its hyphens ("Hohenstein-|Rüdigershausen"), and
 * failing that between characters, so that nothing overruns.
 */
function wrap(
  doc: PDFDoc,
  font: FontName,
  text: string,
  size: number,
  width: number,
  splitWords: boolean,
): string[] | null {
  const fits = (candidate: string) => measure(doc, font, candidate, size) <= width;
  const words = text.split(' ');
  if (!splitWords && !words.every(fits)) return null;
  const pieces = words.flatMap((word) => (fits(word) ? [word] : splitWord(word, fits)));
  const lines: string[] = [];
  let line = '';
  for (const piece of pieces) {
    // A piece split off a longer word joins its line without a space.
    const joiner = piece.startsWith('\u0000') ? '' : ' ';
    const bare = joiner === '' ? piece.slice(1) : piece;
    const candidate = line ? line + joiner + bare : bare;
    if (!line || fits(candidate)) {
      line = candidate;
    } else {
      lines.push(line);
      line = bare;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Pieces of an over-long word; pieces after the first are marked with a leading NUL (no space before them). */
function splitWord(word: string, fits: (candidate: string) => boolean): string[] {
  const pieces: string[] = [];
  for (const part of word.split(/(?<=-)/)) {
    if (fits(part)) {
      pieces.push(part);
      continue;
    }
    // Between grapheme clusters, so that a letter keeps its accents.
    let chunk = '';
    for (const { segment } of GRAPHEMES.segment(part)) {
      if (chunk && !fits(chunk + segment)) {
        pieces.push(chunk);
        chunk = segment;
      } else {
        chunk += segment;
      }
    }
    if (chunk) pieces.push(chunk);
  }
  return pieces.map((piece, index) => (index === 0 ? piece : '\u0000' + piece));
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Width in points; leaves the document's font size at 1 pt, so set font and size before drawing.
 * Fitting measures the same words at many sizes, and with explicit features pdfkit lays text out
 * afresh every time; widths grow linearly with size, so each string is laid out once per
 * document, at 1 pt.
 */
function measure(doc: PDFDoc, font: FontName, text: string, size: number): number {
  let widths = WIDTHS_AT_1PT.get(doc);
  if (!widths) WIDTHS_AT_1PT.set(doc, (widths = new Map<string, number>()));
  const key = `${font}\u0000${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    width = useFont(doc, font, text).fontSize(1).widthOfString(text, textOptions());
    // Bounded, so that a document of 50,000 badges does not keep every name it has measured.
    if (widths.size >= MAX_CACHED_WIDTHS) widths.clear();
    widths.set(key, width);
  }
  return width * size;
}

const WIDTHS_AT_1PT = new WeakMap<PDFDoc, Map<string, number>>();
const MAX_CACHED_WIDTHS = 20_000;

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
