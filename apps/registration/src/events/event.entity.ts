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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

export function eventSnapshot(event: Event): EventSnapshot {
  return {
    id: event.id,
    slug: event.slug,
    name: event.name,
    venue: event.venue,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    timezone: event.timezone,
  };
}

export function eventView(event: Event) {
  return { ...eventSnapshot(event), createdAt: event.createdAt.toISOString() };
}
