import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Environment, registrationUrl } from '@einlass/config';
import type { Role } from './api-token.entity';
import { hashToken, type Principal, sameSecret } from './principal';

/**
 * Provided (with `true`) by badges and check-in: confirm each token against registration, which
 * owns the tokens, instead of trusting only the copy the queue brings. Registration leaves it out
 * and reads its own table.
 */
export const CONFIRM_TOKENS_WITH_REGISTRATION = 'einlass:confirm-tokens-with-registration';

/** How long registration has to answer a confirmation before the local copy decides. */
const CONFIRM_TIMEOUT_MS = 1000;
/** After registration failed to answer, it is not asked again for this long (the door keeps pace). */
const UNREACHABLE_BACKOFF_MS = 2000;

interface TokenRow {
  id: string;
  role: Role;
  label: string;
  gates: string[];
  events: string[];
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** What `GET /api/me` of registration answers. */
interface MeAnswer {
  id: string | null;
  role: Role;
  label: string;
  gates: string[];
  events: string[];
  expiresAt: string | null;
}

/**
 * Who a bearer token belongs to, or null when it is unknown, revoked or expired.
 *
 * - Registration reads its own table (the tokens' home).
 * - Badges and check-in ask registration (`GET /api/me` with the same token), so a revocation or
 *   an expiry holds there within TOKEN_CHECK_CACHE_MS even while Redis is down or after it lost
 *   the `api_token.revoked` message. When registration does not answer, the door must keep
 *   scanning: the service then decides from its own copy (fed by the queue) and, for a token its
 *   copy does not know yet, from what registration last confirmed. A token revoked in that copy
 *   or expired is refused either way.
 *
 * Answers are cached for TOKEN_CHECK_CACHE_MS (2 s): revocation reaches every service within that
 * time, well inside the 5 s the contract promises.
 */
@Injectable()
export class TokenResolver {
  private readonly logger = new Logger(TokenResolver.name);
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  /** Tokens registration last confirmed as valid: the fallback while it cannot be reached. */
  private readonly confirmed = new Map<string, Principal>();
  private readonly organiserToken?: string;
  private readonly cacheMs: number;
  private readonly registration: string;
  private unreachableUntil = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<Environment, true>,
    @Optional() @Inject(CONFIRM_TOKENS_WITH_REGISTRATION) private readonly confirm?: boolean,
  ) {
    this.organiserToken = config.get('ORGANISER_TOKEN', { infer: true });
    this.cacheMs = config.get('TOKEN_CHECK_CACHE_MS', { infer: true });
    this.registration = registrationUrl({
      REGISTRATION_URL: config.get('REGISTRATION_URL', { infer: true }),
      REGISTRATION_PORT: config.get('REGISTRATION_PORT', { infer: true }),
      TLS_CERT_FILE: config.get('TLS_CERT_FILE', { infer: true }),
    });
  }

  async resolve(token: string, clientAddress?: string): Promise<Principal | null> {
    if (this.organiserToken && sameSecret(token, this.organiserToken)) {
      return {
        tokenId: null,
        role: 'organiser',
        label: 'ORGANISER_TOKEN',
        gates: [],
        events: [],
        expiresAt: null,
      };
    }
    const hash = hashToken(token);
    const now = Date.now();
    const cached = this.cache.get(hash);
    let principal: Principal | null;
    if (cached && cached.until > now) {
      principal = cached.principal;
    } else {
      principal = await this.lookUp(token, hash, clientAddress);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { principal, until: now + this.cacheMs });
    }
    if (principal?.expiresAt && principal.expiresAt.getTime() <= Date.now()) return null;
    return principal;
  }

  private async lookUp(
    token: string,
    hash: string,
    clientAddress?: string,
  ): Promise<Principal | null> {
    const local = await this.localRow(hash);
    if (local?.revoked_at) return null; // revoked is final, whoever else says otherwise
    if (!this.confirm) return local ? principalOf(local) : null;
    const answer = await this.askRegistration(token, clientAddress);
    if (answer === 'unreachable') {
      return local ? principalOf(local) : (this.confirmed.get(hash) ?? null);
    }
    if (answer === null) {
      this.confirmed.delete(hash);
      return null;
    }
    if (this.confirmed.size > 10_000) this.confirmed.clear();
    this.confirmed.set(hash, answer);
    return answer;
  }

  private async localRow(hash: string): Promise<TokenRow | undefined> {
    const [row] = await this.dataSource.query<TokenRow[]>(
      `SELECT id, role, label, gates, events, expires_at, revoked_at FROM api_tokens WHERE hash = $1`,
      [hash],
    );
    return row;
  }

  /** Registration's word on a token: its principal, null (refused), or unreachable. */
  private async askRegistration(
    token: string,
    clientAddress?: string,
  ): Promise<Principal | null | 'unreachable'> {
    if (Date.now() < this.unreachableUntil) return 'unreachable';
    try {
      const response = await fetch(`${this.registration}/api/me`, {
        headers: {
          authorization: `Bearer ${token}`,
          // Registration limits failed sign-ins per client address: name the real client.
          ...(clientAddress ? { 'x-forwarded-for': clientAddress } : {}),
        },
        signal: AbortSignal.timeout(CONFIRM_TIMEOUT_MS),
      });
      if (response.status === 401) return null;
      if (!response.ok) throw new Error(`registration answered ${response.status}`);
      const me = (await response.json()) as MeAnswer;
      return {
        tokenId: me.id,
        role: me.role,
        label: me.label,
        gates: me.gates,
        events: me.events,
        expiresAt: me.expiresAt ? new Date(me.expiresAt) : null,
      };
    } catch (error) {
      this.unreachableUntil = Date.now() + UNREACHABLE_BACKOFF_MS;
      this.logger.warn(
        {
          err: error instanceof Error ? error.message : String(error),
          registration: this.registration,
        },
        'registration did not confirm a token; deciding from the local copy',
      );
      return 'unreachable';
    }
  }
}

function principalOf(row: TokenRow): Principal {
  return {
    tokenId: row.id,
    role: row.role,
    label: row.label,
    gates: row.gates,
    events: row.events,
    expiresAt: row.expires_at,
  };
}
