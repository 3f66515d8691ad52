import Redis from 'ioredis';
import { TEST_REDIS_URL, testQueuePrefix, testQueuePrefixOfRun } from './test-env';

/**
 * Removes the queues (every key) this run's test files left in the test Redis, except `keep`'s
 * (a prefix). Returns how many keys went.
 */
export async function removeTestQueues(keep?: string): Promise<number> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  let removed = 0;
  try {
    await redis.connect();
    const stream = redis.scanStream({ match: `${testQueuePrefixOfRun()}*`, count: 1000 });
    for await (const found of stream as AsyncIterable<string[]>) {
      const keys = keep ? found.filter((key) => !key.startsWith(keep)) : found;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    }
  } finally {
    // closed before this resolves (quit resolves on Redis's answer, the socket closes after it):
    // the next file's set-up reports sockets still open as left by the file before
    const ended = new Promise((resolve) => redis.once('end', resolve));
    await redis.quit().catch(() => redis.disconnect());
    await ended;
  }
  return removed;
}

/**
 * Before a test file: the queues of the files before it go (their services have stopped: jest runs
 * the files one after another). An import leaves tens of thousands of jobs no consumer of its
 * file took; left in place, they were searched by every later erasure test that looks through all
 * of Redis for a person's data (everythingStored), which then outran its timeout.
 */
export function removeEarlierFilesQueues(): Promise<number> {
  return removeTestQueues(testQueuePrefix());
}
