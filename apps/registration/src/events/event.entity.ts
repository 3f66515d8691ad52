import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { EventSnapshot } from '@einlass/contracts';

@Entity({ name: 'events' })
export class Event {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Short name in URLs (`tegk-2023`); unique. */
  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  venue!: string | null;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  /** IANA time zone the event happens in (`Europe/Berlin`). */
  @Column({ type: 'text' })
  timezone!: string;

  /** When every service erases the event's personal data (by default 90 days after it ends). */
  @Column({ type: 'timestamptz' })
  erasePersonalDataAt!: Date;

  /** When registration erased it (the date had passed, or an organiser erased it at once). */
  @Column({ type: 'timestamptz', nullable: true })
  personalDataErasedAt!: Date | null;

  /** Grows with each change of the event; consumers keep the newest snapshot. */
  @Column({ type: 'int', default: 1 })
  revision!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** How long personal data is kept after an event ends, unless the organisers say otherwise. */
export const DEFAULT_RETENTION_DAYS = 90;

/**
 * 90 days after the event ends, or after now for an event entered after it ended (a past event
 * loaded for its records must not lose its data minutes later without anyone deciding so).
 */
export const defaultErasureDate = (endsAt: Date, now = new Date()) =>
  new Date(Math.max(endsAt.getTime(), now.getTime()) + DEFAULT_RETENTION_DAYS * 24 * 3600 * 1000);

export function eventSnapshot(event: Event): EventSnapshot {
  return {
    id: event.id,
    slug: event.slug,
    name: event.name,
    venue: event.venue,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    timezone: event.timezone,
    erasePersonalDataAt: event.erasePersonalDataAt.toISOString(),
    revision: event.revision,
  };
}

export function eventView(event: Event) {
  return {
    ...eventSnapshot(event),
    personalDataErasedAt: event.personalDataErasedAt?.toISOString() ?? null,
    createdAt: event.createdAt.toISOString(),
  };
}
