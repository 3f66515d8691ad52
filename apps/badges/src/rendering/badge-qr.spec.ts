import { createHash } from 'node:crypto';
import * as QRCode from 'qrcode';
import { BADGE_LAYOUT, MM } from './badge-design';
import { createBadgeQr } from './badge-qr';

/** A 165-character base32 token, like a real signed badge text, the same on every run. */
function base32Token(length: number, seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const byte of createHash('sha256').update(`${seed}:${round}`).digest())
      out += alphabet[byte % 32];
  }
  return out.slice(0, length);
}

const QR_TEXT = base32Token(165, 'badge');

describe('createBadgeQr', () => {
  it('prints the QR symbol at least 30 mm wide', () => {
    const qr = createBadgeQr(QR_TEXT);
    const symbolMm = (qr.moduleCount * qr.modulePt) / MM;
    expect(symbolMm).toBeGreaterThanOrEqual(30);
    // The symbol and its quiet zone fit across the badge with room to spare.
    const withQuietZoneMm = symbolMm + (2 * BADGE_LAYOUT.qrQuietModules * qr.modulePt) / MM;
    expect(withQuietZoneMm).toBeLessThan(BADGE_LAYOUT.widthMm - 2 * BADGE_LAYOUT.marginMm);
  });

  it('says alphanumeric mode for base32, and gets the symbol the encoder would choose', () => {
    const qr = createBadgeQr(QR_TEXT);
    const { modules } = QRCode.create(QR_TEXT, { errorCorrectionLevel: 'M' });
    expect(qr.moduleCount).toBe(modules.size);
    for (let row = 0; row < modules.size; row++) {
      for (let column = 0; column < modules.size; column++) {
        expect(qr.isDark(row, column)).toBe(modules.data[row * modules.size + column] === 1);
      }
    }
  });
});
