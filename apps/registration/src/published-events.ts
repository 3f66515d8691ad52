import type { EntityManager } from 'typeorm';
import type { ApiToken } from '@einlass/auth';
import {
  type ApiTokenSnapshot,
  type EventPayload,
  type EventSnapshot,
  erasedAttendeeSnapshot,
  EventType,
} from '@einlass/contracts';
import { writeToOutbox } from '@einlass/outbox';
import { Attendee, attendeeSnapshot } from './attendees/attendee.entity';
import { Event, eventSnapshot } from './events/event.entity';
import type { SessionDto } from './sessions/session.dto';

/*
 * What registration publishes, for badges and check-in (routes: EVENT_ROUTES, payloads:
 * libs/contracts/src/events.ts), each written to the outbox in the transaction of the change:
 *
 *   event.created, event.updated      eventCreated, eventUpdated (below)
 *   programme.updated                 programmeUpdated (below)
 *   attendee.registered, .updated,    AttendeeEvents (attendees/attendee-events.ts): each attendee's
 *   .cancelled, .signups_changed        whole snapshot with their places; an import's in chunks
 *   attendee.erased                   attendeeErased (below)
 *   api_token.created, .revoked       apiTokenCreated, apiTokenRevoked (below)
 *   audit.recorded                    AuditTrail.record (libs/auth): the audit log, kept here
 *
 * The reconciliation sends the current state again to a consumer that misses some
 * (reconciliation/registration.streams.ts, with the payload builders below).
 */

/** `event.created`: a new event, for badges (its signing key) and check-in. */
export async function eventCreated(manager: EntityManager, event: Event): Promise<void> {
  await writeToOutbox(manager, EventType.EventCreated, { event: eventSnapshot(event) });
}

/** `event.updated`: the event's details or its erasure date changed. */
export async function eventUpdated(manager: EntityManager, event: Event): Promise<void> {
  await writeToOutbox(manager, EventType.EventUpdated, { event: eventSnapshot(event) });
}

/** `programme.updated`: the sessions added or changed (sessions not named are unchanged). */
export async function programmeUpdated(
  manager: EntityManager,
  event: Event,
  sessions: SessionDto[],
): Promise<void> {
  await writeToOutbox(manager, EventType.ProgrammeUpdated, {
    event: eventSnapshot(event),
    sessions: sessions.map((s) => ({
      code: s.code,
      title: s.title.trim(),
      room: s.room?.trim() || null,
      startsAt: new Date(s.startsAt).toISOString(),
      endsAt: new Date(s.endsAt).toISOString(),
      capacity: s.capacity,
      kind: s.kind,
    })),
  });
}

/** What `attendee.erased` carries: the snapshot without the person's data, and when. */
export function attendeeErasedPayload(
  event: EventSnapshot,
  erased: Attendee,
): EventPayload<typeof EventType.AttendeeErased> {
  return {
    event,
    attendee: erasedAttendeeSnapshot(attendeeSnapshot(erased, { sessions: [], waitlist: [] })),
    erasedAt: erased.erasedAt!.toISOString(),
  };
}

/** `attendee.erased`: the other services erase the person too. */
export async function attendeeErased(
  manager: EntityManager,
  event: Event,
  erased: Attendee,
): Promise<void> {
  await writeToOutbox(
    manager,
    EventType.AttendeeErased,
    attendeeErasedPayload(eventSnapshot(event), erased),
  );
}

/** An API token as the other services learn it: its hash, never the token. */
export function apiTokenSnapshot(token: ApiToken): ApiTokenSnapshot {
  return {
    id: token.id,
    hash: token.hash,
    role: token.role,
    label: token.label,
    gates: token.gates,
    events: token.events,
    expiresAt: token.expiresAt?.toISOString() ?? null,
  };
}

/** `api_token.created`: the token works in badges and check-in too. */
export async function apiTokenCreated(manager: EntityManager, token: ApiToken): Promise<void> {
  await writeToOutbox(manager, EventType.ApiTokenCreated, { token: apiTokenSnapshot(token) });
}

/** `api_token.revoked`: the token stops working everywhere. */
export async function apiTokenRevoked(manager: EntityManager, id: string): Promise<void> {
  await writeToOutbox(manager, EventType.ApiTokenRevoked, { id });
}
