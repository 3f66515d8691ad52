import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AuditTrail, type Principal } from '@einlass/auth';
import { type RedactedMessage } from '@einlass/outbox';
import { QueuedCopies } from '@einlass/messaging';
import { lockAttendee } from '../attendees/change-attendee.command';
import { Attendee } from '../attendees/attendee.entity';
import { AttendeeEvents } from '../attendees/attendee-events';
import { EventsRepository } from '../events/events.repository';
import { attendeeErased } from '../published-events';
import { SignupBook } from '../sessions/signup-book';
import { ERASED_ATTENDEE_FIELDS, RegistrationErasure } from './registration-erasure';

export class EraseAttendee extends Command<ErasureReport> {
  constructor(
    readonly eventSlug: string,
    readonly attendeeId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** What the answer to DELETE …/attendees/:id says was erased (docs/API.md). */
export interface ErasureReport {
  id: string;
  erasedAt: string;
  registration: {
    fields: string[];
    workshopPlacesFreed: string[];
    waitingListsLeft: string[];
    movedUp: number;
    messagesRedacted: number;
  };
  badges: string;
  checkin: string;
  kept: string[];
}

/**
 * Erases one person's data on request (Art. 17 GDPR). In one transaction: their workshop places
 * and waiting-list entries are given up (the first ones waiting move up), their row keeps only
 * id, category, status and revision, the outbox messages that carried their data are redacted, and
 * `attendee.erased` (the next revision, no data) goes to badges and check-in, which revoke the
 * badge and erase their own copies. After the commit, the messages' copies in Redis are scrubbed.
 */
@CommandHandler(EraseAttendee)
export class EraseAttendeeHandler implements ICommandHandler<EraseAttendee, ErasureReport> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly queuedCopies: QueuedCopies,
  ) {}

  async execute({ eventSlug, attendeeId, principal }: EraseAttendee): Promise<ErasureReport> {
    const { report, messages } = await this.dataSource.transaction(async (manager) => {
      const event = await this.events.bySlugOrFail(eventSlug, manager);
      const attendee = await lockAttendee(manager, event, attendeeId);
      const signups = await manager.query<{ session_id: string; code: string; status: string }[]>(
        `SELECT su.session_id, s.code, su.status FROM session_signups su
           JOIN sessions s ON s.id = su.session_id WHERE su.attendee_id = $1 ORDER BY s.code`,
        [attendee.id],
      );
      const movedUp = await SignupBook.withdraw(
        manager,
        signups.map((row) => ({ attendeeId: attendee.id, sessionId: row.session_id })),
      );
      const fields = ERASED_ATTENDEE_FIELDS.filter((field) => attendee[field] !== null);
      const redacted: RedactedMessage[] = await RegistrationErasure.attendee(manager, attendee.id);
      const erased = await manager.findOneByOrFail(Attendee, { id: attendee.id });
      const erasedAt = erased.erasedAt!.toISOString();
      await attendeeErased(manager, event, erased);
      await AttendeeEvents.movedUp(manager, event, movedUp);
      const report: ErasureReport = {
        id: attendee.id,
        erasedAt,
        registration: {
          fields,
          workshopPlacesFreed: signups.filter((s) => s.status === 'confirmed').map((s) => s.code),
          waitingListsLeft: signups.filter((s) => s.status === 'waiting').map((s) => s.code),
          movedUp: movedUp.length,
          messagesRedacted: redacted.length,
        },
        badges:
          'badge revoked; the name, organisation and title it printed erased; print files that held it deleted',
        checkin:
          "names erased from the door's list and the check-in log; the badge answers revoked",
        kept: ['id', 'category', 'status', 'attendance counts', 'check-in log times and gates'],
      };
      await AuditTrail.record(manager, 'registration', principal, {
        eventId: event.id,
        action: 'attendee.erased',
        attendeeId: attendee.id,
        details: {
          fields: report.registration.fields,
          workshopPlacesFreed: report.registration.workshopPlacesFreed,
          waitingListsLeft: report.registration.waitingListsLeft,
        },
      });
      return { report, messages: redacted };
    });
    await this.queuedCopies.scrub(messages.filter((message) => message.sent));
    return report;
  }
}
