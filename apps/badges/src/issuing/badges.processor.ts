import { Processor } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { ApiTokenProjection } from '@einlass/auth';
import { EventType, QueueName } from '@einlass/contracts';
import { consumeOnce, Reconciliation } from '@einlass/database';
import { EventConsumer } from '@einlass/messaging';
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
    private readonly reconciliation: Reconciliation,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    await consumeOnce(this.dataSource, job.data, async (envelope, manager) => {
      switch (envelope.type) {
        case EventType.EventCreated: {
          const { event } = envelope.payload;
          await upsertEvent(manager, event);
          await activeSigningKey(manager, event.id);
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
        case EventType.ProgrammeUpdated:
        case EventType.BadgeIssued:
        case EventType.AttendeeCheckedIn:
        case EventType.AttendeeLeft:
          throw new Error(`${envelope.type} is not for the badges queue`);
        default: {
          const unhandled: never = envelope;
          throw new Error(`Unhandled event ${JSON.stringify(unhandled)}`);
        }
      }
    });
  }
}
