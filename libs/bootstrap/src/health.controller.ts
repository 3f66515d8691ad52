import { Controller, Get, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import Redis from 'ioredis';
import { Public } from '@einlass/auth';
import type { Environment } from '@einlass/config';
import { redisOptionsFromUrl } from '@einlass/messaging';

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms),
    ),
  ]);

/** Redis is reachable when it answers a PING on a connection of the health check's own. */
@Injectable()
export class RedisHealthIndicator implements OnApplicationShutdown {
  private readonly client: Redis;

  constructor(
    private readonly indicator: HealthIndicatorService,
    config: ConfigService<Environment, true>,
  ) {
    this.client = new Redis(
      redisOptionsFromUrl(config.get('REDIS_URL', { infer: true }), {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
      }),
    );
    this.client.on('error', () => undefined); // reported by the check itself
  }

  async check() {
    const status = this.indicator.check('redis');
    try {
      if (this.client.status === 'wait') await within(this.client.connect(), 1000);
      await within(this.client.ping(), 1000);
      return status.up();
    } catch (error) {
      return status.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}

/** `GET /health`: 200 only when PostgreSQL and Redis are reachable, 503 otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1000 }),
      () => this.redis.check(),
    ]);
  }
}
