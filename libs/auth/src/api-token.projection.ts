import type { EntityManager } from 'typeorm';
import type { ApiTokenSnapshot } from '@einlass/contracts';

/** Keeps a service's copy of the API tokens in step with the registration service. */
export const ApiTokenProjection = {
  async created(manager: EntityManager, token: ApiTokenSnapshot): Promise<void> {
    await manager.query(
      `INSERT INTO api_tokens (id, hash, role, label, gates, events, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [
        token.id,
        token.hash,
        token.role,
        token.label,
        token.gates,
        token.events,
        token.expiresAt ?? null,
      ],
    );
  },

  async revoked(manager: EntityManager, id: string): Promise<void> {
    // A revocation that overtakes its creation still wins: keep a revoked placeholder.
    await manager.query(
      `INSERT INTO api_tokens (id, hash, role, label, revoked_at)
       VALUES ($1, $2, 'door', 'revoked', now())
       ON CONFLICT (id) DO UPDATE SET revoked_at = coalesce(api_tokens.revoked_at, now())`,
      [id, `revoked-${id}`],
    );
  },
};
