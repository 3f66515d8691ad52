/**
 * Republishing after Redis lost its data, while the doors go on scanning (issue 12).
 *
 * Three service processes on a Redis server of the benchmark's own; 50,000 attendees imported and
 * carried through to badges and check-in. Then Redis is flushed with registration's point of
 * delivery set back before the import (as when Redis loses the data before the consumers had it):
 * registration finds the loss by its mark and republishes all 50,000 attendees' messages (two
 * jobs each: badges and check-in), which the consumers' inboxes turn into no-ops. Measured:
 *  - replay time: from the flush until every message is republished, and until the consumers
 *    have taken every job (goal: < 30 s);
 *  - scan latency at a steady 50 scans/s (BENCH_SCAN_RATE) during the replay against the same load before it
 *    (goal: p99 < 2x);
 *  - the baseline, in the same run: bare BullMQ `addBulk` of the same 100,000 jobs (batches of
 *    500) onto the same Redis server, nothing else.
 * Everything it created goes when it ends (its Redis server, the benchmark database's schemas).
 */
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { ALL_QUEUES, QueueName } from '@einlass/contracts';
import {
  DisposableRedis,
  generatedAttendeeFile,
  ServiceProcesses,
  TEST_DATABASE_URL,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT, sampleProgrammeCsv } from '../apps/registration/testing';
