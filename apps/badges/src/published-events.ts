import type { EntityManager } from 'typeorm';
import {
  type AttendeeSnapshot,
  type EventPayload,
  type EventSnapshot,
  EventType,
} from '@einlass/contracts';
import { writeToOutbox } from '@einlass/outbox';

/*
 * What badges publishes, for check-in (routes: EVENT_ROUTES, payloads:
 * libs/contracts/src/events.ts), written to the outbox in the transaction of the change:
 *
 *   badge.issued     badgeIssued: a badge version signed (issueBadge, issuing/sync-badge.command.ts)
 *   signing_key.retired  signingKeyRetired: organisers retired a key
 *   signing_key.activated  signingKeyActivated: organisers rotated to a new key
 *                    (both in key-rotation/signing-key-commands.ts)
 *   audit.recorded   AuditTrail.record (libs/auth): who read or changed personal data
 *
 * The reconciliation sends each badge's current version again to a consumer that misses some
 * (reconciliation/badges.streams.ts, with badgeIssuedPayload), and each retired key
 * (signingKeyRetiredPayload).
 */

/** A signed badge version as `badge.issued` carries it: with the public key to verify it. */
export interface IssuedBadge {
  id: string;
  version: number;
  keyId: string;
  publicKey: string;
  issuedAt: Date;
}

export type BadgeIssuedPayload = EventPayload<typeof EventType.BadgeIssued>;

export function badgeIssuedPayload(
  event: EventSnapshot,
  attendee: AttendeeSnapshot,
  badge: IssuedBadge,
): BadgeIssuedPayload {
  return {
    event,
    attendee,
    badge: {
      id: badge.id,
      version: badge.version,
      keyId: badge.keyId,
      publicKey: badge.publicKey,
      issuedAt: badge.issuedAt.toISOString(),
    },
  };
}

/** `badge.issued`: check-in then refuses every older version of the badge as revoked. */
export async function badgeIssued(
  manager: EntityManager,
  event: EventSnapshot,
  attendee: AttendeeSnapshot,
  badge: IssuedBadge,
): Promise<void> {
  await writeToOutbox(manager, EventType.BadgeIssued, badgeIssuedPayload(event, attendee, badge));
}

export type SigningKeyRetiredPayload = EventPayload<typeof EventType.SigningKeyRetired>;

export function signingKeyRetiredPayload(
  event: EventSnapshot,
  key: { keyId: string; publicKey: string; retiredAt: Date },
): SigningKeyRetiredPayload {
  return {
    event,
    key: {
      keyId: key.keyId,
      publicKey: key.publicKey,
      retiredAt: new Date(key.retiredAt).toISOString(),
    },
  };
}

/** `signing_key.retired`: check-in then refuses every badge signed with the key. */
export async function signingKeyRetired(
  manager: EntityManager,
  event: EventSnapshot,
  key: { keyId: string; publicKey: string; retiredAt: Date },
): Promise<void> {
  await writeToOutbox(manager, EventType.SigningKeyRetired, signingKeyRetiredPayload(event, key));
}

/**
 * `signing_key.activated`: check-in holds the new public key before the first badge signed with it
 * arrives, so door devices get it with their next snapshot.
 */
export async function signingKeyActivated(
  manager: EntityManager,
  event: EventSnapshot,
  key: { keyId: string; publicKey: string; activatedAt: Date },
): Promise<void> {
  await writeToOutbox(manager, EventType.SigningKeyActivated, {
    event,
    key: {
      keyId: key.keyId,
      publicKey: key.publicKey,
      activatedAt: key.activatedAt.toISOString(),
    },
  });
}
