import { ConflictException, NotFoundException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Principal } from '@einlass/auth';
import { DoorPrinting } from '../door-printing/door-printing';
import { BadgeEvent, eventSnapshotOf } from '../events/badge-event.entity';
import { Badge } from './badge.entity';
import { issueBadge } from './sync-badge.command';

/**
 * A badge was lost: issue the next version for the same person, so the lost one answers `revoked`
 * ("a newer badge exists") at the door, and the new one can be printed.
 */
export class ReissueBadge extends Command<Badge> {
  constructor(
    readonly eventSlug: string,
    readonly attendeeId: string,
    /** Who asks: a door token may then fetch this version's PDF (DoorPrinting). */
    readonly principal?: Principal,
  ) {
    super();
  }
}

@CommandHandler(ReissueBadge)
export class ReissueBadgeHandler implements ICommandHandler<ReissueBadge, Badge> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ eventSlug, attendeeId, principal }: ReissueBadge): Promise<Badge> {
    return this.dataSource.transaction(async (manager) => {
      const event = await manager.getRepository(BadgeEvent).findOneBy({ slug: eventSlug });
      if (!event) throw new NotFoundException(`No event "${eventSlug}"`);
      // Locked: a re-issue and a change of the attendee arriving at once run one after the other.
      const badge = await manager
        .getRepository(Badge)
        .createQueryBuilder('b')
        .where('b.id = :id AND b.eventId = :eventId', { id: attendeeId, eventId: event.id })
        .setLock('pessimistic_write')
        .getOne();
      if (!badge) {
        throw new ConflictException('The badge is not issued yet; try again in a moment');
      }
      if (badge.status === 'revoked') {
        throw new ConflictException('The registration is cancelled: its badge stays revoked');
      }
      await issueBadge(
        manager,
        eventSnapshotOf(event),
        badge.attendee,
        badge.version + 1,
        'issued',
      );
      const reissued = await manager.getRepository(Badge).findOneByOrFail({ id: badge.id });
      if (principal) await DoorPrinting.recordReissue(manager, principal, reissued);
      return reissued;
    });
  }
}
