import { Command, CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { AttendeeSnapshot, EventSnapshot, EventType } from '@einlass/contracts';
import { writeToOutbox } from '@einlass/database';
import { privateKeyFrom, signTicket } from '@einlass/tickets';
import { upsertEvent } from '../events/badge-event.entity';
import { Badge } from './badge.entity';
import { activeSigningKey } from './signing-keys';

export type IssueOutcome = 'issued' | 'unchanged';

/**
 * Issues an attendee's badge, inside the transaction of the message that asked for it (so the
 * badge, its `badge.issued` outbox row and the inbox entry commit together).
 */
export class IssueBadge extends Command<IssueOutcome> {
  constructor(
    readonly manager: EntityManager,
    readonly event: EventSnapshot,
    readonly attendee: AttendeeSnapshot,
  ) {
    super();
  }
}

/** Domain event inside the badges service. */
export class BadgeIssued {
  constructor(
    readonly badgeId: string,
    readonly version: number,
  ) {}
}

@CommandHandler(IssueBadge)
export class IssueBadgeHandler implements ICommandHandler<IssueBadge, IssueOutcome> {
  constructor(private readonly eventBus: EventBus) {}

  async execute({ manager, event, attendee }: IssueBadge): Promise<IssueOutcome> {
    await upsertEvent(manager, event);
    // Lock the badge row (if any): two messages about one attendee are handled one after the other.
    const current = await manager
      .getRepository(Badge)
      .createQueryBuilder('b')
      .where('b.id = :id', { id: attendee.id })
      .setLock('pessimistic_write')
      .getOne();
    // The attendee already has a badge: a repeated or older snapshot changes nothing.
    if (current) return 'unchanged';

    const key = await activeSigningKey(manager, event.id);
    const version = 1;
    const qr = signTicket(
      { keyId: key.keyId, eventId: event.id, badgeId: attendee.id, badgeVersion: version },
      privateKeyFrom(key.privateKey),
    );
    const issuedAt = new Date();
    await manager.insert(Badge, {
      id: attendee.id,
      eventId: event.id,
      version,
      status: 'issued',
      qr,
      keyId: key.keyId,
      attendee,
      attendeeRevision: attendee.revision,
      issuedAt,
      printedAt: null,
    });
    await writeToOutbox(manager, EventType.BadgeIssued, {
      event,
      attendee,
      badge: {
        id: attendee.id,
        version,
        keyId: key.keyId,
        publicKey: key.publicKey,
        issuedAt: issuedAt.toISOString(),
      },
    });
    this.eventBus.publish(new BadgeIssued(attendee.id, version));
    return 'issued';
  }
}
