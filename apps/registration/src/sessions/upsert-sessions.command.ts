import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventsRepository } from '../events/events.repository';
import { AttendeeEvents } from '../attendees/attendee-events';
import { programmeUpdated } from '../published-events';
import { SessionDto } from './session.dto';
import { SignupBook } from './signup-book';

export interface UpsertSessionsResult {
  created: number;
  updated: number;
}

/** Adds sessions to an event's programme, or updates those whose code it already has. */
export class UpsertSessions extends Command<UpsertSessionsResult> {
  constructor(
    readonly eventSlug: string,
    readonly sessions: SessionDto[],
  ) {
    super();
  }
}

@CommandHandler(UpsertSessions)
export class UpsertSessionsHandler implements ICommandHandler<
  UpsertSessions,
  UpsertSessionsResult
> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
  ) {}

  async execute({ eventSlug, sessions }: UpsertSessions): Promise<UpsertSessionsResult> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.bySlugOrFail(eventSlug, manager);
      const rows: { id: string; inserted: boolean }[] = await manager.query(
        `INSERT INTO sessions (id, event_id, code, title, room, starts_at, ends_at, capacity, kind)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[],
                              $6::timestamptz[], $7::timestamptz[], $8::int[], $9::text[])
         ON CONFLICT (event_id, code) DO UPDATE SET
           title = excluded.title, room = excluded.room, starts_at = excluded.starts_at,
           ends_at = excluded.ends_at, capacity = excluded.capacity, kind = excluded.kind
         RETURNING id, (xmax = 0) AS inserted`,
        [
          sessions.map(() => randomUUID()),
          sessions.map(() => event.id),
          sessions.map((s) => s.code),
          sessions.map((s) => s.title.trim()),
          sessions.map((s) => s.room?.trim() || null),
          sessions.map((s) => s.startsAt),
          sessions.map((s) => s.endsAt),
          sessions.map((s) => s.capacity),
          sessions.map((s) => s.kind),
        ],
      );
      await programmeUpdated(manager, event, sessions);
      // A workshop that grew gives its new places to the first ones waiting.
      const movedUp = await SignupBook.fillFreePlaces(
        manager,
        rows.map((row) => row.id),
      );
      await AttendeeEvents.movedUp(manager, event, movedUp);
      const created = rows.filter((row) => row.inserted).length;
      return { created, updated: rows.length - created };
    });
  }
}
