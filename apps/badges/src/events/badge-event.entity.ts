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

/**
 * Records the latest snapshot of an event. Every attendee message carries one, so this must not
 * lock the event's row when nothing changed (an upsert would, and serialise all consumers).
 */
export async function upsertEvent(manager: EntityManager, event: EventSnapshot): Promise<void> {
  const values = [
    event.id,
    event.slug,
    event.name,
    event.venue,
    event.startsAt,
    event.endsAt,
    event.timezone,
  ];
  await manager.query(
    `INSERT INTO events (id, slug, name, venue, starts_at, ends_at, timezone)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    values,
  );
  await manager.query(
    `UPDATE events SET slug = $2, name = $3, venue = $4, starts_at = $5, ends_at = $6, timezone = $7
      WHERE id = $1
        AND (slug, name, venue, starts_at, ends_at, timezone)
            IS DISTINCT FROM ($2, $3, $4, $5::timestamptz, $6::timestamptz, $7)`,
    values,
  );
}
