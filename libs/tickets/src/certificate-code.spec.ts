import { decideScan } from '@einlass/door-rules';
import { decodeCertificateCode } from './certificate-code';
import { isCertificateCode } from './ticket-format';
import {
  generateSigningKey,
  privateKeyFrom,
  publicKeyFrom,
  signCertificateCode,
  verifyCertificateCode,
  verifyTicket,
} from './ticket-signing';

const key = generateSigningKey();
const claims = {
  keyId: key.keyId,
  eventId: '2fcc4e64-9311-49ae-bb21-81a6c69e5f1c',
  certificateId: '101c26cb-0c8a-4c46-887a-bf02ef7566a6',
};
const publicKeyOf = (keyId: string) =>
  keyId === key.keyId ? publicKeyFrom(key.publicKey) : undefined;

describe('certificate code', () => {
  const code = signCertificateCode(claims, privateKeyFrom(key.privateKey));

  it('round-trips its claims and verifies with the event’s public key', () => {
    expect(code.startsWith('CERT1-')).toBe(true);
    expect(decodeCertificateCode(code).claims).toEqual(claims);
    expect(verifyCertificateCode(code, publicKeyOf)).toEqual({ valid: true, claims });
    expect(verifyCertificateCode(code.toLowerCase(), publicKeyOf).valid).toBe(true);
  });

  it('answers tampered codes and other texts without throwing', () => {
    const at = code.length - 10;
    const tampered = code.slice(0, at) + (code[at] === 'A' ? 'B' : 'A') + code.slice(at + 1);
    expect(verifyCertificateCode(tampered, publicKeyOf)).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
    expect(verifyCertificateCode('CERT1-ABC', publicKeyOf).valid).toBe(false);
    expect(verifyCertificateCode('%%%', publicKeyOf)).toEqual({
      valid: false,
      reason: 'malformed',
    });
    expect(verifyCertificateCode(code, () => undefined)).toEqual({
      valid: false,
      reason: 'unknown_key',
    });
  });

  it('is never a badge: the door refuses the code and its /verify address', () => {
    for (const text of [code, `https://einlass.example.org/verify?c=${code}`]) {
      expect(isCertificateCode(text)).toBe(true);
      const verification = verifyTicket(text, publicKeyOf);
      expect(verification).toMatchObject({ valid: false, reason: 'certificate' });
      expect(
        decideScan({
          verification,
          eventId: claims.eventId,
          holder: undefined,
          list: { kind: 'main' },
          direction: 'in',
        }),
      ).toMatchObject({ action: 'refuse', result: 'invalid', reason: 'certificate' });
    }
  });
});
