import type { EntityManager } from 'typeorm';
import { type DoorPassage, EVENT_ROUTES, EventType } from '@einlass/contracts';
import { writeManyToOutbox, writeToOutbox } from '@einlass/outbox';

/*
 * What check-in publishes (routes: EVENT_ROUTES, payloads: libs/contracts/src/events.ts): the
 * door's live feed, for registration (and badges' certificates), written to the outbox in the
 * transaction of the scan by the AdmissionWriter (scanning/admission-writer.ts):
 *
 *   attendee.checked_in   attendeesCheckedIn: an admission (a session, a manual check-in, one
 *                         entrance admission alone)
 *   attendees.checked_in  attendeesCheckedIn (attendeesCheckedInStatement inside an online group's
 *                         one statement): the admissions of a group of entrance scans written
 *                         together (AdmissionBatcher), one message per event of the group: at the
 *                         door's rate one row, relay round and job per group, not per person
 *   attendee.left         attendeeLeft: a scan on the way out
 *
 * and, for badges, in the transaction that changes them (door-settings/door-settings.ts):
 *
 *   door_settings.changed doorSettingsChanged: the organisers changed an event's door settings
 *
 * The reconciliation sends the same passages again to a consumer that misses some
 * (reconciliation/checkin.streams.ts, with doorPassage).
 */

/** A passage through a door as the feed carries it (`at`: when the badge was seen). */
export function doorPassage(
  eventId: string,
  attendeeId: string,
  list: string,
  gate: string,
  at: Date,
  flag: DoorPassage['flag'] = null,
): DoorPassage {
  return { eventId, attendeeId, list, gate, at: at.toISOString(), flag };
}

/**
 * The admissions of one transaction (none: nothing written): `attendee.checked_in` for one alone,
 * else one `attendees.checked_in` per event carrying its passages in order.
 */
export async function attendeesCheckedIn(
  manager: EntityManager,
  passages: DoorPassage[],
): Promise<void> {
  if (passages.length <= 1) {
    await writeManyToOutbox(manager, EventType.AttendeeCheckedIn, passages);
    return;
  }
  const byEvent = new Map<string, DoorPassage[]>();
  for (const passage of passages) {
    const ofEvent = byEvent.get(passage.eventId);
    if (ofEvent) ofEvent.push(passage);
    else byEvent.set(passage.eventId, [passage]);
  }
  await writeManyToOutbox(
    manager,
    EventType.AttendeesCheckedIn,
    [...byEvent].map(([eventId, ofEvent]) => ({ eventId, passages: ofEvent })),
  );
}

/** A timestamp as the feed carries it (`Date#toISOString`: UTC, milliseconds), in SQL. */
export const ISO_TIMESTAMP_SQL = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * attendeesCheckedIn inside a statement of the caller's (the AdmissionWriter's online group, one
 * statement for the whole group): the body of a data-modifying CTE writing the same messages for
 * the admissions in `relation` (columns event_id, attendee_id, gate and i, the order), seen now.
 * Its parameters are numbered from `first`; the caller appends `parameters` to its own. The
 * statement writes data and messages atomically on its own; once it has run, the caller calls
 * outboxWritten() (libs/outbox).
 */
export function attendeesCheckedInStatement(
  relation: string,
  first: number,
): { sql: string; parameters: unknown[] } {
  const [oneQueues, oneType, manyQueues, manyType] = [0, 1, 2, 3].map((n) => `$${first + n}`);
  return {
    sql: `INSERT INTO outbox (queues, type, payload)
          SELECT CASE WHEN g.total = 1 THEN ${oneQueues}::text[] ELSE ${manyQueues}::text[] END,
                 CASE WHEN g.total = 1 THEN ${oneType}::text ELSE ${manyType}::text END,
                 CASE WHEN g.total = 1 THEN g.passages -> 0
                      ELSE jsonb_build_object('eventId', g.event_id, 'passages', g.passages) END
            FROM (SELECT r.event_id, sum(count(*)) OVER () AS total,
                         jsonb_agg(jsonb_build_object('eventId', r.event_id, 'attendeeId', r.attendee_id,
                                     'list', 'main', 'gate', r.gate, 'at', ${ISO_TIMESTAMP_SQL('now()')},
                                     'flag', NULL) ORDER BY r.i) AS passages
                    FROM ${relation} r GROUP BY r.event_id) g
           ORDER BY g.event_id`,
    parameters: [
      EVENT_ROUTES[EventType.AttendeeCheckedIn],
      EventType.AttendeeCheckedIn,
      EVENT_ROUTES[EventType.AttendeesCheckedIn],
      EventType.AttendeesCheckedIn,
    ],
  };
}

/** `attendee.left` for an exit. */
export async function attendeeLeft(manager: EntityManager, passage: DoorPassage): Promise<void> {
  await writeToOutbox(manager, EventType.AttendeeLeft, passage);
}

/** `door_settings.changed`: badges lets door tokens print where `devicesMayPrint` is on. */
export async function doorSettingsChanged(
  manager: EntityManager,
  eventId: string,
  revision: number,
  devicesMayPrint: boolean,
): Promise<void> {
  await writeToOutbox(manager, EventType.DoorSettingsChanged, {
    eventId,
    revision,
    devicesMayPrint,
  });
}
