import * as QRCode from 'qrcode';
import { BADGE_LAYOUT, MM } from './badge-design';

/** The QR code on a badge: encoded from the badge's QR text, drawn as vectors. */

type PDFDoc = PDFKit.PDFDocument;

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

/** The symbol as filled rectangles, one per run of dark modules in a row: vectors, sharp at any printer resolution. */
export function drawQr(doc: PDFDoc, qr: BadgeQr, left: number, top: number): void {
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
