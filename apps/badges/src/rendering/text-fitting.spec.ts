import PDFDocument from 'pdfkit';
import { BadgeFontSet, BOLD, registerBadgeFonts } from './badge-fonts';
import { fitText } from './text-fitting';
import { measure } from './pdfkit-workarounds';

describe('fitText', () => {
  const doc = new PDFDocument({ size: 'A6', margin: 0 });
  registerBadgeFonts(doc, new BadgeFontSet());
  const widthOf = (text: string, size: number) => measure(doc, BOLD, text, size);

  afterAll(() => doc.end());

  it('keeps a short text on one line at the largest size', () => {
    expect(fitText(doc, BOLD, 'Anna', { maxPt: 24, minPt: 11, maxLines: 2 }, 200)).toEqual({
      size: 24,
      lines: ['Anna'],
    });
  });

  it('normalises spaces and composes accents before it measures', () => {
    const fitted = fitText(doc, BOLD, '  Nguye\u0302\u0303n   Thi\u0323 ', spec(1), 300);
    expect(fitted.lines).toEqual(['Nguyễn Thị']);
  });

  it('shrinks in half points until the text fits the lines it may take', () => {
    const text = 'Hohenstein Rüdigershausen';
    const width = widthOf(text, 20) + 1;
    const fitted = fitText(doc, BOLD, text, { maxPt: 24, minPt: 11, maxLines: 1 }, width);
    expect(fitted.size).toBe(20);
    expect(fitted.lines).toEqual([text]);
  });

  it('wraps at spaces, every word whole, when it may take more lines', () => {
    const text = 'Stadtverwaltung Nordhausen Bauamt';
    const width = widthOf('Stadtverwaltung Nordhausen', 11) + 1;
    const fitted = fitText(doc, BOLD, text, { maxPt: 11, minPt: 7.5, maxLines: 2 }, width);
    expect(fitted).toEqual({ size: 11, lines: ['Stadtverwaltung Nordhausen', 'Bauamt'] });
  });

  it('splits a word too long for any line after its hyphen, never losing a letter', () => {
    const text = 'Hohenstein-Rüdigershausen';
    const width = widthOf('Rüdigershausen', 10) + 1;
    const fitted = fitText(doc, BOLD, text, { maxPt: 10, minPt: 10, maxLines: 1 }, width);
    expect(fitted.lines).toEqual(['Hohenstein-', 'Rüdigershausen']);
    expect(fitted.lines.join('')).toBe(text);
  });

  function spec(maxLines: number) {
    return { maxPt: 12, minPt: 8, maxLines };
  }
});
