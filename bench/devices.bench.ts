/**
 * The organisers' device list (`GET /api/events/:slug/devices`) on a long day: 300,000 scans of a
 * 50,000-person conference from 100 door devices, 3,000 of them in the last minute. Every open
 * organisers' page polls the list, so each read should cost the recent scans, not the whole log.
 *
 * The baseline, in the same run on the same rows: the plain query that counts the whole scan log
 * per device (what the list did before it kept running totals).
 */
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '@einlass/database';
import { TEST_DATABASE_URL } from '@einlass/testing';
import { checkinDatabase, DoorDevices, DoorFixture } from '../apps/checkin/testing';
import { removeCheckinEvent } from './leftovers';

const SETTLED_SCANS = 300_000;
const RECENT_SCANS = 3_000;
const DEVICES = 100;
const READS = 20;

async function timed(reads: number, read: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < reads; i++) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

const median = (times: number[]) => times[Math.floor(times.length / 2)];

async function main(): Promise<void> {
  await migrate(TEST_DATABASE_URL, checkinDatabase);
  const db = await new DataSource(
    dataSourceOptions(TEST_DATABASE_URL, checkinDatabase),
  ).initialize();
  const door = await new DoorFixture(db).create();
  try {
    const logScans = (count: number, age: string) =>
      db.query(
        `INSERT INTO scans (event_id, attendee_id, gate, list, direction, device, result, message,
                            answer, recorded_at)
         SELECT $1, gen_random_uuid(), 'Gate ' || (i % 8), 'main', 'in', 'door-' || (i % $2),
                'admitted', 'Welcome', '{}', now() - $3::interval
           FROM generate_series(1, $4) i`,
        [door.eventId, DEVICES, age, count],
      );
    console.log(
      `Logging ${SETTLED_SCANS.toLocaleString('en')} scans of the day and ${RECENT_SCANS.toLocaleString('en')} of the last minute…`,
    );
    await logScans(SETTLED_SCANS, '2 hours');
    await logScans(RECENT_SCANS, '0 seconds');
    await db.query('ANALYZE scans');

    const devices = new DoorDevices(db);
    const started = performance.now();
    const first = await devices.of(door.eventId);
    const catchUp = performance.now() - started;
    const einlass = await timed(READS, () => devices.of(door.eventId));
    const baseline = await timed(READS, () =>
      db.query(
        `SELECT device, count(*)::int AS scans, max(recorded_at) AS last_scan_at,
                (array_agg(gate ORDER BY id DESC))[1] AS last_scan_gate
           FROM scans WHERE event_id = $1 GROUP BY device`,
        [door.eventId],
      ),
    );
    const counted = first.reduce((sum, device) => sum + device.scans, 0);
    console.log(
      `Device list, ${DEVICES} devices, ${counted.toLocaleString('en')} scans in the log, ${READS} reads each`,
    );
    console.log(
      `  einlass (running totals + recent scans)   median ${median(einlass).toFixed(1)} ms, slowest ${einlass[READS - 1].toFixed(1)} ms`,
    );
    console.log(
      `  whole log counted per read (baseline)     median ${median(baseline).toFixed(1)} ms, slowest ${baseline[READS - 1].toFixed(1)} ms`,
    );
    console.log(
      `  ratio: einlass takes ${(median(einlass) / median(baseline)).toFixed(2)}x the baseline's time per read`,
    );
    console.log(
      `  (the first read after a quiet morning adds the settled scans once: ${catchUp.toFixed(0)} ms)`,
    );
  } finally {
    await removeCheckinEvent(db, door.eventId);
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
