/**
 * What a benchmark leaves behind is removed when it ends, so that the next run measures the same
 * tables and Redis, not the sum of every earlier run (a search over 200,000 people of four
 * benchmark events is no search at 50,000).
 */
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { ALL_QUEUES } from '@einlass/contracts';
import { redisOptionsFromUrl } from '@einlass/messaging';
import { TEST_REDIS_URL } from '@einlass/testing';

/** A queue prefix of the benchmark's own, so its jobs can be removed without touching others. */
export const benchQueuePrefix = () => `bench_${process.pid}`;

/** Removes every job the benchmark's services queued (nobody consumes them). */
export async function removeBenchQueues(prefix: string): Promise<void> {
  for (const name of ALL_QUEUES) {
    const queue = new Queue(name, { prefix, connection: redisOptionsFromUrl(TEST_REDIS_URL) });
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** Check-in's tables that hold an event's rows, in the order they are emptied. */
const CHECKIN_EVENT_TABLES = [
  ['outbox', `payload->>'eventId' = $1::text`],
  ['scans', 'event_id = $1'],
  ['presence', 'event_id = $1'],
  ['attendees', 'event_id = $1'],
  ['sessions', 'event_id = $1'],
  ['door_settings', 'event_id = $1'],
  ['door_devices', 'event_id = $1'],
  ['door_device_scan_totals', 'event_id = $1'],
  ['door_device_scans_counted', 'event_id = $1'],
  ['signing_keys', 'event_id = $1'],
  ['events', 'id = $1'],
] as const;

/**
 * Removes an event from check-in's tables: its scans, presence, feed, people, keys, devices; then
 * vacuums them, as autovacuum would after such a clean-up. Without it (the CI machine's PostgreSQL
 * runs with autovacuum off) every run's 150,000 people and their scans stay behind as dead rows,
 * and each later run measures a bigger, slower table than the one before.
 */
export async function removeCheckinEvent(checkin: DataSource, eventId: string): Promise<void> {
  await checkin.transaction(async (manager) => {
    for (const [table, where] of CHECKIN_EVENT_TABLES) {
      await manager.query(`DELETE FROM ${table} WHERE ${where}`, [eventId]);
    }
  });
  // VACUUM runs outside a transaction, one table at a time.
  for (const [table] of CHECKIN_EVENT_TABLES) await checkin.query(`VACUUM (ANALYZE) ${table}`);
}
