import type { EntityManager } from 'typeorm';
import { generateSigningKey } from '@einlass/tickets';

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
