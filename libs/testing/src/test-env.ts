/**
 * Where tests find PostgreSQL and Redis. `npm test` (scripts/test.sh) provides them and sets
 * TEST_DATABASE_URL and TEST_REDIS_URL; a bare `npx jest` falls back to the local defaults.
 */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/einlass_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1';
export const TEST_ORGANISER_TOKEN = 'test-organiser-token-0123456789';

/**
 * The queues of this test file's services. Unique per file and run (jest loads this module afresh
 * for each file), so jobs never go to a service another file or an earlier run left behind.
 */
const TEST_QUEUE_PREFIX = `${testQueuePrefixOfRun()}${Math.random().toString(36).slice(2, 8)}`;

/** The queue prefix of this test file's services. */
export function testQueuePrefix(): string {
  return TEST_QUEUE_PREFIX;
}

/** What the queue prefixes of this run's test files begin with (jest runs in band: one pid). */
export function testQueuePrefixOfRun(): string {
  return `einlass_test_${process.pid}_`;
}

/** The environment a service under test runs with. */
export function serviceEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    ORGANISER_TOKEN: TEST_ORGANISER_TOKEN,
    QUEUE_PREFIX: TEST_QUEUE_PREFIX,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    OUTBOX_POLL_MS: '200',
    // Tests drive the services far faster than any client; the tests of the request budget
    // itself set their own.
    REQUEST_RATE_PER_SECOND: '100000',
    REQUEST_BURST: '100000',
    // No metrics servers unless a test asks for them: files and runs side by side would compete
    // for the fixed default ports.
    REGISTRATION_METRICS_PORT: '0',
    BADGES_METRICS_PORT: '0',
    CHECKIN_METRICS_PORT: '0',
    ...overrides,
  };
}

/** A slug no other test uses, so suites sharing one database do not see each other's data. */
export const uniqueSlug = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
