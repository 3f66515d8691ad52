/**
 * Erasing an event of 50,000 attendees (issue 13): from `POST /api/events/:slug/erase` until all
 * three services have erased their side (registration: attendees, outbox, Redis copies; badges:
 * badges, outbox, Redis copies, print files; check-in: the door's list and the names in 50,000
 * check-in log answers), while the door of another event keeps scanning. Printed:
 *   - the time per service and in all, against a bare baseline: the same rows anonymised by plain
 *     UPDATEs of copies of the three tables (no indexes, no outbox, no Redis);
 *   - scan latency (p50, p99) at the other event's door during the erasure against the same load
 *     without it.
 * Goals: under 60 s; p99 during within 2x of without.
 */
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { QueueName } from '@einlass/contracts';
import { dataSourceOptions } from '@einlass/database';
import { redisOptionsFromUrl } from '@einlass/messaging';
import {
  ApiClient,
  generatedAttendeeFile,
  ServiceProcesses,
  TEST_DATABASE_URL,
  TEST_ORGANISER_TOKEN,
  TEST_REDIS_URL,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { checkinDatabase } from '../apps/checkin/testing';
import { DoorFixture } from '../apps/checkin/testing';
import { SAMPLE_EVENT, sampleProgrammeCsv } from '../apps/registration/testing';
import { scanMix } from './door-load';
import { benchQueuePrefix, removeBenchQueues, removeCheckinEvent } from './leftovers';

const COUNT = Number(process.env.BENCH_COUNT ?? 50_000);
/** Scans a second at the other event's door: a busy entrance. */
const SCAN_RATE = Number(process.env.BENCH_SCAN_RATE ?? 200);
const BASELINE_SECONDS = 15;

interface Latency {
  count: number;
  p50: number;
  p99: number;
  failed: number;
}

/** Scans at `rate` until `stop` resolves (or `seconds` pass). */
function scanLoad(url: string, bodies: () => string, seconds: number, stop?: Promise<unknown>) {
  return new Promise<Latency>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections: 20,
        duration: seconds,
        overallRate: SCAN_RATE,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${TEST_ORGANISER_TOKEN}`,
        },
        requests: [{ setupRequest: (request) => ({ ...request, body: bodies() }) }],
      },
      (error, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve({
          count: result.requests.total,
          p50: result.latency.p50,
          p99: result.latency.p99,
          failed: result.non2xx + result.errors,
        });
      },
    );
    void stop?.then(() => instance.stop());
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const queuePrefix = benchQueuePrefix();
  const services = new ServiceProcesses(4701, {
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    // The reconciliation only at start-up: its periodic round (5 min) fell into a 15-minute
    // import on the loaded machine, compared counts while 50,000 badges were still travelling
    // and had badges send all 50,000 again, three times (150,000 messages queued at check-in
    // just as the erasure began: measured as erasure, badges' side took minutes). Issue 12's
    // business, not the erasure's; see README.
    RECONCILE_EVERY_MS: process.env.BENCH_RECONCILE_EVERY_MS ?? '86400000',
  });
  process.once('exit', () => void services.stopAll());
  await services.startAll();
  const registration = new ApiClient(services.url('registration'), TEST_ORGANISER_TOKEN);
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  const count = async (sql: string, parameters: unknown[]) =>
    Number((await db.query<{ n: string }>(sql, parameters)).rows[0].n);

  // --- an event of COUNT people, badged, known at the door, with a check-in log ---------------
  const slug = uniqueSlug('bench-erase');
  const created = await registration.post('/api/events', {
    ...SAMPLE_EVENT,
    slug,
    startsAt: '2030-01-01T08:00:00Z',
    endsAt: '2030-01-02T17:00:00Z',
  });
  const eventId = created.body.id as string;
  await registration.post(`/api/events/${slug}/sessions`, sampleProgrammeCsv(), {
    'content-type': 'text/csv',
  });
  const file = generatedAttendeeFile('--count', String(COUNT), '--seed', '13');
  const imported = await registration.post(`/api/events/${slug}/attendees/import`, file, {
    'content-type': 'text/csv',
  });
  const people = Number(imported.body.created);
  console.log(`Imported ${people} attendees; waiting for their badges to reach the door …`);
  const settled = performance.now();
  await waitFor(
    'every badge issued and known at the door',
    async () =>
      (await count(
        `SELECT count(*) AS n FROM checkin.attendees WHERE event_id = $1 AND badge_version IS NOT NULL`,
        [eventId],
      )) === people
        ? true
        : undefined,
    { timeoutMs: 30 * 60_000, intervalMs: 2000 },
  );
  console.log(`  (took ${seconds(performance.now() - settled)})`);
  // The erasure is measured from a quiet pipeline: a backlog in badges' or check-in's queue (a
  // replay the reconciliation asked for while the import settled: 10,000 badge messages in a
  // run at 10,000) would hold the erasure's message behind it and be measured as erasure.
  const drained = performance.now();
  await waitFor(
    "badges' and check-in's queues to drain",
    async () => {
      for (const name of [QueueName.Badges, QueueName.Checkin]) {
        const queue = new Queue(name, {
          prefix: queuePrefix,
          connection: redisOptionsFromUrl(TEST_REDIS_URL),
        });
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        await queue.close();
        if (Object.values(counts).some((n) => n > 0)) return undefined;
      }
      return true;
    },
    { timeoutMs: 30 * 60_000, intervalMs: 2000 },
  );
  console.log(`  (queues drained in ${seconds(performance.now() - drained)})`);
  // One admission per person, with the answer the door showed (name, organisation) in the log.
  await db.query(
    `INSERT INTO checkin.scans (event_id, attendee_id, badge_version, gate, list, direction, device,
                                result, message, answer)
     SELECT event_id, id, badge_version, 'Tor ' || (abs(hashtext(id::text)) % 8), 'main', 'in',
            'bench', 'admitted', 'Welcome',
            jsonb_build_object('result', 'admitted', 'attendee', jsonb_build_object('id', id,
              'name', first_name || ' ' || last_name, 'organisation', organisation,
              'category', category))
       FROM checkin.attendees WHERE event_id = $1`,
    [eventId],
  );
  // The bare baseline's copies, taken while the data is still there.
  for (const [copy, source] of [
    ['bench_erase_registration', 'registration.attendees'],
    ['bench_erase_badges', 'badges.badges'],
    ['bench_erase_checkin', 'checkin.attendees'],
    ['bench_erase_scans', 'checkin.scans'],
  ]) {
    await db.query(`DROP TABLE IF EXISTS public.${copy}`);
    await db.query(`CREATE TABLE public.${copy} AS SELECT * FROM ${source} WHERE event_id = $1`, [
      eventId,
    ]);
  }

  // --- the other event's door --------------------------------------------------------------
  const checkin = await new DataSource(
    dataSourceOptions(TEST_DATABASE_URL, checkinDatabase),
  ).initialize();
  const door = await new DoorFixture(checkin).create();
  const tokens = (await door.people(20_000)).map((id) => door.qr(id));
  const bodies = scanMix(tokens);
  const scanUrl = `${services.url('checkin')}/api/events/${door.slug}/scan`;

  const quiet = await scanLoad(scanUrl, bodies, BASELINE_SECONDS);

  // --- the erasure, the door scanning all along ----------------------------------------------
  const started = performance.now();
  let erased!: () => void;
  const done = new Promise<void>((resolve) => (erased = resolve));
  const during = scanLoad(scanUrl, bodies, 600, done);
  /**
   * When a service is done: it marks the event erased after its last batch (a cheap look, often),
   * and then nothing of the people may be left on its side (`sql`: the rows left; a costly look
   * at every row of the event, so only once the mark is there, not 5 times a second beside the
   * door that is measured).
   */
  const finished = async (name: string, schema: string, sql: string) => {
    await waitFor(
      `${name} to erase`,
      async () =>
        (await count(
          `SELECT count(*) AS n FROM ${schema}.events WHERE id = $1 AND personal_data_erased_at IS NOT NULL`,
          [eventId],
        )) === 1 && (await count(sql, [eventId])) === 0
          ? true
          : undefined,
      { timeoutMs: 10 * 60_000, intervalMs: 200 },
    );
    return performance.now() - started;
  };
  // Badges and check-in are watched from the start (they erase while registration does), not
  // only once registration has answered.
  const others = Promise.all([
    finished(
      'badges',
      'badges',
      `SELECT count(*) + (SELECT count(*) FROM badges.events WHERE id = $1 AND personal_data_erased_at IS NULL) AS n
         FROM badges.badges WHERE event_id = $1 AND erased_at IS NULL`,
    ),
    finished(
      'check-in',
      'checkin',
      `SELECT count(*) + (SELECT count(*) FROM checkin.events WHERE id = $1 AND personal_data_erased_at IS NULL)
              + (SELECT count(*) FROM checkin.scans WHERE event_id = $1 AND answer->'attendee' ? 'name') AS n
         FROM checkin.attendees WHERE event_id = $1 AND erased_at IS NULL`,
    ),
  ]);
  const answer = await registration.post(`/api/events/${slug}/erase`, { confirm: slug });
  if (answer.status !== 200) throw new Error(`erase answered ${answer.status}`);
  const registrationMs = performance.now() - started;
  const [badgesMs, checkinMs] = await others;
  const totalMs = Math.max(registrationMs, badgesMs, checkinMs);
  erased();
  const busy = await during;

  // --- the bare baseline: the same rows anonymised by plain UPDATEs -------------------------
  const bareStarted = performance.now();
  await db.query(`UPDATE public.bench_erase_registration SET external_id = NULL, title = NULL,
    first_name = '', last_name = '', email = NULL, organisation = NULL, search_text = '', sort_name = ''`);
  await db.query(`UPDATE public.bench_erase_badges SET status = 'revoked',
    attendee = attendee || '{"firstName":"","lastName":"","title":null,"organisation":null,"externalId":null}'::jsonb`);
  await db.query(`UPDATE public.bench_erase_checkin SET title = NULL, first_name = '', last_name = '',
    organisation = NULL, external_id = NULL`);
  await db.query(`UPDATE public.bench_erase_scans SET answer = jsonb_set(answer, '{attendee}',
    (answer->'attendee') - 'name' - 'organisation')`);
  const bareMs = performance.now() - bareStarted;

  console.log(
    `\nErasing an event of ${people.toLocaleString('en')} attendees (${COUNT} asked for)`,
  );
  console.log(`  registration (answer of POST /erase)  ${seconds(registrationMs)}`);
  console.log(`  badges                                ${seconds(badgesMs)}`);
  console.log(`  check-in                              ${seconds(checkinMs)}`);
  console.log(
    `  all three                             ${seconds(totalMs)}   (goal < 60 s: ${totalMs < 60_000 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `  bare UPDATEs of the same rows         ${seconds(bareMs)}   ratio ${(totalMs / bareMs).toFixed(1)}x`,
  );
  console.log(`\nScans at another event's door, ${SCAN_RATE}/s offered`);
  const row = (label: string, l: Latency) =>
    `  ${label.padEnd(22)} ${String(l.count).padStart(6)} scans   p50 ${l.p50} ms   p99 ${l.p99} ms${l.failed ? `   (${l.failed} failed)` : ''}`;
  console.log(row('without erasure', quiet));
  console.log(row('during the erasure', busy));
  const ratio = busy.p99 / Math.max(quiet.p99, 1);
  console.log(
    `  p99 ratio during / without: ${ratio.toFixed(2)}x (goal < 2x: ${ratio < 2 ? 'met' : 'NOT met'})`,
  );

  // --- leave nothing behind ---------------------------------------------------------------
  for (const copy of [
    'bench_erase_registration',
    'bench_erase_badges',
    'bench_erase_checkin',
    'bench_erase_scans',
  ]) {
    await db.query(`DROP TABLE IF EXISTS public.${copy}`);
  }
  await services.stopAll();
  for (const statement of [
    `DELETE FROM registration.outbox WHERE payload->'event'->>'id' = $1::text`,
    `DELETE FROM registration.events WHERE id = $1`,
    `DELETE FROM badges.outbox WHERE payload->'event'->>'id' = $1::text`,
    `DELETE FROM badges.badges WHERE event_id = $1`,
    `DELETE FROM badges.print_jobs WHERE event_id = $1`,
    `DELETE FROM badges.signing_keys WHERE event_id = $1`,
    `DELETE FROM badges.events WHERE id = $1`,
  ]) {
    await db.query(statement, [eventId]);
  }
  await removeCheckinEvent(checkin, eventId);
  await removeCheckinEvent(checkin, door.eventId);
  await checkin.destroy();
  await db.end();
  await removeBenchQueues(queuePrefix);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
