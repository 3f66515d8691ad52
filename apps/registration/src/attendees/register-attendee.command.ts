import { BadRequestException, ConflictException } from '@nestjs/common';
import { Command, CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { EventType } from '@einlass/contracts';
import { isUniqueViolation, writeToOutbox } from '@einlass/database';
import { eventSnapshot } from '../events/event.entity';
import { EventsRepository } from '../events/events.repository';
import { Session } from '../sessions/session.entity';
import { Attendee, attendeeSnapshot } from './attendee.entity';
import { RegisterAttendeeDto } from './register-attendee.dto';
import { foldForSearch } from './search-text';

export class RegisterAttendee extends Command<Attendee> {
  constructor(
    readonly eventSlug: string,
    readonly input: RegisterAttendeeDto,
  ) {
    super();
  }
}

/** Domain event inside the registration service. */
export class AttendeeRegistered {
  constructor(readonly attendee: Attendee) {}
}

/** The folded columns search and sorting use, derived from what is printed and contacted. */
export function searchColumns(
  a: Pick<Attendee, 'firstName' | 'lastName' | 'organisation' | 'email' | 'externalId'>,
) {
  return {
    searchText: foldForSearch(
      [a.firstName, a.lastName, a.organisation, a.email, a.externalId].filter(Boolean).join(' '),
    ),
    sortName: foldForSearch(`${a.lastName} ${a.firstName}`),
  };
}

/**
 * Registers one attendee: the attendee row and its `attendee.registered` outbox row are written
 * in one transaction, so an acknowledged registration always reaches badges and check-in.
 */
@CommandHandler(RegisterAttendee)
export class RegisterAttendeeHandler implements ICommandHandler<RegisterAttendee, Attendee> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ eventSlug, input }: RegisterAttendee): Promise<Attendee> {
    const attendee = await this.dataSource.transaction(async (manager) => {
      const event = await this.events.bySlugOrFail(eventSlug, manager);
      const sessions = await this.checkSessions(manager, event.id, input.sessions ?? []);
      if (input.externalId) await this.refuseDuplicate(manager, event.id, input.externalId);
      const fields = {
        externalId: input.externalId || null,
        title: input.title || null,
        firstName: input.firstName,
        lastName: input.lastName,
        email: input.email?.toLowerCase() || null,
        organisation: input.organisation || null,
      };
      const created = manager.create(Attendee, {
        id: randomUUID(),
        eventId: event.id,
        ...fields,
        category: input.category,
        sessions,
        status: 'registered',
        revision: 1,
        ...searchColumns(fields),
      });
      try {
        await manager.insert(Attendee, created);
      } catch (error) {
        // A concurrent request registered the same external id first.
        if (isUniqueViolation(error, 'attendees_event_external_id_key')) {
          throw new ConflictException(`External id ${input.externalId} is already registered`);
        }
        throw error;
      }
      await writeToOutbox(manager, EventType.AttendeeRegistered, {
        event: eventSnapshot(event),
        attendee: attendeeSnapshot(created),
      });
      return created;
    });
    this.eventBus.publish(new AttendeeRegistered(attendee));
    return attendee;
  }

  private async refuseDuplicate(manager: EntityManager, eventId: string, externalId: string) {
    const existing = await manager.findOne(Attendee, {
      where: { eventId, externalId },
      select: { id: true },
    });
    if (existing) {
      throw new ConflictException({
        message: `External id ${externalId} is already registered`,
        id: existing.id,
      });
    }
  }

  /** The codes, de-duplicated, each one a session of the event (unknown codes → 400). */
  private async checkSessions(
    manager: EntityManager,
    eventId: string,
    codes: string[],
  ): Promise<string[]> {
    const wanted = [...new Set(codes.map((code) => code.trim()).filter(Boolean))];
    if (wanted.length === 0) return [];
    const known = await manager.find(Session, {
      where: { eventId, code: In(wanted) },
      select: { code: true },
    });
    const knownCodes = new Set(known.map((s) => s.code));
    const unknown = wanted.filter((code) => !knownCodes.has(code));
    if (unknown.length > 0) {
      throw new BadRequestException([`sessions: unknown session code ${unknown.join(', ')}`]);
    }
    return wanted;
  }
}
