import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An event's Ed25519 key pair. The private key never leaves this service; the public key travels
 * with every `badge.issued`, so check-in and door devices can verify badges on their own.
 */
@Entity({ name: 'signing_keys' })
export class SigningKey {
  /** 8 hex digits, written into every token it signs. */
  @PrimaryColumn({ type: 'text' })
  keyId!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  /** Raw 32-byte public key, base64. */
  @Column({ type: 'text' })
  publicKey!: string;

  /** PKCS#8 DER, base64. */
  @Column({ type: 'text', select: false })
  privateKey!: string;

  /** The key new badges of the event are signed with (one per event). */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** When the organisers retired it (it leaked): its badges are refused from then on. */
  @Column({ type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
