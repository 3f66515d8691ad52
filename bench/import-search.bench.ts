/**
 * Registration at conference scale: imports a generated 50,000-row attendee list through the API
 * (parsing, validation, upsert, workshop places and outbox rows included) and measures search at
 * 50,000 attendees. Each figure is printed next to its bare baseline from the same run:
 *   import: a bare COPY of the same rows into a plain table;
 *   search: the same SQL with the trigram index switched off.
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  ApiClient,
  generatedAttendeeFile,
  ServiceProcesses,
  TEST_DATABASE_URL,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT, sampleProgrammeCsv } from '../apps/registration/testing';
import { foldName } from '@einlass/door-rules';
import { benchQueuePrefix, removeBenchQueues } from './leftovers';

const COUNT = Number(process.env.BENCH_COUNT ?? 50_000);
const SEARCHES = 300;
const WARM_UP = 50;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** The peak resident memory of a process so far (Linux). */
function vmHighWaterMark(pid: number): string {
  const kilobytes = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kilobytes ? `${Math.round(Number(kilobytes) / 1024)} MB` : 'n/a';
}

async function main(): Promise<void> {
  const file = generatedAttendeeFile('--count', String(COUNT), '--seed', '7');
  console.log(`Generated ${COUNT} attendees (${(file.length / 1024 / 1024).toFixed(1)} MB of CSV)`);

  const queuePrefix = benchQueuePrefix();
  const services = new ServiceProcesses(4401, { QUEUE_PREFIX: queuePrefix, LOG_LEVEL: 'warn' });
  process.once('exit', () => void services.stopAll());
  await services.start('registration');
  const api = new ApiClient(services.url('registration'), TEST_ORGANISER_TOKEN);
  const slug = uniqueSlug('bench');
  await api.post('/api/events', { ...SAMPLE_EVENT, slug });
  await api.post(`/api/events/${slug}/sessions`, sampleProgrammeCsv(), {
    'content-type': 'text/csv',
  });

  // --- import -------------------------------------------------------------------------------
  const started = performance.now();
  const imported = await api.post(`/api/events/${slug}/attendees/import`, file, {
    'content-type': 'text/csv',
  });
  const importMs = performance.now() - started;
  if (imported.status !== 200)
    throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body)}`);
  const peak = vmHighWaterMark(services.pid('registration')!);

  const db = new Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  const outboxRows = Number(
    (
      await db.query(
        `SELECT count(*) FROM registration.outbox WHERE payload->'event'->>'slug' = $1`,
        [slug],
      )
    ).rows[0].count,
  );

  await db.query(`DROP TABLE IF EXISTS public.bench_copy`);
  await db.query(`CREATE TABLE public.bench_copy (external_id text, title text, first_name text, last_name text,
                    email text, organisation text, category text, sessions text)`);
  const copyStarted = performance.now();
  await pipeline(
    Readable.from([file]),
    db.query(copyFrom(`COPY public.bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)`)),
  );
  const copyMs = performance.now() - copyStarted;
  await db.query(`DROP TABLE public.bench_copy`);

  console.log(
    '\nImport of the whole file in one request (parse, validate, upsert, workshop places, outbox)',
  );
  console.log(
    `  einlass import   ${ms(importMs).padStart(10)}  ${Math.round(COUNT / (importMs / 1000)).toLocaleString('en')} rows/s  ` +
      `(${imported.body.created} created, ${imported.body.rejected.length} rejected, ${outboxRows} outbox rows, service peak RSS ${peak})`,
  );
  console.log(
    `  bare COPY        ${ms(copyMs).padStart(10)}  ${Math.round(COUNT / (copyMs / 1000)).toLocaleString('en')} rows/s`,
  );
  console.log(`  ratio            ${(importMs / copyMs).toFixed(1)}x the time of a bare COPY`);

  // --- search -------------------------------------------------------------------------------
  // Measured once the relay has published the import's messages, as on a normal day.
  await waitFor(
    'the outbox to drain',
    async () =>
      Number(
        (await db.query(`SELECT count(*) FROM registration.outbox WHERE sent_at IS NULL`)).rows[0]
          .count,
      ) === 0,
    { timeoutMs: 300_000, intervalMs: 500 },
  );
  const { rows: names } = await db.query<{ last_name: string; organisation: string | null }>(
    `SELECT a.last_name, a.organisation FROM registration.attendees a JOIN registration.events e ON e.id = a.event_id
      WHERE e.slug = $1 ORDER BY random() LIMIT $2`,
    [slug, SEARCHES + WARM_UP],
  );
  const allTerms = names.map((row, i) =>
    (i % 3 === 2 && row.organisation ? row.organisation.split(' ').pop()! : row.last_name).slice(
      0,
      6,
    ),
  );
  // The first WARM_UP terms are searched before anything is timed, through the API and in SQL
  // alike: compiled code and a warm buffer cache, as on a day of searching, for every contender.
  const warmUp = allTerms.slice(0, WARM_UP);
  const terms = allTerms.slice(WARM_UP);
  for (const term of warmUp) {
    await api.get(`/api/events/${slug}/attendees?q=${encodeURIComponent(term)}&limit=20`);
  }

  const httpTimes: number[] = [];
  for (const term of terms) {
    const t = performance.now();
    const response = await api.get(
      `/api/events/${slug}/attendees?q=${encodeURIComponent(term)}&limit=20`,
    );
    httpTimes.push(performance.now() - t);
    if (response.status !== 200) throw new Error(`search failed: ${response.status}`);
  }

  const eventId = (await db.query(`SELECT id FROM registration.events WHERE slug = $1`, [slug]))
    .rows[0].id as string;
  const sql = `SELECT id FROM registration.attendees WHERE event_id = $1 AND search_text LIKE $2 ORDER BY sort_name, id LIMIT 21`;
  const timeQueries = async () => {
    const times: number[] = [];
    for (const term of terms) {
      const t = performance.now();
      await db.query(sql, [eventId, `%${foldName(term)}%`]);
      times.push(performance.now() - t);
    }
    return times;
  };
  const indexed = await timeQueries();
  await db.query('SET enable_bitmapscan = off');
  const withoutIndex = await timeQueries();
  await db.query('RESET enable_bitmapscan');

  console.log(
    `\nSearch at ${COUNT.toLocaleString('en')} attendees (${SEARCHES} searches by name or organisation fragment, after ${WARM_UP} not timed)`,
  );
  console.log(
    `  API, end to end        p50 ${ms(percentile(httpTimes, 50))}  p95 ${ms(percentile(httpTimes, 95))}`,
  );
  console.log(
    `  SQL with the index     p50 ${ms(percentile(indexed, 50))}  p95 ${ms(percentile(indexed, 95))}`,
  );
  console.log(
    `  SQL without the index  p50 ${ms(percentile(withoutIndex, 50))}  p95 ${ms(percentile(withoutIndex, 95))}`,
  );
  console.log(
    `  ratio (p95)            the index makes it ${(percentile(withoutIndex, 95) / percentile(indexed, 95)).toFixed(1)}x faster`,
  );

  await services.stopAll();
  // The benchmark's event and its messages go again: the next run searches 50,000 people too.
  await db.query('BEGIN');
  await db.query(`DELETE FROM registration.outbox WHERE payload->'event'->>'slug' = $1`, [slug]);
  await db.query(`DELETE FROM registration.events WHERE slug = $1`, [slug]);
  await db.query('COMMIT');
  await db.end();
  await removeBenchQueues(queuePrefix);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
