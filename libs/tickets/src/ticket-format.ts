import { base32Decode, base32Encode } from './base32';

/**
 * The text in a badge's QR code. It names the event and the badge, never the person, and is signed
 * with the event's Ed25519 key, so a door device can check it with the public key alone.
 *
 * Bytes (39 signed + 64 signature = 103, 165 base32 characters, a QR code of version 7 at level M):
 *
 *   0      format version (1)
 *   1..4   key id: which of the event's keys signed it (keys can rotate)
 *   5..20  event id (UUID)
 *   21..36 badge id (UUID; the attendee's id: one badge per attendee)
 *   37..38 badge version, big-endian (a reprint gets a new version; older ones are revoked)
 *   39..   Ed25519 signature over bytes 0..38
 *
 * The base32 text is reversed, as pretix does, so the tokens of one event do not share a prefix
 * and a few typed characters find a badge.
 *
 * This file is plain TypeScript over Uint8Array, with no Node APIs, so the scanner page can use it.
 */
export const TICKET_FORMAT_VERSION = 1;
export const SIGNED_LENGTH = 39;
export const SIGNATURE_LENGTH = 64;
export const TICKET_LENGTH = SIGNED_LENGTH + SIGNATURE_LENGTH;
/** Length of a token's text; anything else is not a token. */
export const TICKET_TEXT_LENGTH = Math.ceil((TICKET_LENGTH * 8) / 5);

export interface TicketClaims {
  /** 8 lower-case hex digits. */
  keyId: string;
  eventId: string;
  badgeId: string;
  badgeVersion: number;
}

export interface DecodedTicket {
  claims: TicketClaims;
  /** The bytes the signature covers. */
  signed: Uint8Array;
  signature: Uint8Array;
}

/** What checking a QR text found (the server and the scanner page answer alike). */
export type TicketVerification =
  | { valid: true; claims: TicketClaims }
  | {
      valid: false;
      /** `certificate`: an attendance certificate's code (certificate-code.ts), never a badge. */
      reason: 'malformed' | 'unknown_key' | 'bad_signature' | 'certificate';
      detail: string;
    };

export class TicketFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TicketFormatError';
  }
}

const HEX = /^[0-9a-f]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function hexToBytes(hex: string, target: Uint8Array, offset: number): void {
  for (let i = 0; i < hex.length; i += 2)
    target[offset + i / 2] = parseInt(hex.slice(i, i + 2), 16);
}

/** Two hex digits per byte value (this file also runs in the scanner page: no Buffer). */
const HEX_OF_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_OF_BYTE[bytes[i]];
  return out;
}

function bytesToUuid(bytes: Uint8Array): string {
  const h = bytesToHex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The bytes to sign for these claims. Throws on claims that cannot be encoded. */
export function encodeClaims(claims: TicketClaims): Uint8Array {
  const eventId = claims.eventId.toLowerCase();
  const badgeId = claims.badgeId.toLowerCase();
  if (claims.keyId.length !== 8 || !HEX.test(claims.keyId)) {
    throw new TicketFormatError('keyId must be 8 lower-case hex digits');
  }
  if (!UUID.test(eventId)) throw new TicketFormatError('eventId must be a UUID');
  if (!UUID.test(badgeId)) throw new TicketFormatError('badgeId must be a UUID');
  if (
    !Number.isInteger(claims.badgeVersion) ||
    claims.badgeVersion < 1 ||
    claims.badgeVersion > 0xffff
  ) {
    throw new TicketFormatError('badgeVersion must be a whole number from 1 to 65535');
  }
  const bytes = new Uint8Array(SIGNED_LENGTH);
  bytes[0] = TICKET_FORMAT_VERSION;
  hexToBytes(claims.keyId, bytes, 1);
  hexToBytes(eventId.replace(/-/g, ''), bytes, 5);
  hexToBytes(badgeId.replace(/-/g, ''), bytes, 21);
  bytes[37] = claims.badgeVersion >> 8;
  bytes[38] = claims.badgeVersion & 0xff;
  return bytes;
}

/** Joins signed bytes and their signature into the QR text. */
export function formatTicket(signed: Uint8Array, signature: Uint8Array): string {
  if (signed.length !== SIGNED_LENGTH || signature.length !== SIGNATURE_LENGTH) {
    throw new TicketFormatError('wrong length of signed bytes or signature');
  }
  const all = new Uint8Array(TICKET_LENGTH);
  all.set(signed, 0);
  all.set(signature, SIGNED_LENGTH);
  return [...base32Encode(all)].reverse().join('');
}

/**
 * Reads a QR text without checking its signature. Throws TicketFormatError for anything that is
 * not a well-formed token (wrong length, characters, format version).
 */
export function decodeTicket(text: string): DecodedTicket {
  // Handheld scanners may add whitespace; QR readers may hand back lower case.
  const normalised = text.trim().toUpperCase();
  if (normalised.length !== TICKET_TEXT_LENGTH) {
    throw new TicketFormatError(`not a badge code: expected ${TICKET_TEXT_LENGTH} characters`);
  }
  const bytes = base32Decode(normalised.split('').reverse().join(''));
  if (!bytes || bytes.length !== TICKET_LENGTH) {
    throw new TicketFormatError('not a badge code: unexpected characters');
  }
  if (bytes[0] !== TICKET_FORMAT_VERSION) {
    throw new TicketFormatError(`unsupported badge code format ${bytes[0]}`);
  }
  const badgeVersion = (bytes[37] << 8) | bytes[38];
  if (badgeVersion === 0) throw new TicketFormatError('not a badge code: version 0');
  return {
    claims: {
      keyId: bytesToHex(bytes.subarray(1, 5)),
      eventId: bytesToUuid(bytes.subarray(5, 21)),
      badgeId: bytesToUuid(bytes.subarray(21, 37)),
      badgeVersion,
    },
    signed: bytes.slice(0, SIGNED_LENGTH),
    signature: bytes.slice(SIGNED_LENGTH),
  };
}

/**
 * The start of an attendance certificate's code (certificate-code.ts): a signed token of another
 * kind, which a door must refuse however it is signed.
 */
export const CERTIFICATE_PREFIX = 'CERT1-';

/** Whether a scanned text is a certificate's code or its /verify address: never a badge. */
export function isCertificateCode(text: string): boolean {
  const trimmed = text.trim().toUpperCase();
  return trimmed.startsWith(CERTIFICATE_PREFIX) || trimmed.includes(`C=${CERTIFICATE_PREFIX}`);
}
