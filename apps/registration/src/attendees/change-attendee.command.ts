import { ConflictException, NotFoundException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource, EntityManager } from 'typeorm';
import { EventType } from '@einlass/contracts';
import { isUniqueViolation } from '@einlass/database';
import type { Event } from '../events/event.entity';
import { EventsRepository } from '../events/events.repository';
import { SignupBook } from '../sessions/signup-book';
import { Attendee } from './attendee.entity';
import { AttendeeEvents } from './attendee-events';
import { fieldsDiffer, fieldsOf, mergeFields, searchColumns } from './attendee-fields';
import { ChangeAttendeeDto } from './change-attendee.dto';
import { sessionsByCodes } from './register-attendee.command';

export class ChangeAttendee extends Command<Attendee> {
  constructor(
    readonly eventSlug: string,
    readonly attendeeId: string,
    readonly change: ChangeAttendeeDto,
  ) {
    super();
  }
}

export class CancelAttendee extends Command<Attendee> {
  constructor(
    readonly eventSlug: string,
    readonly attendeeId: string,
  ) {
    super();
  }
}

/** The attendee, locked for the rest of the transaction; 404 when the event has no such person. */
export async function lockAttendee(
  manager: EntityManager,
  event: Event,
  id: string,
): Promise<Attendee> {
  const attendee = await manager
    .getRepository(Attendee)
    .createQueryBuilder('a')
    .where('a.id = :id AND a.eventId = :eventId', { id, eventId: event.id })
    .setLock('pessimistic_write')
    .getOne();
  if (!attendee) throw new NotFoundException(`No attendee ${id} in event "${event.slug}"`);
  if (attendee.erasedAt) {
    throw new ConflictException(
      `The personal data of attendee ${id} was erased; nothing to change`,
    );
  }
  return attendee;
}

/**
 * Changes an attendee. A change to anything printed makes the badges service issue a new badge
 * (the old one is then refused at the door); a change of workshops moves places and waiting lists.
 * A change that changes nothing writes nothing.
 */
@CommandHandler(ChangeAttendee)
export class ChangeAttendeeHandler implements ICommandHandler<ChangeAttendee, Attendee> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
  ) {}

  async execute({ eventSlug, attendeeId, change }: ChangeAttendee): Promise<Attendee> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.bySlugOrFail(eventSlug, manager);
      const attendee = await lockAttendee(manager, event, attendeeId);
      if (attendee.status === 'cancelled') {
        throw new ConflictException('This registration is cancelled; it can no longer be changed');
      }
      const { sessions: sessionCodes, ...fieldChange } = change;
      const fields = mergeFields(fieldsOf(attendee), fieldChange);
      const fieldsChanged = fieldsDiffer(fieldsOf(attendee), fields);

      let toAdd: { attendeeId: string; sessionId: string }[] = [];
      let toRemove: { attendeeId: string; sessionId: string }[] = [];
      if (sessionCodes !== undefined) {
        const wanted = await sessionsByCodes(manager, event.id, sessionCodes);
        const current = await manager.query<{ session_id: string }[]>(
          `SELECT session_id FROM session_signups WHERE attendee_id = $1`,
          [attendee.id],
        );
        const currentIds = new Set(current.map((row) => row.session_id));
        const wantedIds = new Set(wanted.map((s) => s.id));
        toAdd = wanted
          .filter((s) => !currentIds.has(s.id))
          .map((s) => ({ attendeeId: attendee.id, sessionId: s.id }));
        toRemove = [...currentIds]
          .filter((id) => !wantedIds.has(id))
          .map((sessionId) => ({ attendeeId: attendee.id, sessionId }));
      }
      if (!fieldsChanged && toAdd.length === 0 && toRemove.length === 0) return attendee;

      Object.assign(attendee, fields, searchColumns(fields), { revision: attendee.revision + 1 });
      try {
        await manager.save(attendee);
      } catch (error) {
        if (isUniqueViolation(error, 'attendees_event_external_id_key')) {
          throw new ConflictException(
            `External id ${fields.externalId} belongs to another attendee`,
          );
        }
        throw error;
      }
      const movedUp = await SignupBook.withdraw(manager, toRemove);
      await SignupBook.signUp(manager, event.id, toAdd);
      await AttendeeEvents.write(manager, event, EventType.AttendeeUpdated, [attendee]);
      await AttendeeEvents.movedUp(
        manager,
        event,
        movedUp.filter((id) => id !== attendee.id),
      );
      return attendee;
    });
  }
}

/**
 * Cancels a registration: the badge is revoked (the door answers `revoked`), workshop places are
 * given to the first ones waiting. Cancelling twice changes nothing the second time.
 */
@CommandHandler(CancelAttendee)
export class CancelAttendeeHandler implements ICommandHandler<CancelAttendee, Attendee> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
  ) {}

  async execute({ eventSlug, attendeeId }: CancelAttendee): Promise<Attendee> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.bySlugOrFail(eventSlug, manager);
      const attendee = await lockAttendee(manager, event, attendeeId);
      if (attendee.status === 'cancelled') return attendee;
      attendee.status = 'cancelled';
      attendee.revision += 1;
      await manager.save(attendee);
      const signups = await manager.query<{ session_id: string }[]>(
        `SELECT session_id FROM session_signups WHERE attendee_id = $1`,
        [attendee.id],
      );
      const movedUp = await SignupBook.withdraw(
        manager,
        signups.map((row) => ({ attendeeId: attendee.id, sessionId: row.session_id })),
      );
      await AttendeeEvents.write(manager, event, EventType.AttendeeCancelled, [attendee]);
      await AttendeeEvents.movedUp(manager, event, movedUp);
      return attendee;
    });
  }
}
