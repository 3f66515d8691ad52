import type { EntityManager } from 'typeorm';
import { EventType, StreamName } from '@einlass/contracts';
import {
  ConsumedStream,
  ProducedStream,
  toScopeSummaries,
  writeAddressedToOutbox,
} from '@einlass/outbox';
import { doorPassage } from '../published-events';

/** The door's admissions per event: people admitted at the entrance, and session admissions. */
export const producedDoorPassages: ProducedStream = {
  stream: StreamName.DoorPassages,
  async summarise(manager: EntityManager) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope, count(*) FILTER (WHERE list = 'main') AS count,
                count(*) FILTER (WHERE list <> 'main') AS total
           FROM presence GROUP BY event_id`,
      ),
    );
  },
  /** Each first admission again, and the exit of those at the entrance who are not inside. */
  async replay(manager, scope, queue) {
    const rows: {
      list: string;
      attendee_id: string;
      first_admitted_at: Date;
      first_gate: string;
      inside: boolean;
      last_change_at: Date;
    }[] = await manager.query(
      `SELECT list, attendee_id, first_admitted_at, first_gate, inside, last_change_at
         FROM presence WHERE event_id = $1`,
      [scope],
    );
    const passage = (row: (typeof rows)[number], at: Date) =>
      doorPassage(scope, row.attendee_id, row.list, row.first_gate, new Date(at));
    const admitted = rows.map((row) => passage(row, row.first_admitted_at));
    const left = rows
      .filter((row) => row.list === 'main' && !row.inside)
      .map((row) => passage(row, row.last_change_at));
    await writeAddressedToOutbox(manager, EventType.AttendeeCheckedIn, admitted, queue);
    await writeAddressedToOutbox(manager, EventType.AttendeeLeft, left, queue);
    return admitted.length + left.length;
  },
};

/** An event's door settings (one row, if any): the count, and its revision as the total. */
export const producedDoorSettings: ProducedStream = {
  stream: StreamName.DoorSettings,
  async summarise(manager: EntityManager) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope, count(*) AS count, sum(revision) AS total
           FROM door_settings GROUP BY event_id`,
      ),
    );
  },
  /** The event's door settings again, as `door_settings.changed` with their revision. */
  async replay(manager, scope, queue) {
    const rows: { revision: number; devices_may_print: boolean }[] = await manager.query(
      `SELECT revision, devices_may_print FROM door_settings WHERE event_id = $1`,
      [scope],
    );
    const payloads = rows.map((row) => ({
      eventId: scope,
      revision: row.revision,
      devicesMayPrint: row.devices_may_print,
    }));
    await writeAddressedToOutbox(manager, EventType.DoorSettingsChanged, payloads, queue);
    return payloads.length;
  },
};

/** What check-in holds of registration's attendees per event: how many, total of revisions. */
export const consumedAttendees: ConsumedStream = {
  stream: StreamName.Attendees,
  compares: 'count+total',
  async summarise(manager, scopes) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope, count(*) AS count, sum(revision) AS total
           FROM attendees WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`,
        [scopes],
      ),
    );
  },
};

/** What check-in holds of badges' badges per event: badges known, total of their versions. */
export const consumedBadges: ConsumedStream = {
  stream: StreamName.Badges,
  compares: 'count+total',
  async summarise(manager, scopes) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope, count(badge_version) AS count, sum(badge_version) AS total
           FROM attendees WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`,
        [scopes],
      ),
    );
  },
};

/** What check-in holds of badges' retired keys per event: how many it knows retired. */
export const consumedRetiredKeys: ConsumedStream = {
  stream: StreamName.RetiredKeys,
  compares: 'count',
  async summarise(manager, scopes) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope, count(*) AS count, count(*) AS total
           FROM signing_keys WHERE retired_at IS NOT NULL AND event_id = ANY($1::uuid[])
          GROUP BY event_id`,
        [scopes],
      ),
    );
  },
};
