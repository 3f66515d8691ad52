import { BadRequestException, ConflictException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { Category, EventType } from '@einlass/contracts';
import { isUniqueViolation } from '@einlass/database';
import { EventsRepository } from '../events/events.repository';
import { Session } from '../sessions/session.entity';
import { SignupBook } from '../sessions/signup-book';
import { Attendee } from './attendee.entity';
import { AttendeeEvents } from './attendee-events';
import { PersonDto, RegisterAttendeeDto } from './register-attendee.dto';
import { searchColumns } from './attendee-fields';

export class RegisterAttendee extends Command<Attendee> {
  constructor(
    readonly eventSlug: string,
    readonly input: RegisterAttendeeDto,
  ) {
    super();
  }
}

/**
 * The sessions an event has under these codes, in the order given; unknown codes → 400 naming them.
 */
export async function sessionsByCodes(
  manager: EntityManager,
  eventId: string,
  codes: string[],
): Promise<Session[]> {
  const wanted = [...new Set(codes.map((code) => code.trim()).filter(Boolean))];
  if (wanted.length === 0) return [];
  const known = await manager.findBy(Session, { eventId, code: In(wanted) });
  const byCode = new Map(known.map((s) => [s.code, s]));
  const unknown = wanted.filter((code) => !byCode.has(code));
  if (unknown.length > 0) {
    throw new BadRequestException([`sessions: unknown session code ${unknown.join(', ')}`]);
  }
  return wanted.map((code) => byCode.get(code)!);
}

/** A new attendee of the event (not yet inserted), revision 1, from what a form or body holds. */
export function newAttendee(
  manager: EntityManager,
  eventId: string,
  input: PersonDto & { externalId?: string },
  category: Category,
): Attendee {
  const fields = {
    externalId: input.externalId || null,
    title: input.title || null,
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email?.toLowerCase() || null,
    organisation: input.organisation || null,
  };
  return manager.create(Attendee, {
    id: randomUUID(),
    eventId,
    ...fields,
    category,
    status: 'registered',
    revision: 1,
    ...searchColumns(fields),
  });
}

/**
 * Registers one attendee: the attendee row, their workshop places and the `attendee.registered`
 * outbox row are written in one transaction, so an acknowledged registration always reaches
 * badges and check-in.
 */
@CommandHandler(RegisterAttendee)
export class RegisterAttendeeHandler implements ICommandHandler<RegisterAttendee, Attendee> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
  ) {}

  async execute({ eventSlug, input }: RegisterAttendee): Promise<Attendee> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.bySlugOrFail(eventSlug, manager);
      const sessions = await sessionsByCodes(manager, event.id, input.sessions ?? []);
      if (input.externalId) await this.refuseDuplicate(manager, event.id, input.externalId);
      const created = newAttendee(manager, event.id, input, input.category);
      try {
        await manager.insert(Attendee, created);
      } catch (error) {
        // A concurrent request registered the same external id first.
        if (isUniqueViolation(error, 'attendees_event_external_id_key')) {
          throw new ConflictException(`External id ${input.externalId} is already registered`);
        }
        throw error;
      }
      await SignupBook.signUp(
        manager,
        event.id,
        sessions.map((session) => ({ attendeeId: created.id, sessionId: session.id })),
      );
      await AttendeeEvents.write(manager, event, EventType.AttendeeRegistered, [created]);
      return created;
    });
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
}
