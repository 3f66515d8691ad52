import type { EntityManager } from 'typeorm';
import { type DoorPassage, EventType } from '@einlass/contracts';
import { writeManyToOutbox, writeToOutbox } from '@einlass/outbox';

/*
 * What check-in publishes (routes: EVENT_ROUTES, payloads: libs/contracts/src/events.ts): the
 * door's live feed, for registration (and badges' certificates), written to the outbox in the
 * transaction of the scan by the AdmissionWriter (scanning/admission-writer.ts):
 *
 *   attendee.checked_in   attendeesCheckedIn: an admission (entrance or session)
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

/** `attendee.checked_in` for each admission (none: nothing written). */
export async function attendeesCheckedIn(
  manager: EntityManager,
  passages: DoorPassage[],
): Promise<void> {
  await writeManyToOutbox(manager, EventType.AttendeeCheckedIn, passages);
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
