import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Category } from '@einlass/contracts';

/** Check-in's copy of an event. */
@Entity({ name: 'events' })
export class CheckinEvent {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'text' })
  timezone!: string;

  /** When the event's personal data is erased here (as registration last said). */
  @Column({ type: 'timestamptz', nullable: true })
  erasePersonalDataAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  personalDataErasedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  revision!: number;
}

/** A public key that badges of an event are signed with. */
@Entity({ name: 'signing_keys' })
export class PublicSigningKey {
  @PrimaryColumn({ type: 'text' })
  keyId!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  /** Raw 32-byte Ed25519 public key, base64. */
  @Column({ type: 'text' })
  publicKey!: string;

  /** When the organisers retired the key: its badges answer `revoked` (`key_retired`). */
  @Column({ type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}

/** Who may be admitted, with what a steward sees at the door. */
@Entity({ name: 'attendees' })
export class CheckinAttendee {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text', nullable: true })
  title!: string | null;

  @Column({ type: 'text' })
  firstName!: string;

  @Column({ type: 'text' })
  lastName!: string;

  @Column({ type: 'text', nullable: true })
  organisation!: string | null;

  @Column({ type: 'text' })
  category!: Category;

  @Column({ type: 'text', array: true })
  sessions!: string[];

  @Column({ type: 'text' })
  status!: 'registered' | 'cancelled';

  @Column({ type: 'int' })
  revision!: number;

  /** The badge version currently valid; null until the badge is issued. */
  @Column({ type: 'int', nullable: true })
  badgeVersion!: number | null;

  /** When the person's data was erased: the row keeps id, category, status and lists only. */
  @Column({ type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;
}

export const displayName = (a: Pick<CheckinAttendee, 'title' | 'firstName' | 'lastName'>) =>
  [a.title, a.firstName, a.lastName].filter(Boolean).join(' ');

/** What a door's answer shows of a person. */
export const doorView = (a: CheckinAttendee) => ({
  id: a.id,
  name: displayName(a),
  organisation: a.organisation,
  category: a.category,
});

/** A session of the programme: its own check-in list at its door. */
@Entity({ name: 'sessions' })
export class CheckinSession {
  @PrimaryColumn({ type: 'uuid' })
  eventId!: string;

  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'int' })
  capacity!: number;

  @Column({ type: 'text' })
  kind!: 'talk' | 'workshop';
}
