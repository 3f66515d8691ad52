import { ConflictException, NotFoundException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource, type EntityManager } from 'typeorm';
import { BadgeEvent, eventSnapshotOf } from '../events/badge-event.entity';
import { Badge } from '../issuing/badge.entity';
import {
  retireSigningKey,
  rotateSigningKey,
  signingKeysOf,
  type SigningKeyView,
} from '../issuing/signing-keys';
import { issueBadge } from '../issuing/sync-badge.command';
import { signingKeyActivated, signingKeyRetired } from '../published-events';

/** How many badges one transaction re-issues (each its own `badge.issued`). */
const REISSUE_CHUNK = 500;

async function eventOrFail(manager: EntityManager, slug: string): Promise<BadgeEvent> {
  const event = await manager.getRepository(BadgeEvent).findOneBy({ slug });
  if (!event) throw new NotFoundException(`No event "${slug}"`);
  return event;
}

/** A new key becomes the event's active one; badges signed with the old one keep working. */
export class RotateSigningKey extends Command<SigningKeyView> {
  constructor(readonly eventSlug: string) {
    super();
  }
}

@CommandHandler(RotateSigningKey)
export class RotateSigningKeyHandler implements ICommandHandler<RotateSigningKey, SigningKeyView> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ eventSlug }: RotateSigningKey): Promise<SigningKeyView> {
    return this.dataSource.transaction(async (manager) => {
      const event = await eventOrFail(manager, eventSlug);
      const fresh = await rotateSigningKey(manager, event.id);
      await signingKeyActivated(manager, eventSnapshotOf(event), {
        ...fresh,
        activatedAt: new Date(),
      });
      const keyId = fresh.keyId;
      const keys = await signingKeysOf(manager, event.id);
      return keys.find((key) => key.keyId === keyId)!;
    });
  }
}

/**
 * A key leaked: its badges are refused from then on (`revoked`, `key_retired`), and check-in
 * hears of it through `signing_key.retired`. 404 for a key not of this event, 409 for the active
 * key. Retiring a retired key again changes nothing.
 */
export class RetireSigningKey extends Command<SigningKeyView> {
  constructor(
    readonly eventSlug: string,
    readonly keyId: string,
  ) {
    super();
  }
}

@CommandHandler(RetireSigningKey)
export class RetireSigningKeyHandler implements ICommandHandler<RetireSigningKey, SigningKeyView> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ eventSlug, keyId }: RetireSigningKey): Promise<SigningKeyView> {
    return this.dataSource.transaction(async (manager) => {
      const event = await eventOrFail(manager, eventSlug);
      const retired = await retireSigningKey(manager, event.id, keyId);
      switch (retired.outcome) {
        case 'unknown':
          throw new NotFoundException(`No signing key ${keyId} in event "${eventSlug}"`);
        case 'active':
          throw new ConflictException(
            `Key ${keyId} is the active key: new badges are signed with it. Rotate first (POST …/signing-keys/rotate), then retire it`,
          );
        case 'retired':
          await signingKeyRetired(manager, eventSnapshotOf(event), retired);
          break;
        case 'already_retired':
          break;
      }
      const keys = await signingKeysOf(manager, event.id);
      return keys.find((key) => key.keyId === keyId)!;
    });
  }
}

/**
 * Every current badge of the event signed with a retired key gets its next version, signed with
 * the active key (the old code then answers `revoked`). Answers the badge ids re-issued.
 * In transactions of REISSUE_CHUNK badges, each badge locked as a single re-issue locks it.
 */
export class ReissueRetiredKeyBadges extends Command<string[]> {
  constructor(readonly eventSlug: string) {
    super();
  }
}

@CommandHandler(ReissueRetiredKeyBadges)
export class ReissueRetiredKeyBadgesHandler implements ICommandHandler<
  ReissueRetiredKeyBadges,
  string[]
> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ eventSlug }: ReissueRetiredKeyBadges): Promise<string[]> {
    const event = await eventOrFail(this.dataSource.manager, eventSlug);
    const snapshot = eventSnapshotOf(event);
    const reissued: string[] = [];
    for (;;) {
      const chunk = await this.dataSource.transaction(async (manager) => {
        // Re-checked after the lock: a badge re-issued meanwhile (a change, a lost badge) is
        // signed with the active key already and drops out.
        const badges = await manager
          .getRepository(Badge)
          .createQueryBuilder('b')
          .where(`b.eventId = :eventId AND b.status = 'issued'`, { eventId: event.id })
          .andWhere(
            `b.keyId IN (SELECT key_id FROM signing_keys WHERE event_id = :eventId AND retired_at IS NOT NULL)`,
          )
          .orderBy('b.id')
          .take(REISSUE_CHUNK)
          .setLock('pessimistic_write')
          .getMany();
        for (const badge of badges) {
          await issueBadge(manager, snapshot, badge.attendee, badge.version + 1, 'issued');
        }
        return badges.map((badge) => badge.id);
      });
      reissued.push(...chunk);
      if (chunk.length < REISSUE_CHUNK) return reissued;
    }
  }
}
