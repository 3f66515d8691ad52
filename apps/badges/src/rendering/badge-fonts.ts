import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The badge fonts: Noto Sans, read and parsed once per process, with a font instance of its own
 * per script, registered with each document under the names REGULAR and BOLD.
 */

type PDFDoc = PDFKit.PDFDocument;

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
export type Weight = keyof typeof FONT_FILES;

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

export type Script = 'latin' | 'greek' | 'cyrillic';

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

export const REGULAR = 'Badge-Regular';
export const BOLD = 'Badge-Bold';
export type FontName = typeof REGULAR | typeof BOLD;
const WEIGHT: Record<FontName, Weight> = { [REGULAR]: 'regular', [BOLD]: 'bold' };

/** Per document: its font set and the script variants already registered with it. */
const DOCUMENT_FONTS = new WeakMap<PDFDoc, { set: BadgeFontSet; registered: Set<string> }>();

/** The registered name of the font for this text in this document, registering it on first use. */
export function fontFor(doc: PDFDoc, font: FontName, text: string): string {
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
