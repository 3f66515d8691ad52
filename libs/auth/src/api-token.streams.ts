import type { EntityManager } from 'typeorm';
import { StreamName } from '@einlass/contracts';
import type { ConsumedStream } from '@einlass/outbox';
import { toScopeSummaries } from '@einlass/outbox';

/**
 * The API tokens as a consumer holds them (reconciliation, streams.ts): one scope `*`, the tokens
 * it knows and how many of them are revoked. Badges and check-in consume this stream alike.
 */
export const consumedApiTokens: ConsumedStream = {
  stream: StreamName.ApiTokens,
  compares: 'count+total',
  async summarise(manager: EntityManager) {
    return toScopeSummaries(
      await manager.query(
        `SELECT '*' AS scope, count(*) AS count, count(revoked_at) AS total FROM api_tokens`,
      ),
    );
  },
};
