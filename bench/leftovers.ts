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

/** Removes an event from check-in's tables: its scans, presence, feed, people, keys, devices. */
export async function removeCheckinEvent(checkin: DataSource, eventId: string): Promise<void> {
  await checkin.transaction(async (manager) => {
    for (const statement of [
      `DELETE FROM outbox WHERE payload->>'eventId' = $1::text`,
      `DELETE FROM scans WHERE event_id = $1`,
      `DELETE FROM presence WHERE event_id = $1`,
      `DELETE FROM attendees WHERE event_id = $1`,
      `DELETE FROM sessions WHERE event_id = $1`,
      `DELETE FROM door_settings WHERE event_id = $1`,
      `DELETE FROM door_devices WHERE event_id = $1`,
      `DELETE FROM door_device_scan_totals WHERE event_id = $1`,
      `DELETE FROM door_device_scans_counted WHERE event_id = $1`,
      `DELETE FROM signing_keys WHERE event_id = $1`,
      `DELETE FROM events WHERE id = $1`,
    ]) {
      await manager.query(statement, [eventId]);
    }
  });
}
