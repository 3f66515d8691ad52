import type { EntityManager } from 'typeorm';
import type { AttendeeSnapshot, EventSnapshot, SessionSnapshot } from '@einlass/contracts';
import { markAttendanceChanged } from '../attendance/attendance-stream.signal';

/**
 * Keeps check-in's read model in step with registration and badges. Every write is an upsert that
 * keeps the newest state: messages may arrive twice or out of order, the result is the same.
 */
export const ReadModelProjection = {
  /** Must not lock the event's row when nothing changed: every attendee message carries it. */
  async event(manager: EntityManager, event: EventSnapshot): Promise<void> {
    const values = [
      event.id,
      event.slug,
      event.name,
      event.startsAt,
      event.endsAt,
      event.timezone,
      event.erasePersonalDataAt ?? null,
      event.revision ?? 0,
    ];
    await manager.query(
      `INSERT INTO events (id, slug, name, starts_at, ends_at, timezone, erase_personal_data_at,
                           revision)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      values,
    );
    // An older snapshot (a late message) never overwrites a newer one: the retention date would
    // move back.
    await manager.query(
      `UPDATE events SET slug = $2, name = $3, starts_at = $4, ends_at = $5, timezone = $6,
             erase_personal_data_at = coalesce($7, erase_personal_data_at), revision = $8
        WHERE id = $1 AND revision <= $8
          AND (slug, name, starts_at, ends_at, timezone, erase_personal_data_at, revision)
              IS DISTINCT FROM ($2, $3, $4::timestamptz, $5::timestamptz, $6,
                                coalesce($7::timestamptz, erase_personal_data_at), $8::int)`,
      values,
    );
  },

  async attendee(manager: EntityManager, a: AttendeeSnapshot): Promise<void> {
    await manager.query(
      `INSERT INTO attendees (id, event_id, title, first_name, last_name, organisation, category,
                              sessions, status, revision, external_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, first_name = excluded.first_name,
         last_name = excluded.last_name, organisation = excluded.organisation,
         category = excluded.category, sessions = excluded.sessions, status = excluded.status,
         revision = excluded.revision, external_id = excluded.external_id
       WHERE attendees.revision < excluded.revision AND attendees.erased_at IS NULL`,
      [
        a.id,
        a.eventId,
        a.title,
        a.firstName,
        a.lastName,
        a.organisation,
        a.category,
        a.sessions,
        a.status,
        a.revision,
        a.externalId,
      ],
    );
    markAttendanceChanged(manager, a.eventId); // registered counts
  },

  async sessions(
    manager: EntityManager,
    eventId: string,
    sessions: SessionSnapshot[],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO sessions (event_id, code, title, capacity, kind)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[])
       ON CONFLICT (event_id, code) DO UPDATE SET title = excluded.title,
         capacity = excluded.capacity, kind = excluded.kind`,
      [
        eventId,
        sessions.map((s) => s.code),
        sessions.map((s) => s.title),
        sessions.map((s) => s.capacity),
        sessions.map((s) => s.kind),
      ],
    );
    markAttendanceChanged(manager, eventId); // capacities
  },

  async publicKey(
    manager: EntityManager,
    key: { keyId: string; eventId: string; publicKey: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO signing_keys (key_id, event_id, public_key) VALUES ($1, $2, $3)
       ON CONFLICT (key_id) DO NOTHING`,
      [key.keyId, key.eventId, key.publicKey],
    );
  },

  /**
   * The organisers retired a key: its badges are refused from then on. Also when the key's first
   * badge has not arrived yet (the key is recorded with the retirement); the first time stays.
   */
  async keyRetired(
    manager: EntityManager,
    key: { keyId: string; eventId: string; publicKey: string; retiredAt: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO signing_keys (key_id, event_id, public_key, retired_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key_id) DO UPDATE SET retired_at = coalesce(signing_keys.retired_at, EXCLUDED.retired_at)`,
      [key.keyId, key.eventId, key.publicKey, key.retiredAt],
    );
  },

  /** The newest badge version wins; an older one arriving late changes nothing. */
  async badgeVersion(manager: EntityManager, attendeeId: string, version: number): Promise<void> {
    await manager.query(
      `UPDATE attendees SET badge_version = $2
        WHERE id = $1 AND (badge_version IS NULL OR badge_version < $2)`,
      [attendeeId, version],
    );
  },
};
