import { DisposableRedis, ServiceProcesses, waitFor } from '@einlass/testing';

/**
 * A Redis that may evict or forget queued messages is a loud warning at start-up and in /health,
 * not a refusal (the development set-up runs without persistence).
 */
describe('Redis settings that put messages at risk', () => {
  let redis: DisposableRedis;
  let services: ServiceProcesses;

  beforeAll(async () => {
    redis = await DisposableRedis.start([
      '--maxmemory-policy',
      'allkeys-lru',
      '--appendonly',
      'no',
    ]);
    services = new ServiceProcesses(5651, {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `settings_${process.pid}`,
      LOG_LEVEL: 'warn',
    });
    await services.start('registration');
  }, 90_000);

  afterAll(async () => {
    await services.stopAll();
    await redis.dispose();
  }, 30_000);

  it('starts, and warns in the log and in /health of eviction and of no persistence', async () => {
    const response = await fetch(`${services.url('registration')}/health`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as {
      status: string;
      details: { redis: { status: string; warnings: string[] } };
    };
    expect(health.status).toBe('ok');
    expect(health.details.redis.status).toBe('up');
    expect(health.details.redis.warnings).toEqual([
      expect.stringMatching(/maxmemory-policy is "allkeys-lru", not "noeviction"/),
      expect.stringMatching(/no persistence/),
    ]);
    const logged = await waitFor(
      'the warnings in the log',
      () => {
        const lines = services
          .log('registration')
          .split('\n')
          .filter((line) => line.includes('"level":40') && line.includes('Redis'));
        return Promise.resolve(lines.length >= 2 ? lines : undefined);
      },
      { timeoutMs: 15_000 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${services.log('registration')}`);
    });
    expect(logged.join('\n')).toMatch(/no persistence/);
  }, 60_000);
});
