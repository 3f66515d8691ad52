import {
  Controller,
  Get,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { answer } from '@einlass/contracts';
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
import { readRedisSettings, redisSettingsWarnings } from './redis-settings';

/** How long the settings read from Redis are trusted before /health reads them again. */
const SETTINGS_TTL_MS = 60_000;

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms),
    ),
  ]);

/**
 * Redis is reachable when it answers a PING on a connection of the health check's own. Settings
 * that put queued messages at risk (an eviction policy, no persistence) are a loud warning in the
 * log at start-up and in the details of every /health answer, never a refusal.
 */
@Injectable()
export class RedisHealthIndicator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RedisSettings');
  private readonly client: Redis;
  private warnings: string[] = [];
  private warningsReadAt = 0;

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

  /** Reads the settings once at start-up and says loudly what is wrong with them. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.connect();
      await this.readWarnings();
      for (const warning of this.warnings) this.logger.warn({ redis: 'settings' }, warning);
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not read the Redis settings at start-up');
    }
  }

  private async connect(): Promise<void> {
    if (this.client.status === 'wait') await within(this.client.connect(), 1000);
  }

  private async readWarnings(): Promise<void> {
    const settings = await within(readRedisSettings(this.client), 1000);
    this.warnings = redisSettingsWarnings(settings);
    this.warningsReadAt = Date.now();
  }

  async check() {
    const status = this.indicator.check('redis');
    try {
      await this.connect();
      await within(this.client.ping(), 1000);
      if (Date.now() - this.warningsReadAt > SETTINGS_TTL_MS) {
        await this.readWarnings().catch(() => undefined);
      }
      return this.warnings.length > 0 ? status.up({ warnings: this.warnings }) : status.up();
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

  @ApiOkResponse({ schema: answer('Health') })
  @ApiServiceUnavailableResponse({ schema: answer('Health') })
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
