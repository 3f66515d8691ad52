import type { EntityManager } from 'typeorm';
import type { SigningKeyView } from '@einlass/contracts';
import { generateSigningKey } from '@einlass/tickets';

export type { SigningKeyView };

export interface ActiveKey {
  keyId: string;
  publicKey: string;
  privateKey: string;
}

/**
 * The event's active signing key, created on first use. Safe under concurrency: when two workers
 * create one at once, the unique index keeps the first and both use it.
 */
export async function activeSigningKey(
  manager: EntityManager,
  eventId: string,
): Promise<ActiveKey> {
  const existing = await manager.query<ActiveKey[]>(
    `SELECT key_id AS "keyId", public_key AS "publicKey", private_key AS "privateKey"
       FROM signing_keys WHERE event_id = $1 AND active`,
    [eventId],
  );
  if (existing[0]) return existing[0];
  // Made one at a time with rotations (rotateSigningKey), which would otherwise collide with it.
  await lockEventKeys(manager, eventId);
  const fresh = generateSigningKey();
  await manager.query(
    `INSERT INTO signing_keys (key_id, event_id, public_key, private_key, active)
     VALUES ($1, $2, $3, $4, true) ON CONFLICT (event_id) WHERE active DO NOTHING`,
    [fresh.keyId, eventId, fresh.publicKey, fresh.privateKey],
  );
  const [key] = await manager.query<ActiveKey[]>(
    `SELECT key_id AS "keyId", public_key AS "publicKey", private_key AS "privateKey"
       FROM signing_keys WHERE event_id = $1 AND active`,
    [eventId],
  );
  return key;
}

/**
 * Holds, until the transaction ends, the right to change which of an event's keys is active or
 * retired: a rotation and a retirement of the same event run one after the other.
 */
async function lockEventKeys(manager: EntityManager, eventId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `signing-keys:${eventId}`,
  ]);
}

/**
 * A new key becomes the event's active one; the old one stays valid (its badges keep working)
 * until it is retired. Badges issued after the commit are signed with the new key.
 */
export async function rotateSigningKey(
  manager: EntityManager,
  eventId: string,
): Promise<{ keyId: string; publicKey: string }> {
  await lockEventKeys(manager, eventId);
  await manager.query(`UPDATE signing_keys SET active = false WHERE event_id = $1 AND active`, [
    eventId,
  ]);
  const fresh = generateSigningKey();
  await manager.query(
    `INSERT INTO signing_keys (key_id, event_id, public_key, private_key, active)
     VALUES ($1, $2, $3, $4, true)`,
    [fresh.keyId, eventId, fresh.publicKey, fresh.privateKey],
  );
  return { keyId: fresh.keyId, publicKey: fresh.publicKey };
}

/** The event's keys, oldest first, with how many current badges each signs. */
export async function signingKeysOf(
  manager: EntityManager,
  eventId: string,
): Promise<SigningKeyView[]> {
  const rows = await manager.query<
    { keyId: string; createdAt: Date; active: boolean; retiredAt: Date | null; badges: number }[]
  >(
    `SELECT k.key_id AS "keyId", k.created_at AS "createdAt", k.active, k.retired_at AS "retiredAt",
            (SELECT count(*)::int FROM badges b WHERE b.key_id = k.key_id AND b.status = 'issued')
              AS badges
       FROM signing_keys k WHERE k.event_id = $1 ORDER BY k.created_at, k.key_id`,
    [eventId],
  );
  return rows.map((row) => ({
    keyId: row.keyId,
    createdAt: new Date(row.createdAt).toISOString(),
    active: row.active,
    retiredAt: row.retiredAt ? new Date(row.retiredAt).toISOString() : null,
    badges: row.badges,
  }));
}

export type RetireOutcome =
  | { outcome: 'retired' | 'already_retired'; keyId: string; publicKey: string; retiredAt: Date }
  | { outcome: 'unknown' }
  | { outcome: 'active' };

/**
 * Retires one of the event's keys: from then on its badges are refused. The active key cannot be
 * retired (badges are being signed with it): rotate first. Retiring twice keeps the first time.
 */
export async function retireSigningKey(
  manager: EntityManager,
  eventId: string,
  keyId: string,
): Promise<RetireOutcome> {
  await lockEventKeys(manager, eventId);
  const [key] = await manager.query<
    { publicKey: string; active: boolean; retiredAt: Date | null }[]
  >(
    `SELECT public_key AS "publicKey", active, retired_at AS "retiredAt"
       FROM signing_keys WHERE key_id = $1 AND event_id = $2`,
    [keyId, eventId],
  );
  if (!key) return { outcome: 'unknown' };
  if (key.active) return { outcome: 'active' };
  if (key.retiredAt) {
    return {
      outcome: 'already_retired',
      keyId,
      publicKey: key.publicKey,
      retiredAt: key.retiredAt,
    };
  }
  const retiredAt = new Date();
  await manager.query(`UPDATE signing_keys SET retired_at = $2 WHERE key_id = $1`, [
    keyId,
    retiredAt,
  ]);
  return { outcome: 'retired', keyId, publicKey: key.publicKey, retiredAt };
}
