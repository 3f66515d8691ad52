import { In, type EntityManager } from 'typeorm';
import { EventType } from '@einlass/contracts';
import { runOverlapped } from '@einlass/database';
import { outboxInsert, willWriteToOutbox, writeManyToOutbox } from '@einlass/outbox';
import type { Event } from '../events/event.entity';
import { eventSnapshot } from '../events/event.entity';
import { SignupBook } from '../sessions/signup-book';
import { Attendee, attendeeSnapshot } from './attendee.entity';

type AttendeeEventType =
  | typeof EventType.AttendeeRegistered
  | typeof EventType.AttendeeUpdated
  | typeof EventType.AttendeeCancelled
  | typeof EventType.AttendeeSignupsChanged;

/**
 * Writes attendee events to the outbox, each with the attendee's whole current snapshot (their
 * places included), in the transaction that made the change.
 */
export const AttendeeEvents = {
  async write(
    manager: EntityManager,
    event: Event,
    type: AttendeeEventType,
    attendees: Attendee[],
  ): Promise<void> {
    if (attendees.length === 0) return;
    const places = await SignupBook.placesOf(
      manager,
      attendees.map((a) => a.id),
    );
    const snapshot = eventSnapshot(event);
    await writeManyToOutbox(
      manager,
      type,
      attendees.map((a) => ({ event: snapshot, attendee: attendeeSnapshot(a, places.get(a.id)!) })),
    );
  },

  /**
   * Many attendees' events at once (imports): their places read in one query, the outbox rows
   * written `chunkSize` at a time, each chunk's document built while the one before is written.
   */
  async writeInChunks(
    manager: EntityManager,
    event: Event,
    batches: { type: AttendeeEventType; attendees: Attendee[] }[],
    chunkSize: number,
  ): Promise<void> {
    const everyone = batches.flatMap((batch) => batch.attendees);
    if (everyone.length === 0) return;
    const places = await SignupBook.placesOf(
      manager,
      everyone.map((a) => a.id),
    );
    const snapshot = eventSnapshot(event);
    const chunks = batches.flatMap(({ type, attendees }) =>
      Array.from({ length: Math.ceil(attendees.length / chunkSize) }, (_, i) => ({
        type,
        attendees: attendees.slice(i * chunkSize, (i + 1) * chunkSize),
      })),
    );
    willWriteToOutbox(manager, batches[0].type);
    await runOverlapped(manager, chunks, ({ type, attendees }) =>
      outboxInsert(
        type,
        attendees.map((a) => ({
          event: snapshot,
          attendee: attendeeSnapshot(a, places.get(a.id)!),
        })),
      ),
    );
  },

  /** People who moved up from a waiting list: a new revision each, and the news for the doors. */
  async movedUp(manager: EntityManager, event: Event, attendeeIds: string[]): Promise<void> {
    if (attendeeIds.length === 0) return;
    await manager.query(
      `UPDATE attendees SET revision = revision + 1, updated_at = now() WHERE id = ANY($1::uuid[])`,
      [attendeeIds],
    );
    const moved = await manager.findBy(Attendee, { id: In(attendeeIds) });
    await AttendeeEvents.write(manager, event, EventType.AttendeeSignupsChanged, moved);
  },
};
