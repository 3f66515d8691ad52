import { base32Decode, base32Encode } from './base32';
import { CERTIFICATE_PREFIX, TicketFormatError } from './ticket-format';

/**
 * The verification code of an attendance certificate (Teilnahmebescheinigung). Signed with the
 * event's Ed25519 key like a badge, but a different kind of token that a door must never take for
 * a badge: its text starts with CERTIFICATE_PREFIX (a badge is bare base32), and its signed bytes
 * start with CERTIFICATE_KIND where a badge's start with its format version 1, so no signature
 * over one can pass as a signature over the other.
 *
 * Bytes (37 signed + 64 signature = 101, 162 base32 characters after the prefix):
 *
 *   0      CERTIFICATE_KIND (0xC1)
 *   1..4   key id (which of the event's keys signed it)
 *   5..20  event id (UUID)
 *   21..36 certificate id (UUID)
 *   37..   Ed25519 signature over bytes 0..36
 *
 * The QR code on the certificate holds the check-in host's `/verify?c=<code>` address, so a phone
 * opens the verification page; isCertificateCode (ticket-format.ts, which the scanner page
 * shares) recognises both forms.
 */
export const CERTIFICATE_KIND = 0xc1;
const SIGNED = 37;
const SIGNATURE = 64;
const TEXT_LENGTH = Math.ceil(((SIGNED + SIGNATURE) * 8) / 5);

export interface CertificateClaims {
  keyId: string;
  eventId: string;
  certificateId: string;
}

export interface DecodedCertificateCode {
  claims: CertificateClaims;
  signed: Uint8Array;
  signature: Uint8Array;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const uuidOf = (bytes: Uint8Array) => {
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
function putHex(text: string, target: Uint8Array, offset: number): void {
  for (let i = 0; i < text.length; i += 2)
    target[offset + i / 2] = parseInt(text.slice(i, i + 2), 16);
}

/** The bytes to sign for these claims. */
export function encodeCertificateClaims(claims: CertificateClaims): Uint8Array {
  if (!/^[0-9a-f]{8}$/.test(claims.keyId))
    throw new TicketFormatError('keyId must be 8 hex digits');
  if (!UUID.test(claims.eventId)) throw new TicketFormatError('eventId must be a UUID');
  if (!UUID.test(claims.certificateId)) throw new TicketFormatError('certificateId must be a UUID');
  const bytes = new Uint8Array(SIGNED);
  bytes[0] = CERTIFICATE_KIND;
  putHex(claims.keyId, bytes, 1);
  putHex(claims.eventId.replace(/-/g, ''), bytes, 5);
  putHex(claims.certificateId.replace(/-/g, ''), bytes, 21);
  return bytes;
}

export function formatCertificateCode(signed: Uint8Array, signature: Uint8Array): string {
  if (signed.length !== SIGNED || signature.length !== SIGNATURE) {
    throw new TicketFormatError('wrong length of signed bytes or signature');
  }
  const all = new Uint8Array(SIGNED + SIGNATURE);
  all.set(signed, 0);
  all.set(signature, SIGNED);
  return CERTIFICATE_PREFIX + base32Encode(all);
}

/** Reads a certificate code without checking its signature; throws TicketFormatError. */
export function decodeCertificateCode(text: string): DecodedCertificateCode {
  const normalised = text.trim().toUpperCase();
  if (!normalised.startsWith(CERTIFICATE_PREFIX)) {
    throw new TicketFormatError('not a certificate code');
  }
  const body = normalised.slice(CERTIFICATE_PREFIX.length);
  if (body.length !== TEXT_LENGTH) {
    throw new TicketFormatError(`not a certificate code: expected ${TEXT_LENGTH} characters`);
  }
  const bytes = base32Decode(body);
  if (!bytes || bytes.length !== SIGNED + SIGNATURE || bytes[0] !== CERTIFICATE_KIND) {
    throw new TicketFormatError('not a certificate code: unexpected characters');
  }
  return {
    claims: {
      keyId: hex(bytes.subarray(1, 5)),
      eventId: uuidOf(bytes.subarray(5, 21)),
      certificateId: uuidOf(bytes.subarray(21, 37)),
    },
    signed: bytes.slice(0, SIGNED),
    signature: bytes.slice(SIGNED),
  };
}
