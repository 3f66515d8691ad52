import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { AttendeeSnapshot, EventSnapshot } from '@einlass/contracts';
import { privateKeyFrom, signTicket } from '@einlass/tickets';
import { upsertEvent } from '../events/badge-event.entity';
import { badgeIssued } from '../published-events';
import { Badge } from './badge.entity';
import { activeSigningKey } from './signing-keys';

export type SyncOutcome = 'issued' | 'reissued' | 'revoked' | 'updated' | 'unchanged';

/**
 * Brings an attendee's badge in line with the latest snapshot of the attendee, inside the
 * transaction of the message that carried it (so the badge, its `badge.issued` outbox row and the
 * inbox entry commit together):
 * - first snapshot: the badge is issued (version 1);
 * - something printed changed: re-issued with the next version, which revokes the older ones;
 * - the registration was cancelled: revoked;
 * - a snapshot no newer than the one the badge was made from: nothing happens (repeated or late).
 */
export class SyncBadge extends Command<SyncOutcome> {
  constructor(
    readonly manager: EntityManager,
    readonly event: EventSnapshot,
    readonly attendee: AttendeeSnapshot,
  ) {
    super();
  }
}

/** What a badge prints of its holder: a change to any of these needs a new badge. */
export function printedFieldsDiffer(a: AttendeeSnapshot, b: AttendeeSnapshot): boolean {
  return (
    a.title !== b.title ||
    a.firstName !== b.firstName ||
    a.lastName !== b.lastName ||
    a.organisation !== b.organisation ||
    a.category !== b.category
  );
}

@CommandHandler(SyncBadge)
export class SyncBadgeHandler implements ICommandHandler<SyncBadge, SyncOutcome> {
  async execute({ manager, event, attendee }: SyncBadge): Promise<SyncOutcome> {
    await upsertEvent(manager, event);
    // Two messages about one attendee are handled one after the other, also before a badge row
    // exists (a replay batch and a single message about the same person may come at once).
    await lockHolder(manager, attendee.id);
    const current = await manager
      .getRepository(Badge)
      .createQueryBuilder('b')
      .where('b.id = :id', { id: attendee.id })
      .setLock('pessimistic_write')
      .getOne();
    const cancelled = attendee.status === 'cancelled';

    if (!current) {
      await issueBadge(manager, event, attendee, 1, cancelled ? 'revoked' : 'issued');
      return cancelled ? 'revoked' : 'issued';
    }
    // An erased holder's badge never takes data again, whatever arrives late.
    if (current.erasedAt || attendee.revision <= current.attendeeRevision) return 'unchanged';
    if (cancelled) {
      await manager.update(
        Badge,
        { id: current.id },
        { status: 'revoked', attendee, attendeeRevision: attendee.revision },
      );
      return 'revoked';
    }
    if (current.status === 'issued' && printedFieldsDiffer(current.attendee, attendee)) {
      await issueBadge(manager, event, attendee, current.version + 1, 'issued');
      return 'reissued';
    }
    await manager.update(
      Badge,
      { id: current.id },
      { attendee, attendeeRevision: attendee.revision },
    );
    return 'updated';
  }
}

/**
 * Holds, until the transaction ends, the right to change one attendee's badge. A row lock alone
 * does not do it: while no badge exists there is no row to lock, and two transactions would each
 * issue a first version (two `badge.issued`), or one would issue over an erasure.
 */
export async function lockHolder(manager: EntityManager, attendeeId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `badge-holder:${attendeeId}`,
  ]);
}

/**
 * Signs and stores version `version` of an attendee's badge and announces it (`badge.issued`, in
 * the same transaction): check-in then refuses every older version as revoked.
 */
export async function issueBadge(
  manager: EntityManager,
  event: EventSnapshot,
  attendee: AttendeeSnapshot,
  version: number,
  status: 'issued' | 'revoked',
): Promise<void> {
  const key = await activeSigningKey(manager, event.id);
  const qr = signTicket(
    { keyId: key.keyId, eventId: event.id, badgeId: attendee.id, badgeVersion: version },
    privateKeyFrom(key.privateKey),
  );
  const issuedAt = new Date();
  await manager.upsert(
    Badge,
    {
      id: attendee.id,
      eventId: event.id,
      version,
      status,
      qr,
      keyId: key.keyId,
      attendee,
      attendeeRevision: attendee.revision,
      issuedAt,
      printedAt: null,
      erasedAt: null,
    },
    ['id'],
  );
  await badgeIssued(manager, event, attendee, {
    id: attendee.id,
    version,
    keyId: key.keyId,
    publicKey: key.publicKey,
    issuedAt,
  });
}
