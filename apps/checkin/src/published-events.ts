import type { EntityManager } from 'typeorm';
import { type DoorPassage, EventType } from '@einlass/contracts';
import { writeManyToOutbox, writeToOutbox } from '@einlass/outbox';

/*
 * What check-in publishes (routes: EVENT_ROUTES, payloads: libs/contracts/src/events.ts): the
 * door's live feed, for registration (and badges' certificates), written to the outbox in the
 * transaction of the scan by the AdmissionWriter (scanning/admission-writer.ts):
 *
 *   attendee.checked_in   attendeesCheckedIn: an admission (a session, a manual check-in, one
 *                         entrance admission alone)
 *   attendees.checked_in  attendeesCheckedIn: the admissions of a group of entrance scans written
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
