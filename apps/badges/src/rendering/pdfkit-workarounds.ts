import { fontFor, type FontName } from './badge-fonts';

/**
 * Where the badges work around pdfkit (0.20), in one place, each saying why:
 * 1. useFont remembers shaped texts on pdfkit's private font object: speed;
 * 2. TEXT_FEATURES turns "ccmp" off: text that reads back exactly;
 * 3. measure caches widths at 1 pt: speed;
 * 4. openImage calls a method pdfkit's types do not describe: a logo embedded once per document.
 * The badge-renderer and sheet-renderer specs guard what they are for. The fonts' own
 * workarounds (fontkit's glyph cache, a parsed font given to registerFont) are in badge-fonts.ts.
 */

type PDFDoc = PDFKit.PDFDocument;

/** pdfkit's font object for one document (an EmbeddedFont); private, see useFont. */
interface PdfkitFont {
  layout(text: string, features?: unknown, onlyWidth?: boolean): unknown;
  [REMEMBERS_LAYOUTS]?: true;
}

const REMEMBERS_LAYOUTS = Symbol('einlass.remembersLayouts');

/** Shaped texts remembered per font and document; bounded, so 50,000 names do not pile up. */
const MAX_REMEMBERED_LAYOUTS = 1_000;

/**
 * Workaround 1. Sets the font for this text (see fontFor) and returns the document for chaining.
 * Why: shaping (fontkit's layout: OpenType substitution and positioning) is most of a badge's cost,
 * and every text is shaped at least twice, to measure and to draw it, while the event name, the
 * date and the category words repeat on every badge. pdfkit remembers layouts itself, but not for
 * texts set with explicit features, as every badge text is (TEXT_FEATURES): so its font object
 * remembers them here, as pdfkit's own cache does (the same laid-out run, read only).
 */
export function useFont(doc: PDFDoc, font: FontName, text: string): PDFDoc {
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
 * Workaround 2. Why: without "ccmp", letters such as "ị" stay one precomposed glyph instead of "i" plus a combining
 * dot. pdfkit maps each glyph back to one text character, so after a decomposition the "i" glyph
 * reads as "i" and the dot is lost: copying the name, searching it, pdftotext all get "Thi".
 * Text is NFC-normalised first, so precomposed glyphs are there to use; the "mark" feature still
 * places any combining mark that has no precomposed form. pdfkit's types only know feature lists,
 * fontkit takes this object form too.
 */
export const TEXT_FEATURES = { ccmp: false } as unknown as PDFKit.Mixins.TextOptions['features'];

/** Options for every text call, measuring and drawing alike, so that widths match what is drawn. */
export function textOptions(extra: PDFKit.Mixins.TextOptions = {}): PDFKit.Mixins.TextOptions {
  return { lineBreak: false, baseline: 'alphabetic', features: TEXT_FEATURES, ...extra };
}

/**
 * Workaround 3. Width in points; leaves the document's font size at 1 pt, so set font and size
 * before drawing. Why: fitting measures the same words at many sizes, and with explicit features pdfkit lays text out
 * afresh every time; widths grow linearly with size, so each string is laid out once per
 * document, at 1 pt.
 */
export function measure(doc: PDFDoc, font: FontName, text: string, size: number): number {
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

/** The little of pdfkit's image object used here (its types do not describe it). */
export interface PdfImage {
  width: number;
  height: number;
  /** EXIF orientation of a JPEG; 5 to 8 are turned by a quarter. */
  orientation?: number;
}

/**
 * Workaround 4. The image, opened as pdfkit's doc.image does, to be drawn any number of times.
 * Why: pdfkit's types do not describe openImage (nor doc.image taking what it returns); opening
 * once is what lets a sheet of a thousand badges embed its logo once.
 */
export function openImage(doc: PDFDoc, bytes: Buffer): PdfImage {
  return (doc as unknown as { openImage(src: Buffer): PdfImage }).openImage(bytes);
}
