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

  /** When the event's personal data is erased here (as registration last said). */
  @Column({ type: 'timestamptz', nullable: true })
  erasePersonalDataAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  personalDataErasedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  revision!: number;
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
    event.erasePersonalDataAt ?? null,
    event.revision ?? 0,
  ];
  await manager.query(
    `INSERT INTO events (id, slug, name, venue, starts_at, ends_at, timezone,
                         erase_personal_data_at, revision)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
    values,
  );
  // An older snapshot (a late message) never overwrites a newer one: the retention date would
  // move back.
  await manager.query(
    `UPDATE events SET slug = $2, name = $3, venue = $4, starts_at = $5, ends_at = $6, timezone = $7,
           erase_personal_data_at = coalesce($8, erase_personal_data_at), revision = $9
      WHERE id = $1 AND revision <= $9
        AND (slug, name, venue, starts_at, ends_at, timezone, erase_personal_data_at, revision)
            IS DISTINCT FROM ($2, $3, $4, $5::timestamptz, $6::timestamptz, $7,
                              coalesce($8::timestamptz, erase_personal_data_at), $9::int)`,
    values,
  );
}

/** The event as messages carry it (for messages this service starts itself). */
export const eventSnapshotOf = (event: BadgeEvent): EventSnapshot => ({
  id: event.id,
  slug: event.slug,
  name: event.name,
  venue: event.venue,
  startsAt: event.startsAt.toISOString(),
  endsAt: event.endsAt.toISOString(),
  timezone: event.timezone,
  erasePersonalDataAt: event.erasePersonalDataAt?.toISOString() ?? null,
  revision: event.revision || undefined,
});