import { scanMix } from './door-load';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 50_000);
const SCANS_PER_SECOND = Number(process.env.BENCH_SCAN_RATE ?? 50);
const QUIET_SECONDS = 10;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Scans at a steady rate (open loop: a slow answer does not slow the next request). */
async function scanAtRate(
  url: string,
  bodies: () => string,
  until: () => boolean,
): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const interval = 1000 / SCANS_PER_SECOND;
  const start = performance.now();
  for (let i = 0; !until(); i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    const request = fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${TEST_ORGANISER_TOKEN}`,
      },
      body: bodies(),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.status === 200) latencies.push(performance.now() - sent);
        else failed += 1;
      })
      .catch(() => {
        failed += 1;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  return { latencies, failed };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function pendingJobs(queues: Queue[]): Promise<number> {
  const counts = await Promise.all(
    queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
  );
  return counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
}

async function main(): Promise<void> {
  const redis = await DisposableRedis.start();
  const prefix = `replay_${process.pid}`;
  const services = new ServiceProcesses(4651, {
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    REDIS_CHECK_MS: '1000',
  });
  process.once('exit', () => void services.stopAll());
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  const queues = ALL_QUEUES.map(
    (name) => new Queue(name, { prefix, connection: { host: '127.0.0.1', port: redis.port } }),
  );
  try {
    await services.startAll();
    await db.connect();
    const slug = uniqueSlug('replay');
    const headers = {
      authorization: `Bearer ${TEST_ORGANISER_TOKEN}`,
    };
    const registration = services.url('registration');
    const created = await fetch(`${registration}/api/events`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ ...SAMPLE_EVENT, slug }),
    });
    const { id: eventId } = (await created.json()) as { id: string };
    // The programme first: a third of the generated rows sign up for a workshop (W01–W04), and
    // without the programme each of them was rejected as an unknown session (only 34,683 of
    // 50,000 imported).
    const programme = await fetch(`${registration}/api/events/${slug}/sessions`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: sampleProgrammeCsv(),
    });
    if (programme.status !== 200) throw new Error(`programme not loaded: ${programme.status}`);

    const setUp = performance.now();
    const imported = await fetch(`${registration}/api/events/${slug}/attendees/import`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: generatedAttendeeFile('--count', String(PEOPLE), '--seed', '12'),
    });
    if (imported.status !== 200) throw new Error(`import failed: ${imported.status}`);
    const { created: people, rejectedCount } = (await imported.json()) as {
      created: number;
      rejectedCount: number;
    };
    if (people !== PEOPLE) {
      throw new Error(`${people} of ${PEOPLE} attendees imported (${rejectedCount} rejected)`);
    }
    await waitFor(
      `check-in to know all ${people} badges`,
      async () => {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(badge_version)::int AS n FROM checkin.attendees WHERE event_id = $1`,
          [eventId],
        );
        return rows[0].n === people ? true : undefined;
      },
      { timeoutMs: 30 * 60_000, intervalMs: 2000 },
    );
    await waitFor(
      'the queues to be empty',
      async () => ((await pendingJobs(queues)) === 0 ? true : undefined),
      { timeoutMs: 10 * 60_000, intervalMs: 1000 },
    );
    console.log(
      `Replay after Redis lost its data: ${people.toLocaleString('en')} attendees (set up through the pipeline in ${seconds(performance.now() - setUp)})`,
    );

    const { rows: badges } = await db.query<{ qr: string }>(
      `SELECT qr FROM badges.badges WHERE event_id = $1 ORDER BY id LIMIT 20000`,
      [eventId],
    );
    const bodies = scanMix(badges.map((b) => b.qr));
    const scanUrl = `${services.url('checkin')}/api/events/${slug}/scan`;

    // Scans without a replay going on.
    const quietEnd = performance.now() + QUIET_SECONDS * 1000;
    const quiet = await scanAtRate(scanUrl, bodies, () => performance.now() > quietEnd);

    // Redis loses everything before the consumers had the import's messages.
    await db.query(
      `UPDATE registration.redis_mark SET confirmed_before = '-infinity' WHERE queue_prefix = $1`,
      [prefix],
    );
    const { rows: before } = await db.query<{ losses: number }>(
      `SELECT losses FROM registration.redis_mark WHERE queue_prefix = $1`,
      [prefix],
    );
    let replayDone = false;
    const during = scanAtRate(scanUrl, bodies, () => replayDone);
    const flushed = performance.now();
    const {
      rows: [{ now: flushedAt }],
    } = await db.query<{ now: string }>(`SELECT clock_timestamp()::text AS now`);
    await redis.flushAll();
    await waitFor(
      'registration to find the loss and republish everything',
      async () => {
        // Done when the replay has marked the rows unsent (after the flush) and all are sent again.
        const { rows } = await db.query<{ losses: number; replayed: boolean; unsent: number }>(
          `SELECT losses, last_replay_at > $2::timestamptz AS replayed,
                  (SELECT count(*)::int FROM registration.outbox WHERE sent_at IS NULL) AS unsent
             FROM registration.redis_mark WHERE queue_prefix = $1`,
          [prefix, flushedAt],
        );
        const [row] = rows;
        return row.losses > before[0].losses && row.replayed && row.unsent === 0 ? true : undefined;
      },
      { timeoutMs: 10 * 60_000, intervalMs: 100 },
    );
    const republished = performance.now() - flushed;
    await waitFor(
      'the consumers to take every job',
      async () =>
        (await pendingJobs(queues.filter((q) => q.name !== QueueName.Registration))) === 0
          ? true
          : undefined,
      { timeoutMs: 10 * 60_000, intervalMs: 100 },
    );
    const consumed = performance.now() - flushed;
    replayDone = true;
    const busy = await during;
    const { rows: replayed } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM registration.outbox WHERE republished > 0`,
    );

    // The baseline: the same jobs, added by bare BullMQ to a prefix of its own on the same server.
    const { rows: messages } = await db.query<{
      message_id: string;
      type: string;
      queues: string[];
      payload: unknown;
    }>(`SELECT message_id, type, queues, payload FROM registration.outbox WHERE republished > 0`);
    const bare = ALL_QUEUES.map(
      (name) =>
        new Queue(name, {
          prefix: `bare_${process.pid}`,
          connection: { host: '127.0.0.1', port: redis.port },
        }),
    );
    const bareStart = performance.now();
    let bareJobs = 0;
    for (let i = 0; i < messages.length; i += 500) {
      const batch = messages.slice(i, i + 500);
      for (const queue of bare) {
        const jobs = batch
          .filter((m) => m.queues.includes(queue.name))
          .map((m) => ({
            name: m.type,
            data: { messageId: m.message_id, type: m.type, payload: m.payload },
            opts: { jobId: `bare-${m.message_id}`, removeOnComplete: true },
          }));
        if (jobs.length > 0) await queue.addBulk(jobs);
        bareJobs += jobs.length;
      }
    }
    const bareTime = performance.now() - bareStart;
    await Promise.all(bare.map((q) => q.obliterate({ force: true }).then(() => q.close())));

    const p = (values: number[], n: number) => `${percentile(values, n).toFixed(1)} ms`;
    console.log(
      `  republished          ${replayed[0].n.toLocaleString('en')} messages (${bareJobs.toLocaleString('en')} jobs) in ${seconds(republished)} after the flush (loss found, rows marked, relayed)`,
    );
    console.log(
      `  consumed             every job taken by badges and check-in ${seconds(consumed)} after the flush (goal < 30 s)`,
    );
    console.log(
      `  bare BullMQ addBulk  ${bareJobs.toLocaleString('en')} jobs in ${seconds(bareTime)}; ratio republish/bare ${(republished / bareTime).toFixed(2)}x`,
    );
    console.log(
      `  scans at ${SCANS_PER_SECOND}/s, quiet    p50 ${p(quiet.latencies, 50)}  p99 ${p(quiet.latencies, 99)}  (${quiet.latencies.length} answered, ${quiet.failed} failed)`,
    );
    console.log(
      `  scans at ${SCANS_PER_SECOND}/s, replay   p50 ${p(busy.latencies, 50)}  p99 ${p(busy.latencies, 99)}  (${busy.latencies.length} answered, ${busy.failed} failed)`,
    );
    console.log(
      `  ratio: scan p99 during the replay is ${(percentile(busy.latencies, 99) / percentile(quiet.latencies, 99)).toFixed(2)}x the quiet one (goal < 2x)`,
    );
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    await services.stopAll();
    await redis.dispose();
    // The benchmark database is the benchmarks' own: its 50,000 people go with the schemas.
    if (db) {
      for (const schema of ['registration', 'badges', 'checkin']) {
        await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      }
      await db.end().catch(() => undefined);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
