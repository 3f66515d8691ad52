import type { EntityManager } from 'typeorm';
import { EventType, StreamName } from '@einlass/contracts';
import {
  ConsumedStream,
  ProducedStream,
  toScopeSummaries,
  writeAddressedToOutbox,
} from '@einlass/outbox';
import { ApiToken } from '@einlass/auth';
import { Attendee, attendeeSnapshot } from '../attendees/attendee.entity';
import { Event, eventSnapshot } from '../events/event.entity';
import { apiTokenSnapshot, attendeeErasedPayload } from '../published-events';
import { SignupBook } from '../sessions/signup-book';

const CHUNK = 1000;

/** Registration's attendees per event: how many, and the total of their revisions. */
export const producedAttendees: ProducedStream = {
  stream: StreamName.Attendees,
  async summarise(manager: EntityManager) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope, count(*) AS count, sum(revision) AS total
           FROM attendees GROUP BY event_id`,
      ),
    );
  },
  /**
   * Each attendee of the event again, with the current snapshot (`attendee.updated`, `…cancelled`,
   * or `…erased` for a person whose data was erased).
   */
  async replay(manager, scope, queue) {
    const event = await manager.findOneBy(Event, { id: scope });
    if (!event) return 0;
    const snapshot = eventSnapshot(event);
    const attendees = await manager.find(Attendee, {
      where: { eventId: scope },
      order: { id: 'ASC' },
    });
    for (let i = 0; i < attendees.length; i += CHUNK) {
      const chunk = attendees.slice(i, i + CHUNK);
      const places = await SignupBook.placesOf(
        manager,
        chunk.map((a) => a.id),
      );
      // An erased person goes again as attendee.erased (never as an update a consumer could
      // take for data to keep); the rest as they stand.
      const erased = chunk
        .filter((a) => a.erasedAt !== null)
        .map((a) => attendeeErasedPayload(snapshot, a));
      const payloads = chunk
        .filter((a) => a.erasedAt === null)
        .map((a) => ({ event: snapshot, attendee: attendeeSnapshot(a, places.get(a.id)!) }));
      const cancelled = payloads.filter((p) => p.attendee.status === 'cancelled');
      const registered = payloads.filter((p) => p.attendee.status !== 'cancelled');
      await writeAddressedToOutbox(manager, EventType.AttendeeUpdated, registered, queue);
      await writeAddressedToOutbox(manager, EventType.AttendeeCancelled, cancelled, queue);
      await writeAddressedToOutbox(manager, EventType.AttendeeErased, erased, queue);
    }
    return attendees.length;
  },
};

/** Registration's API tokens (one scope `*`): how many, and how many revoked. */
export const producedApiTokens: ProducedStream = {
  stream: StreamName.ApiTokens,
  async summarise(manager) {
    return toScopeSummaries(
      await manager.query(
        `SELECT '*' AS scope, count(*) AS count, count(revoked_at) AS total FROM api_tokens`,
      ),
    );
  },
  async replay(manager, _scope, queue) {
    const tokens = await manager.find(ApiToken, { order: { createdAt: 'ASC' } });
    const snapshots = tokens.map((t) => ({ token: apiTokenSnapshot(t) }));
    await writeAddressedToOutbox(manager, EventType.ApiTokenCreated, snapshots, queue);
    const revoked = tokens.filter((t) => t.revokedAt !== null).map((t) => ({ id: t.id }));
    await writeAddressedToOutbox(manager, EventType.ApiTokenRevoked, revoked, queue);
    return tokens.length + revoked.length;
  },
};

/** What registration holds of the door's feed per event: who arrived, and session attendances. */
export const consumedDoorPassages: ConsumedStream = {
  stream: StreamName.DoorPassages,
  compares: 'count+total',
  async summarise(manager, scopes) {
    return toScopeSummaries(
      await manager.query(
        `SELECT event_id::text AS scope, count(first_checked_in_at) AS count,
                sum(cardinality(sessions_attended)) AS total
           FROM door_attendance WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`,
        [scopes.filter((s) => s !== '*')],
      ),
    );
  },
};
