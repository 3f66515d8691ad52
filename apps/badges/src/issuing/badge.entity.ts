import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttendeeSnapshot } from '@einlass/contracts';

export type BadgeStatus = 'issued' | 'revoked';

/** An attendee's badge: the signed QR text and what is printed beside it. */
@Entity({ name: 'badges' })
export class Badge {
  /** The attendee's id: one badge per attendee, re-issued with a higher version. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  status!: BadgeStatus;

  /** The exact text of the QR code. */
  @Column({ type: 'text' })
  qr!: string;

  @Column({ type: 'text' })
  keyId!: string;

  /** The attendee as last heard of: what the badge prints. */
  @Column({ type: 'jsonb' })
  attendee!: AttendeeSnapshot;

  @Column({ type: 'int' })
  attendeeRevision!: number;

  @Column({ type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  printedAt!: Date | null;

  /** When the holder's data was erased: the badge is revoked for good and prints no name. */
  @Column({ type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;
}

/** Printed under the QR code, for reading out when a camera fails: the token's first characters. */
export const shortCode = (qr: string) => `${qr.slice(0, 4)}-${qr.slice(4, 8)}`;
