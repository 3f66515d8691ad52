import { ConflictException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EventType } from '@einlass/contracts';
import { EventsRepository } from '../events/events.repository';
import { SignupBook } from '../sessions/signup-book';
import { Attendee } from './attendee.entity';
import { AttendeeEvents } from './attendee-events';
import { lockAttendee } from './change-attendee.command';
import { newAttendee } from './register-attendee.command';
import { ReplaceAttendeeDto } from './replace-attendee.dto';

export interface Replacement {
  /** The registration taken over, now cancelled. */
  replaced: Attendee;
  /** The substitute, registered with the replaced person's workshop places. */
  substitute: Attendee;
}

export class ReplaceAttendee extends Command<Replacement> {
  constructor(
    readonly eventSlug: string,
    readonly attendeeId: string,
    readonly substitute: ReplaceAttendeeDto,
  ) {
    super();
  }
}

/**
 * A substitute takes over a registration (someone sent in place of a colleague): in one
 * transaction the substitute is registered, takes over the replaced person's workshop places and
 * waiting positions (nobody else can take them in between), and the replaced registration is
 * cancelled, its badge revoked. The outbox carries `attendee.cancelled` for the one and
 * `attendee.registered` for the other, so badges issues the substitute's badge and the door
 * refuses the old one.
 */
@CommandHandler(ReplaceAttendee)
export class ReplaceAttendeeHandler implements ICommandHandler<ReplaceAttendee, Replacement> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
  ) {}

  async execute({ eventSlug, attendeeId, substitute }: ReplaceAttendee): Promise<Replacement> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.bySlugOrFail(eventSlug, manager);
      const replaced = await lockAttendee(manager, event, attendeeId);
      if (replaced.status === 'cancelled') {
        throw new ConflictException(
          'This registration is cancelled; there is no place left to take over',
        );
      }
      const created = newAttendee(
        manager,
        event.id,
        substitute,
        substitute.category ?? replaced.category,
      );
      await manager.insert(Attendee, created);
      await SignupBook.handOver(manager, replaced.id, created.id);
      replaced.status = 'cancelled';
      replaced.revision += 1;
      await manager.save(replaced);
      await AttendeeEvents.write(manager, event, EventType.AttendeeCancelled, [replaced]);
      await AttendeeEvents.write(manager, event, EventType.AttendeeRegistered, [created]);
      return { replaced, substitute: created };
    });
  }
}
