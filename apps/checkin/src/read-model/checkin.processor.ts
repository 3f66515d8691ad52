import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { ApiTokenProjection } from '@einlass/auth';
import { EventType, QueueName } from '@einlass/contracts';
import { consumeOnce, Reconciliation } from '@einlass/database';
import { EventConsumer } from '@einlass/messaging';
import { ReadModelProjection } from './read-model.projection';

/** Consumes the `checkin` queue into the read model the door decisions are made from. */
@Processor(QueueName.Checkin, { concurrency: Number(process.env.WORKER_CONCURRENCY ?? 20) })
export class CheckinProcessor extends EventConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reconciliation: Reconciliation,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    await consumeOnce(this.dataSource, job.data, async (envelope, manager) => {
      switch (envelope.type) {
        case EventType.EventCreated:
          return ReadModelProjection.event(manager, envelope.payload.event);
        case EventType.ProgrammeUpdated:
          await ReadModelProjection.event(manager, envelope.payload.event);
          return ReadModelProjection.sessions(
            manager,
            envelope.payload.event.id,
            envelope.payload.sessions,
          );
        case EventType.AttendeeRegistered:
        case EventType.AttendeeUpdated:
        case EventType.AttendeeCancelled:
        case EventType.AttendeeSignupsChanged:
          await ReadModelProjection.event(manager, envelope.payload.event);
          return ReadModelProjection.attendee(manager, envelope.payload.attendee);
        case EventType.BadgeIssued: {
          const { event, attendee, badge } = envelope.payload;
          await ReadModelProjection.event(manager, event);
          await ReadModelProjection.publicKey(manager, {
            keyId: badge.keyId,
            eventId: event.id,
            publicKey: badge.publicKey,
          });
          await ReadModelProjection.attendee(manager, attendee);
          return ReadModelProjection.badgeVersion(manager, badge.id, badge.version);
        }
        case EventType.ApiTokenCreated:
          return ApiTokenProjection.created(manager, envelope.payload.token);
        case EventType.ApiTokenRevoked:
          return ApiTokenProjection.revoked(manager, envelope.payload.id);
        case EventType.StreamSummaryRequested:
        case EventType.StreamSummary:
        case EventType.StreamReplayRequested:
          await this.reconciliation.handle(envelope, manager);
          return;
        case EventType.AttendeeCheckedIn:
        case EventType.AttendeeLeft:
          throw new Error(`${envelope.type} is not for the checkin queue`);
        default: {
          const unhandled: never = envelope;
          throw new Error(`Unhandled event ${JSON.stringify(unhandled)}`);
        }
      }
    });
  }
}
