import { create } from 'qrcode';
import { base32Decode, base32Encode } from './base32';
import {
  decodeTicket,
  encodeClaims,
  TICKET_TEXT_LENGTH,
  TicketClaims,
  TicketFormatError,
} from './ticket-format';
import {
  generateSigningKey,
  privateKeyFrom,
  publicKeyFrom,
  signTicket,
  verifyTicket,
} from './ticket-signing';

const claims: TicketClaims = {
  keyId: '0a1b2c3d',
  eventId: '2fcc4e64-9311-49ae-bb21-81a6c69e5f1c',
  badgeId: '101c26cb-0c8a-4c46-887a-bf02ef7566a6',
  badgeVersion: 3,
};

describe('base32', () => {
  it('round-trips any bytes', () => {
    for (const length of [0, 1, 5, 39, 103]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);
      expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    }
  });

  it('refuses characters outside the alphabet and stray bits', () => {
    expect(base32Decode('ABC1')).toBeUndefined();
    expect(base32Decode('abcd')).toBeUndefined();
    expect(base32Decode('AB')).toBeUndefined(); // 10 bits: 2 stray bits that are not zero
  });
});

describe('badge token', () => {
  const key = generateSigningKey();
  const privateKey = privateKeyFrom(key.privateKey);
  const publicKey = publicKeyFrom(key.publicKey);
  const lookup = (id: string) => (id === claims.keyId ? publicKey : undefined);
  const token = signTicket(claims, privateKey);

  it('is upper-case base32 of fixed length, fitting a version 7 QR code at level M', () => {
    expect(token).toMatch(/^[A-Z2-7]+$/);
    expect(token).toHaveLength(TICKET_TEXT_LENGTH);
    const qr = create(token, { errorCorrectionLevel: 'M' });
    expect(qr.version).toBeLessThanOrEqual(7);
  });

  it('holds the event, the badge and its version, and nothing else', () => {
    expect(decodeTicket(token).claims).toEqual(claims);
  });

  it('verifies with the public key alone', () => {
    expect(verifyTicket(token, lookup)).toEqual({ valid: true, claims });
  });

  it('tolerates what scanners add: lower case and surrounding whitespace', () => {
    expect(verifyTicket(`  ${token.toLowerCase()}\r\n`, lookup).valid).toBe(true);
  });

  it('detects a single changed character anywhere in the token', () => {
    for (let i = 0; i < token.length; i += 7) {
      const altered = token.slice(0, i) + (token[i] === 'Q' ? 'R' : 'Q') + token.slice(i + 1);
      const result = verifyTicket(altered, (id) => (id === claims.keyId ? publicKey : publicKey));
      expect(result.valid).toBe(false);
    }
  });

  it('refuses a token signed with another key, even one claiming the same key id', () => {
    const other = generateSigningKey();
    const forged = signTicket(claims, privateKeyFrom(other.privateKey));
    expect(verifyTicket(forged, lookup)).toMatchObject({ valid: false, reason: 'bad_signature' });
    const unknown = signTicket({ ...claims, keyId: other.keyId }, privateKeyFrom(other.privateKey));
    expect(verifyTicket(unknown, lookup)).toMatchObject({ valid: false, reason: 'unknown_key' });
  });

  it('answers malformed for text that is not a token, without throwing', () => {
    for (const text of [
      '',
      'hello',
      'A'.repeat(TICKET_TEXT_LENGTH),
      '1'.repeat(TICKET_TEXT_LENGTH),
      'ä'.repeat(10_000),
    ]) {
      expect(verifyTicket(text, lookup)).toMatchObject({ valid: false, reason: 'malformed' });
    }
  });

  it('refuses claims it cannot encode', () => {
    expect(() => encodeClaims({ ...claims, keyId: 'xyz' })).toThrow(TicketFormatError);
    expect(() => encodeClaims({ ...claims, eventId: 'not-a-uuid' })).toThrow(TicketFormatError);
    expect(() => encodeClaims({ ...claims, badgeVersion: 0 })).toThrow(TicketFormatError);
    expect(() => encodeClaims({ ...claims, badgeVersion: 70_000 })).toThrow(TicketFormatError);
  });

  it('makes tokens of one event that do not share a prefix', () => {
    const second = signTicket(
      { ...claims, badgeId: '201c26cb-0c8a-4c46-887a-bf02ef7566a6' },
      privateKey,
    );
    expect(second.slice(0, 4)).not.toBe(token.slice(0, 4));
  });
});
