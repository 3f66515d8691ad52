import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttendanceRule, CertificateLanguage } from '@einlass/contracts';

export { CERTIFICATE_LANGUAGES, type CertificateLanguage } from '@einlass/contracts';

/** A session as a certificate lists it. */
export interface CertifiedSession {
  code: string;
  title: string;
  startsAt: string;
  endsAt: string;
}

/**
 * An issued attendance certificate: one per person and event, issued again (same id and code,
 * new content and date) when asked for again. Its code is signed with the event's key; /verify
 * answers from this row, so an erased person's certificate is no longer genuine.
 */
@Entity({ name: 'certificates' })
export class Certificate {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'uuid' })
  attendeeId!: string;

  @Column({ type: 'text' })
  keyId!: string;

  /** The signed verification code (libs/tickets certificate-code.ts). */
  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  language!: CertificateLanguage;

  @Column({ type: 'text' })
  rule!: AttendanceRule;

  /** The organiser named as issuer. */
  @Column({ type: 'text', nullable: true })
  issuer!: string | null;

  /** The name printed (emptied when the person is erased). */
  @Column({ type: 'text' })
  holderName!: string;

  @Column({ type: 'jsonb' })
  sessions!: CertifiedSession[];

  @Column({ type: 'timestamptz' })
  issuedAt!: Date;

  /** When the holder's data was erased: the certificate is no longer genuine. */
  @Column({ type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;
}
