import { ConflictException, NotFoundException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource, EntityManager } from 'typeorm';
import { EventType } from '@einlass/contracts';
import { Attendee } from '../attendees/attendee.entity';
import { AttendeeEvents } from '../attendees/attendee-events';
import { lockAttendee } from '../attendees/change-attendee.command';
import type { Event } from '../events/event.entity';
import { EventsRepository } from '../events/events.repository';
import { Session } from './session.entity';
import { SignupBook } from './signup-book';

export interface SignupAnswer {
  attendeeId: string;
  session: string;
  status: 'confirmed' | 'waiting' | 'withdrawn';
  /** Place on the waiting list (1 = next to move up). */
  position?: number;
}

export class SignUpForSession extends Command<SignupAnswer> {
  constructor(
    readonly eventSlug: string,
    readonly code: string,
    readonly attendeeId: string,
  ) {
    super();
  }
}

export class WithdrawFromSession extends Command<SignupAnswer> {
  constructor(
    readonly eventSlug: string,
    readonly code: string,
    readonly attendeeId: string,
  ) {
    super();
  }
}

async function sessionOrFail(manager: EntityManager, event: Event, code: string): Promise<Session> {
  const session = await manager.findOneBy(Session, { eventId: event.id, code });
  if (!session) throw new NotFoundException(`Event "${event.slug}" has no session ${code}`);
  return session;
}

async function answer(
  manager: EntityManager,
  session: Session,
  attendeeId: string,
): Promise<SignupAnswer> {
  const [row] = await manager.query<{ status: 'confirmed' | 'waiting'; position: number }[]>(
    `SELECT u.status, (SELECT count(*)::int FROM session_signups w
                        WHERE w.session_id = u.session_id AND w.status = 'waiting' AND w.id <= u.id) AS position
       FROM session_signups u WHERE u.session_id = $1 AND u.attendee_id = $2`,
    [session.id, attendeeId],
  );
  return {
    attendeeId,
    session: session.code,
    status: row.status,
    ...(row.status === 'waiting' ? { position: row.position } : {}),
  };
}

/** Gives an attendee a place in a session, or a place on its waiting list when it is full. */
@CommandHandler(SignUpForSession)
export class SignUpForSessionHandler implements ICommandHandler<SignUpForSession, SignupAnswer> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
  ) {}

  async execute({ eventSlug, code, attendeeId }: SignUpForSession): Promise<SignupAnswer> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.bySlugOrFail(eventSlug, manager);
      const session = await sessionOrFail(manager, event, code);
      const attendee = await lockAttendee(manager, event, attendeeId);
      if (attendee.status === 'cancelled')
        throw new ConflictException('This registration is cancelled');
      const before = await SignupBook.placesOf(manager, [attendee.id]);
      const already = [
        ...before.get(attendee.id)!.sessions,
        ...before.get(attendee.id)!.waitlist,
      ].includes(code);
      if (!already) {
        await SignupBook.signUp(manager, event.id, [
          { attendeeId: attendee.id, sessionId: session.id },
        ]);
        await this.changed(manager, event, attendee);
      }
      return answer(manager, session, attendee.id);
    });
  }

  private async changed(manager: EntityManager, event: Event, attendee: Attendee) {
    attendee.revision += 1;
    await manager.save(attendee);
    await AttendeeEvents.write(manager, event, EventType.AttendeeUpdated, [attendee]);
  }
}

/** Withdraws an attendee from a session; a freed place goes to the first one waiting. */
@CommandHandler(WithdrawFromSession)
export class WithdrawFromSessionHandler implements ICommandHandler<
  WithdrawFromSession,
  SignupAnswer
> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
  ) {}

  async execute({ eventSlug, code, attendeeId }: WithdrawFromSession): Promise<SignupAnswer> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.bySlugOrFail(eventSlug, manager);
      const session = await sessionOrFail(manager, event, code);
      const attendee = await lockAttendee(manager, event, attendeeId);
      const [signedUp] = await manager.query<unknown[]>(
        `SELECT 1 FROM session_signups WHERE session_id = $1 AND attendee_id = $2`,
        [session.id, attendee.id],
      );
      if (!signedUp)
        throw new NotFoundException(
          `${attendee.firstName} ${attendee.lastName} is not signed up for ${code}`,
        );
      const movedUp = await SignupBook.withdraw(manager, [
        { attendeeId: attendee.id, sessionId: session.id },
      ]);
      attendee.revision += 1;
      await manager.save(attendee);
      await AttendeeEvents.write(manager, event, EventType.AttendeeUpdated, [attendee]);
      await AttendeeEvents.movedUp(manager, event, movedUp);
      return { attendeeId: attendee.id, session: code, status: 'withdrawn' };
    });
  }
}
