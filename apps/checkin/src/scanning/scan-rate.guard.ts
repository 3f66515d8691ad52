import { ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Principal } from '@einlass/auth';
import type { Environment } from '@einlass/config';

/**
 * Door tokens may scan about SCAN_RATE_PER_SECOND times a second, in bursts of SCAN_BURST; beyond
 * that the answer is 429 with Retry-After (a device hammering random codes, or a stuck scanner).
 * Counted per token and per process; organiser tokens are not held to door rates.
 */
export const scanRateLimit = () =>
  ThrottlerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<Environment, true>) => {
      const burst = config.get('SCAN_BURST', { infer: true });
      const rate = config.get('SCAN_RATE_PER_SECOND', { infer: true });
      return {
        throttlers: [{ name: 'scans', limit: burst, ttl: Math.ceil((burst / rate) * 1000) }],
      };
    },
  });

@Injectable()
export class ScanRateGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
    return Promise.resolve(request.principal?.role !== 'door');
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = request.principal as Principal | undefined;
    return Promise.resolve(`token:${principal?.tokenId ?? 'unknown'}`);
  }
}
