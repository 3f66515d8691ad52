import Redis from 'ioredis';
import { TEST_REDIS_URL, testQueuePrefixOfRun } from './test-env';

/**
 * Once after a test run: removes the queues the run's services used (every test file has its own
 * prefix, see test-env), so the test Redis does not grow with every run.
 */
export default async function globalTeardown(): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  try {
    await redis.connect();
    const stream = redis.scanStream({ match: `${testQueuePrefixOfRun()}*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
