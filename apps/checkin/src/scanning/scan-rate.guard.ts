import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Principal, TokenBuckets, TooManyRequests } from '@einlass/auth';
import type { Environment } from '@einlass/config';

/**
 * Door tokens may scan about SCAN_RATE_PER_SECOND times a second, in bursts of SCAN_BURST; beyond
 * that the answer is 429 with Retry-After (a device hammering random codes, or a stuck scanner).
 * One budget per token for single scans, manual check-ins and offline queues alike: a queue of n
 * scans (`POST …/scans`) costs n. It goes through in one call once the budget holds a burst's
 * worth (or n, if fewer), and the token then waits until it has paid for it: a device's 1,000
 * queued scans sync in one call, and no token records more than the rate over time.
 * Counted per token and per process; organiser tokens are not held to door rates (desk tokens are).
 */
@Injectable()
export class ScanBudget {
  private readonly buckets: TokenBuckets;

  constructor(config: ConfigService<Environment, true>) {
    this.buckets = new TokenBuckets(
      config.get('SCAN_RATE_PER_SECOND', { infer: true }),
      config.get('SCAN_BURST', { infer: true }),
    );
  }

  /** Takes `scans` from the token's budget, or throws the 429 to answer. */
  take(principal: Principal, scans: number): void {
    if (principal.role === 'organiser') return;
    const wait = this.buckets.take(`token:${principal.tokenId ?? principal.label}`, scans);
    if (wait > 0) {
      throw new TooManyRequests(`Too many scans with this token; try again in ${wait} s`, wait);
    }
  }
}

/** The scan routes' guard: the request's scans against its token's ScanBudget. */
@Injectable()
export class ScanRateGuard implements CanActivate {
  constructor(private readonly budget: ScanBudget) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ principal?: Principal; body?: unknown }>();
    if (!request.principal) return true;
    this.budget.take(
      request.principal,
      Array.isArray(request.body) ? Math.max(1, request.body.length) : 1,
    );
    return true;
  }
}
