import { Processor } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { ApiTokenProjection } from '@einlass/auth';
import { EventType, QueueName } from '@einlass/contracts';
import { isDue } from '@einlass/database';
import {
  consumeOnce,
  messagesToConsume,
  Reconciliation,
  type RedactedMessage,
} from '@einlass/outbox';
import { EventConsumer, QueuedCopies } from '@einlass/messaging';
import { BadgesErasure } from '../personal-data/badges-erasure';
import { BadgesRetention } from '../personal-data/badges-retention';
import { CertificateAttendance } from '../certificates/certificate-attendance';
import { DoorPrinting } from '../door-printing/door-printing';
import { upsertEvent } from '../events/badge-event.entity';
import { activeSigningKey } from './signing-keys';
import { SyncBadge } from './sync-badge.command';

/**
 * Consumes the `badges` queue. Each message is handled once (inbox), in one transaction with what
 * it changes; a failure goes back to BullMQ for a retry.
 */
@Processor(QueueName.Badges, { concurrency: Number(process.env.WORKER_CONCURRENCY ?? 20) })
export class BadgesProcessor extends EventConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly commandBus: CommandBus,
    private readonly queuedCopies: QueuedCopies,
    private readonly retention: BadgesRetention,
    private readonly reconciliation: Reconciliation,
  ) {
    super();
  }

  /** A job holds one message, or a replay batch of many (messagesToConsume): each in turn. */
  async process(job: Job): Promise<void> {
    for (const data of await messagesToConsume(this.dataSource, job)) await this.consume(data);
  }

  private async consume(data: unknown): Promise<void> {
    let erasedMessages: RedactedMessage[] = [];
    let dueNow = false;
    await consumeOnce(this.dataSource, data, async (envelope, manager) => {
      switch (envelope.type) {
        case EventType.EventCreated: {
          const { event } = envelope.payload;
          await upsertEvent(manager, event);
          await activeSigningKey(manager, event.id);
          return;
        }
        case EventType.EventUpdated:
          dueNow = isDue(envelope.payload.event.erasePersonalDataAt);
          return upsertEvent(manager, envelope.payload.event);
        case EventType.AttendeeErased: {
          const { event, attendee } = envelope.payload;
          await upsertEvent(manager, event);
          erasedMessages = await BadgesErasure.attendee(manager, event, attendee);
          this.logger.log({ attendeeId: attendee.id }, "Badge holder's data erased");
          return;
        }
        case EventType.AttendeeRegistered:
        case EventType.AttendeeUpdated:
        case EventType.AttendeeCancelled:
        case EventType.AttendeeSignupsChanged: {
          const { event, attendee } = envelope.payload;
          const outcome = await this.commandBus.execute(new SyncBadge(manager, event, attendee));
          this.logger.debug(
            { attendeeId: attendee.id, type: envelope.type, outcome },
            'Badge synchronised',
          );
          return;
        }
        case EventType.ApiTokenCreated: {
          const { token } = envelope.payload;
          return ApiTokenProjection.created(manager, token);
        }
        case EventType.ApiTokenRevoked: {
          const { id } = envelope.payload;
          return ApiTokenProjection.revoked(manager, id);
        }
        case EventType.StreamSummaryRequested:
        case EventType.StreamSummary:
        case EventType.StreamReplayRequested:
          await this.reconciliation.handle(envelope, manager);
          return;
        // What attendance certificates are made of (certificates/certificate-attendance.ts).
        case EventType.ProgrammeUpdated: {
          const { event, sessions } = envelope.payload;
          await upsertEvent(manager, event);
          return CertificateAttendance.recordProgramme(manager, event.id, sessions);
        }
        case EventType.AttendeeCheckedIn:
          return CertificateAttendance.recordAdmission(manager, envelope.payload);
        case EventType.AttendeesCheckedIn:
          for (const passage of envelope.payload.passages) {
            await CertificateAttendance.recordAdmission(manager, passage);
          }
          return;
        // Exits count for no certificate; a replay of the door's stream sends them all the same.
        case EventType.AttendeeLeft:
          return;
        // Whether door tokens may print a badge (door-printing/door-printing.ts).
        case EventType.DoorSettingsChanged:
          return DoorPrinting.record(manager, envelope.payload);
        case EventType.BadgeIssued:
        case EventType.SigningKeyRetired:
        case EventType.SigningKeyActivated:
        case EventType.AuditRecorded:
          throw new Error(`${envelope.type} is not for the badges queue`);
        default: {
          const unhandled: never = envelope;
          throw new Error(`Unhandled event ${JSON.stringify(unhandled)}`);
        }
      }
    });
    // Once committed: the copies in Redis of the badge.issued messages that carried the person.
    await this.queuedCopies.scrub(erasedMessages.filter((message) => message.sent));
    // A retention date now passed (an organiser erased the event): erase without waiting for the
    // next round, and without holding this worker while it runs.
    if (dueNow) void this.retention.runNow();
  }
}
