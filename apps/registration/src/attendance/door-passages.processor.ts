import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { EventType, QueueName } from '@einlass/contracts';
import { consumeOnce, messagesToConsume, Reconciliation } from '@einlass/outbox';
import { EventConsumer } from '@einlass/messaging';
import { AuditLog } from '../audit/audit-log';
import { DoorAttendance } from './door-attendance';

/**
 * Consumes the `registration` queue: the door's live feed (attendee.checked_in, attendees.checked_in for a group, attendee.left),
 * and the audit entries of all three services (audit.recorded).
 * Each message once (inbox), in one transaction with what it changes.
 */
@Processor(QueueName.Registration, {
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 20),
})
export class DoorPassagesProcessor extends EventConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reconciliation: Reconciliation,
  ) {
    super();
  }

  /** A job holds one message, or a replay batch of many (messagesToConsume): each in turn. */
  async process(job: Job): Promise<void> {
    for (const data of await messagesToConsume(this.dataSource, job)) await this.consume(data);
  }

  private async consume(data: unknown): Promise<void> {
    await consumeOnce(this.dataSource, data, async (envelope, manager) => {
      switch (envelope.type) {
        case EventType.AttendeeCheckedIn:
          return DoorAttendance.checkedIn(manager, envelope.payload);
        case EventType.AttendeesCheckedIn:
          for (const passage of envelope.payload.passages) {
            await DoorAttendance.checkedIn(manager, passage);
          }
          return;
        case EventType.AttendeeLeft:
          return DoorAttendance.left(manager, envelope.payload);
        case EventType.AuditRecorded:
          return AuditLog.append(manager, envelope.messageId, envelope.payload.entry);
        case EventType.StreamSummaryRequested:
        case EventType.StreamSummary:
        case EventType.StreamReplayRequested:
          await this.reconciliation.handle(envelope, manager);
          return;
        case EventType.EventCreated:
        case EventType.EventUpdated:
        case EventType.AttendeeErased:
        case EventType.ProgrammeUpdated:
        case EventType.AttendeeRegistered:
        case EventType.AttendeeUpdated:
        case EventType.AttendeeCancelled:
        case EventType.AttendeeSignupsChanged:
        case EventType.BadgeIssued:
        case EventType.SigningKeyRetired:
        case EventType.SigningKeyActivated:
        case EventType.ApiTokenCreated:
        case EventType.ApiTokenRevoked:
        case EventType.DoorSettingsChanged:
          throw new Error(`${envelope.type} is not for the registration queue`);
        default: {
          const unhandled: never = envelope;
          throw new Error(`Unhandled event ${JSON.stringify(unhandled)}`);
        }
      }
    });
  }
}
