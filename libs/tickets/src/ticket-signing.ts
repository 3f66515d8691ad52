import { createPrivateKey, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import { crypto_sign_verify_detached } from 'sodium-native';
import {
  type CertificateClaims,
  decodeCertificateCode,
  encodeCertificateClaims,
  formatCertificateCode,
} from './certificate-code';
import {
  isCertificateCode,
  decodeTicket,
  encodeClaims,
  formatTicket,
  TicketClaims,
  TicketFormatError,
  type TicketVerification,
} from './ticket-format';

/** An event's signing key as the badges service stores it. */
export interface SigningKeyPair {
  keyId: string;
  /** Raw 32-byte Ed25519 public key, base64: all a verifier needs. */
  publicKey: string;
  /** PKCS#8 DER, base64. Never leaves the badges service. */
  privateKey: string;
}

export function generateSigningKey(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  if (!jwk.x) throw new Error('Ed25519 public key without x');
  return {
    keyId: randomBytes(4).toString('hex'),
    publicKey: Buffer.from(jwk.x, 'base64url').toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

export function privateKeyFrom(pkcs8Base64: string): KeyObject {
  return createPrivateKey({
    key: Buffer.from(pkcs8Base64, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
}

/** An event's public key, all a door needs to tell a genuine badge from a forged one. */
export interface VerifyingKey {
  /** The raw 32-byte Ed25519 public key. */
  readonly raw: Uint8Array;
}

export function publicKeyFrom(rawBase64: string): VerifyingKey {
  const raw = Buffer.from(rawBase64, 'base64');
  if (raw.length !== 32) throw new TicketFormatError('an Ed25519 public key has 32 bytes');
  return { raw };
}

/** Signs claims with the event's private key and returns the QR text. */
export function signTicket(claims: TicketClaims, privateKey: KeyObject): string {
  const signed = encodeClaims(claims);
  return formatTicket(signed, sign(null, signed, privateKey));
}

/**
 * Checks a QR text. `publicKeyOf` finds the public key for a key id (undefined when unknown).
 * Never throws for bad input: every failure is a result.
 */
export function verifyTicket(
  text: string,
  publicKeyOf: (keyId: string) => VerifyingKey | undefined,
): TicketVerification {
  if (isCertificateCode(text)) {
    return {
      valid: false,
      reason: 'certificate',
      detail: 'an attendance certificate, not a badge',
    };
  }
  let decoded;
  try {
    decoded = decodeTicket(text);
  } catch (error) {
    const detail = error instanceof TicketFormatError ? error.message : 'unreadable';
    return { valid: false, reason: 'malformed', detail };
  }
  const key = publicKeyOf(decoded.claims.keyId);
  if (!key)
    return { valid: false, reason: 'unknown_key', detail: 'signed with a key nobody issued' };
  // libsodium rather than node:crypto: the same Ed25519, in half the time (OpenSSL 3 verifies
  // slowly), and every scan at the door verifies one (bench/scan.bench.ts).
  if (!crypto_sign_verify_detached(decoded.signature, decoded.signed, key.raw)) {
    return { valid: false, reason: 'bad_signature', detail: 'the signature does not match' };
  }
  return { valid: true, claims: decoded.claims };
}

/** Signs a certificate's claims with the event's private key: the certificate's code. */
export function signCertificateCode(claims: CertificateClaims, privateKey: KeyObject): string {
  const signed = encodeCertificateClaims(claims);
  return formatCertificateCode(signed, sign(null, signed, privateKey));
}

/** What checking a certificate code found; never throws for bad input. */
export type CertificateCodeVerification =
  | { valid: true; claims: CertificateClaims }
  | { valid: false; reason: 'malformed' | 'unknown_key' | 'bad_signature' };

export function verifyCertificateCode(
  text: string,
  publicKeyOf: (keyId: string) => VerifyingKey | undefined,
): CertificateCodeVerification {
  let decoded;
  try {
    decoded = decodeCertificateCode(text);
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  const key = publicKeyOf(decoded.claims.keyId);
  if (!key) return { valid: false, reason: 'unknown_key' };
  if (!crypto_sign_verify_detached(decoded.signature, decoded.signed, key.raw)) {
    return { valid: false, reason: 'bad_signature' };
  }
  return { valid: true, claims: decoded.claims };
}
