/**
 * What the two door benchmarks (scan, attendance-stream) stand on: the check-in service alone,
 * with one event of many badges in its read model, and scan requests as doors send them.
 */
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@einlass/database';
import { ServiceProcesses, TEST_DATABASE_URL } from '@einlass/testing';
import { checkinDatabase } from '../apps/checkin/src/checkin.database';
import { DoorFixture } from '../apps/checkin/test/door-fixture';
import { benchQueuePrefix, removeBenchQueues, removeCheckinEvent } from './leftovers';

export interface DoorUnderLoad {
  services: ServiceProcesses;
  /** Check-in's database, for the benchmark's own counts. */
  dataSource: DataSource;
  slug: string;
  eventId: string;
  /** The QR text of every badge, in the order first scans use them. */
  tokens: string[];
  /** Removes the event, its scans and the benchmark's queues, and closes the database. */
  cleanUp(): Promise<void>;
}

/**
 * Starts the check-in service on `port` and writes an event with `people` badge holders into its
 * read model, as its queue consumer would. The service is stopped when the benchmark exits.
 */
export async function startDoorUnderLoad(port: number, people: number): Promise<DoorUnderLoad> {
  const queuePrefix = benchQueuePrefix();
  const services = new ServiceProcesses(port, { LOG_LEVEL: 'warn', QUEUE_PREFIX: queuePrefix });
  process.once('exit', () => void services.stopAll());
  await services.start('checkin'); // migrates the schema first
  const dataSource = await new DataSource(
    dataSourceOptions(TEST_DATABASE_URL, checkinDatabase),
  ).initialize();
  const door = await new DoorFixture(dataSource).create();
  const tokens = (await door.people(people)).map((id) => door.qr(id));
  return {
    services,
    dataSource,
    slug: door.slug,
    eventId: door.eventId,
    tokens,
    cleanUp: async () => {
      await removeCheckinEvent(dataSource, door.eventId);
      await dataSource.destroy();
      await removeBenchQueues(queuePrefix);
    },
  };
}

/**
 * Scan request bodies as a morning rush sends them: two thirds first scans (each badge once, in
 * order), one third repeats of a badge scanned before, spread over eight gates.
 */
export function scanMix(tokens: string[]): () => string {
  let next = 0;
  let seq = 0;
  return () => {
    seq += 1;
    const repeat = seq % 3 === 0 && next > 0;
    const qr = repeat
      ? tokens[Math.floor(Math.random() * Math.min(next, tokens.length))]
      : tokens[next++ % tokens.length];
    return JSON.stringify({ qr, gate: `Tor ${seq % 8}` });
  };
}
