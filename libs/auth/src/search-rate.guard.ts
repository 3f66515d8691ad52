import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@einlass/config';
import { TooManyRequests } from './auth.guard';
import type { Principal } from './principal';
import { TokenBuckets } from './rate-limit';

/**
 * Searches (a request with a non-empty `q`) are limited per token: SEARCH_RATE_PER_SECOND, in
 * bursts of SEARCH_BURST, beyond that 429 with Retry-After. Enough for a person typing; too slow
 * to rebuild data one character at a time. Use with @UseGuards(SearchRateGuard) on search routes
 * (provide it in the module, so every route shares its buckets).
 */
@Injectable()
export class SearchRateGuard implements CanActivate {
  private readonly buckets: TokenBuckets;

  constructor(config: ConfigService<Environment, true>) {
    this.buckets = new TokenBuckets(
      config.get('SEARCH_RATE_PER_SECOND', { infer: true }),
      config.get('SEARCH_BURST', { infer: true }),
    );
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ query?: { q?: unknown }; principal?: Principal }>();
    const q = request.query?.q;
    if (typeof q !== 'string' || q.trim() === '') return true;
    const principal = request.principal;
    const wait = this.buckets.take(`token:${principal?.tokenId ?? principal?.label ?? 'unknown'}`);
    if (wait > 0) throw new TooManyRequests('Too many searches with this token; slow down', wait);
    return true;
  }
}
