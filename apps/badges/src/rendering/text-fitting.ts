import type { FontName } from './badge-fonts';
import { measure } from './pdfkit-workarounds';

/** Fitting a text into lines of a width: the largest size, wrapping, splitting long words. */

type PDFDoc = PDFKit.PDFDocument;

export interface FitSpec {
  maxPt: number;
  minPt: number;
  maxLines: number;
}

export interface FittedText {
  size: number;
  lines: string[];
}

/**
 * The largest size, in half points from maxPt down to minPt, at which the text wraps into at most
 * maxLines lines of the given width: first keeping every word whole, then allowing a long word to
 * break after its hyphen. At minPt it takes as many lines as it needs: a long organisation gets a
 * third line rather than losing its end.
 */
export function fitText(
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
