import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { ApiTokenProjection } from '@einlass/auth';
import { EventType, QueueName } from '@einlass/contracts';
import { isDue } from '@einlass/database';
import { consumeOnce, messagesToConsume, Reconciliation } from '@einlass/outbox';
import { EventConsumer } from '@einlass/messaging';
import { CheckinErasure } from '../personal-data/checkin-erasure';
import { CheckinRetention } from '../personal-data/checkin-retention';
import { PublicKeys } from '../scanning/public-keys';
import { ReadModelProjection } from './read-model.projection';

/** Consumes the `checkin` queue into the read model the door decisions are made from. */
@Processor(QueueName.Checkin, { concurrency: Number(process.env.WORKER_CONCURRENCY ?? 20) })
export class CheckinProcessor extends EventConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly retention: CheckinRetention,
    private readonly reconciliation: Reconciliation,
    private readonly keys: PublicKeys,
  ) {
    super();
  }

  /** A job holds one message, or a replay batch of many (messagesToConsume): each in turn. */
  async process(job: Job): Promise<void> {
    for (const data of await messagesToConsume(this.dataSource, job)) await this.consume(data);
  }

  private async consume(data: unknown): Promise<void> {
    let dueNow = false;
    await consumeOnce(this.dataSource, data, async (envelope, manager) => {
      switch (envelope.type) {
        case EventType.EventCreated:
          return ReadModelProjection.event(manager, envelope.payload.event);
        case EventType.EventUpdated:
          dueNow = isDue(envelope.payload.event.erasePersonalDataAt);
          return ReadModelProjection.event(manager, envelope.payload.event);
        case EventType.AttendeeErased:
          await ReadModelProjection.event(manager, envelope.payload.event);
          return CheckinErasure.attendee(manager, envelope.payload.attendee);
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
        case EventType.SigningKeyRetired: {
          const { event, key } = envelope.payload;
          await ReadModelProjection.event(manager, event);
          await ReadModelProjection.keyRetired(manager, { eventId: event.id, ...key });
          // This process refuses the key's badges at once; other processes within seconds.
          this.keys.forget(key.keyId);
          return;
        }
        case EventType.SigningKeyActivated: {
          const { event, key } = envelope.payload;
          await ReadModelProjection.event(manager, event);
          return ReadModelProjection.publicKey(manager, { eventId: event.id, ...key });
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
        case EventType.AttendeesCheckedIn:
        case EventType.AttendeeLeft:
        case EventType.AuditRecorded:
        case EventType.DoorSettingsChanged:
          throw new Error(`${envelope.type} is not for the checkin queue`);
        default: {
          const unhandled: never = envelope;
          throw new Error(`Unhandled event ${JSON.stringify(unhandled)}`);
        }
      }
    });
    // A retention date now passed (an organiser erased the event): erase without waiting for the
    // next round, and without holding this worker while it runs.
    if (dueNow) void this.retention.runNow();
  }
}
