import type { EntityManager } from 'typeorm';
import { EventType, StreamName, type AttendeeSnapshot } from '@einlass/contracts';
import {
  ConsumedStream,
  ProducedStream,
  toScopeSummaries,
  writeAddressedToOutbox,
} from '@einlass/outbox';
import { BadgeEvent, eventSnapshotOf } from '../events/badge-event.entity';
import { badgeIssuedPayload, signingKeyRetiredPayload } from '../published-events';

/** Badges' badges per event: how many, and the total of their versions. */
export const producedBadges: ProducedStream = {
  stream: StreamName.Badges,
  async summarise(manager: EntityManager) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope, count(*) AS count, sum(version) AS total
           FROM badges GROUP BY event_id`,
      ),
    );
  },
  /** Each badge of the event again: its current version as `badge.issued`. */
  async replay(manager, scope, queue) {
    const rows: {
      id: string;
      version: number;
      key_id: string;
      public_key: string;
      attendee: AttendeeSnapshot;
      issued_at: Date;
      event: {
        id: string;
        slug: string;
        name: string;
        venue: string | null;
        starts_at: Date;
        ends_at: Date;
        timezone: string;
      };
    }[] = await manager.query(
      `SELECT b.id, b.version, b.key_id, k.public_key, b.attendee, b.issued_at,
              json_build_object('id', e.id, 'slug', e.slug, 'name', e.name, 'venue', e.venue,
                                'starts_at', e.starts_at, 'ends_at', e.ends_at,
                                'timezone', e.timezone) AS event
         FROM badges b JOIN signing_keys k USING (key_id) JOIN events e ON e.id = b.event_id
        WHERE b.event_id = $1 ORDER BY b.id`,
      [scope],
    );
    const payloads = rows.map((row) =>
      badgeIssuedPayload(
        {
          id: row.event.id,
          slug: row.event.slug,
          name: row.event.name,
          venue: row.event.venue,
          startsAt: new Date(row.event.starts_at).toISOString(),
          endsAt: new Date(row.event.ends_at).toISOString(),
          timezone: row.event.timezone,
        },
        row.attendee,
        {
          id: row.id,
          version: row.version,
          keyId: row.key_id,
          publicKey: row.public_key,
          issuedAt: new Date(row.issued_at),
        },
      ),
    );
    await writeAddressedToOutbox(manager, EventType.BadgeIssued, payloads, queue);
    return payloads.length;
  },
};

/** Badges' retired signing keys per event: how many (the total is the same count). */
export const producedRetiredKeys: ProducedStream = {
  stream: StreamName.RetiredKeys,
  async summarise(manager: EntityManager) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope, count(*) AS count, count(*) AS total
           FROM signing_keys WHERE retired_at IS NOT NULL GROUP BY event_id`,
      ),
    );
  },
  /** Each retired key of the event again, as `signing_key.retired`. */
  async replay(manager, scope, queue) {
    const event = await manager.getRepository(BadgeEvent).findOneBy({ id: scope });
    if (!event) return 0;
    const keys: { keyId: string; publicKey: string; retiredAt: Date }[] = await manager.query(
      `SELECT key_id AS "keyId", public_key AS "publicKey", retired_at AS "retiredAt"
         FROM signing_keys WHERE event_id = $1 AND retired_at IS NOT NULL ORDER BY key_id`,
      [scope],
    );
    const payloads = keys.map((key) => signingKeyRetiredPayload(eventSnapshotOf(event), key));
    await writeAddressedToOutbox(manager, EventType.SigningKeyRetired, payloads, queue);
    return payloads.length;
  },
};

/**
 * What badges holds of registration's attendees per event: one badge each. Only the count is
 * compared: badges does not receive workshop changes (they print nowhere), so its revisions lag.
 */
export const consumedAttendees: ConsumedStream = {
  stream: StreamName.Attendees,
  compares: 'count',
  async summarise(manager, scopes) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope, count(*) AS count, sum(attendee_revision) AS total
           FROM badges WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`,
        [scopes],
      ),
    );
  },
};

/**
 * What badges holds of the door's feed per event (for attendance certificates), counted as
 * check-in counts its presence rows: people admitted at the entrance, and session admissions
 * (a person and a session once each).
 */
export const consumedDoorPassages: ConsumedStream = {
  stream: StreamName.DoorPassages,
  compares: 'count+total',
  async summarise(manager, scopes) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope,
                count(DISTINCT attendee_id) FILTER (WHERE list = 'main') AS count,
                count(DISTINCT (attendee_id, list)) FILTER (WHERE list <> 'main') AS total
           FROM certificate_admissions WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`,
        [scopes.filter((s) => s !== '*')],
      ),
    );
  },
};

/** What badges holds of check-in's door settings per event: one row each, with its revision. */
export const consumedDoorSettings: ConsumedStream = {
  stream: StreamName.DoorSettings,
  compares: 'count+total',
  async summarise(manager, scopes) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope, count(*) AS count, sum(revision) AS total
           FROM door_printing WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`,
        [scopes.filter((s) => s !== '*')],
      ),
    );
  },
};
