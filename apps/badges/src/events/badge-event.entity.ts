import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EventSnapshot } from '@einlass/contracts';
import type { EntityManager } from 'typeorm';

/** The badges service's copy of an event: what a badge prints about it. */
@Entity({ name: 'events' })
export class BadgeEvent {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

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

  @Column({ type: 'text' })
  timezone!: string;
}

/** Records the latest snapshot of an event (snapshots of one event may arrive in any order). */
export async function upsertEvent(manager: EntityManager, event: EventSnapshot): Promise<void> {
  await manager.query(
    `INSERT INTO events (id, slug, name, venue, starts_at, ends_at, timezone)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, name = excluded.name, venue = excluded.venue,
       starts_at = excluded.starts_at, ends_at = excluded.ends_at, timezone = excluded.timezone`,
    [event.id, event.slug, event.name, event.venue, event.startsAt, event.endsAt, event.timezone],
  );
}
