/**
 * Issue 11's figures, registration and check-in as processes:
 *   import:     a ~50 MB list where every row is rejected: time, size of the answer, registration's
 *               peak memory, and /health latency while it runs (baseline: /health when idle);
 *   revocation: from DELETE /api/tokens/:id to the end of an open attendance stream of that token
 *               (baseline: the DELETE's own round trip);
 *   workbook:   a 100,000-row .xlsx where every row imports, and
 *   valid CSV:  a ~50 MB list where every row imports: time, registration's peak memory during
 *               each (baseline: its memory before, in a fresh process) and /health latency
 *               (baseline: idle), with check-in stopped so that only registration works.
 * BENCH_IMPORT_MB sets the size of both CSV files (49.5), BENCH_WORKBOOK_ROWS the workbook's rows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import {
  ApiClient,
  ServiceProcesses,
  TEST_DATABASE_URL,
  TEST_ORGANISER_TOKEN,
  generatedAttendeeFile,
  uniqueSlug,
  waitFor,
  workbookOf,
} from '@einlass/testing';
import { XLSX_CONTENT_TYPE } from '../apps/registration/testing';
import { SAMPLE_EVENT, sampleProgrammeCsv } from '../apps/registration/testing';
import { benchQueuePrefix, removeBenchQueues } from './leftovers';

/** Just under the 50 MB an import may be (the file was 49 MB). */
const IMPORT_MB = Number(process.env.BENCH_IMPORT_MB ?? 49.5);
const REVOCATIONS = 5;
const WORKBOOK_ROWS = Number(process.env.BENCH_WORKBOOK_ROWS ?? 100_000);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Peak resident memory of a process so far (Linux), in MB. */
function peakMb(pid: number): number {
  return statusMb(pid, 'VmHWM');
}

/** Resident memory of a process now (Linux), in MB. */
function residentMb(pid: number): number {
  return statusMb(pid, 'VmRSS');
}

function statusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
  return kilobytes ? Math.round(Number(kilobytes) / 1024) : NaN;
}

/** Starts a process's peak memory afresh from what it holds now (Linux: clear_refs 5). */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Polls /health every 100 ms until `stop` says so; the latencies. */
async function healthLatencies(url: string, stop: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!stop()) {
    const started = performance.now();
    await fetch(`${url}/health`).then((r) => r.arrayBuffer());
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return latencies;
}

/** A list of `megabytes` where every row has a bad email: every row is rejected. */
function allRejectedList(megabytes: number): Buffer {
  const header = 'external_id,title,first_name,last_name,email,organisation,category,sessions\n';
  const rows: string[] = [header];
  let size = header.length;
  for (let i = 0; size < megabytes * 1024 * 1024; i++) {
    const row = `X-${i},Dr.,Anna-Lena,Schmidt-Bergmann,not-an-email-${i},Landesamt für Statistik und Digitales,attendee,\n`;
    rows.push(row);
    size += Buffer.byteLength(row);
  }
  return Buffer.from(rows.join(''));
}

/**
 * A list of `megabytes` where every row imports: long names and organisations, as German public
 * sector lists have them (about 400 bytes a row), each row its own person.
 */
function allValidList(megabytes: number): Buffer {
  const header = 'external_id,title,first_name,last_name,email,organisation,category,sessions\n';
  const rows: string[] = [header];
  let size = header.length;
  for (let i = 0; size < megabytes * 1024 * 1024; i++) {
    const row =
      `V-${i},Prof. Dr.,Anna-Katharina Maximiliane ${i % 97},Schmidt-Bergmann von Hohenstein-Rüdigershausen ${i % 89},` +
      `anna.schmidt-bergmann.${i}@landesamt-statistik.example,` +
      `"Landesamt für Statistik und Digitales, Referat ${i % 50} Verwaltungsdigitalisierung, Außenstelle Nordhausen-Sondershausen im Kyffhäuserkreis (Thüringen)",` +
      `attendee,\n`;
    rows.push(row);
    size += Buffer.byteLength(row);
  }
  return Buffer.from(rows.join(''));
}

/** The generator's list of `rows` people (data/sample), saved as an Excel workbook. */
async function generatedWorkbook(rows: number): Promise<Buffer> {
  const records: string[][] = parse(generatedAttendeeFile('--count', String(rows), '--seed', '21'));
  return workbookOf(records);
}

/** Imports `file` into `slug` while polling /health; prints time, peak memory and latencies. */
async function measureImport(
  services: ServiceProcesses,
  slug: string,
  label: string,
  file: Buffer,
  contentType: string,
): Promise<void> {
  const url = services.url('registration');
  const pid = services.pid('registration');
  if (!pid) throw new Error('no registration process');
  const idleUntil = performance.now() + 3000;
  const idle = await healthLatencies(url, () => performance.now() > idleUntil);
  const before = residentMb(pid);
  resetPeak(pid);
  let importing = true;
  const during = healthLatencies(url, () => !importing);
  const started = performance.now();
  const response = await fetch(`${url}/api/events/${slug}/attendees/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ORGANISER_TOKEN}`, 'content-type': contentType },
    body: file,
  });
  const answer = Buffer.from(await response.arrayBuffer());
  const importMs = performance.now() - started;
  importing = false;
  const busy = await during;
  const peak = peakMb(pid);
  if (response.status !== 200) {
    throw new Error(`import answered ${response.status}: ${answer.subarray(0, 300).toString()}`);
  }
  const result = JSON.parse(answer.toString()) as { created: number; rejectedCount: number };
  const busiest = Math.max(...busy);
  const verdict = (met: boolean) => (met ? 'goal met' : 'GOAL NOT MET');
  console.log(
    `${label} (${(file.length / 1024 / 1024).toFixed(1)} MB): ${response.status} in ${ms(importMs)}, ` +
      `${result.created.toLocaleString('en')} created, ${result.rejectedCount} rejected`,
  );
  console.log(
    `  registration peak memory: ${peak} MB (goal < 400 MB: ${verdict(peak < 400)})` +
      ` | baseline before the import: ${before} MB | ratio ${(peak / before).toFixed(1)}x`,
  );
  console.log(
    `  /health during the import: p50 ${ms(percentile(busy, 50))}, max ${ms(busiest)} (${busy.length} polls;` +
      ` goal max < 1 s: ${verdict(busiest < 1000)})` +
      ` | baseline idle: p50 ${ms(percentile(idle, 50))}, max ${ms(Math.max(...idle))}` +
      ` | ratio of max: ${(busiest / Math.max(...idle)).toFixed(1)}x`,
  );
}

/** Waits (at most 10 minutes) until registration's outbox has sent everything to Redis. */
async function outboxSent(): Promise<void> {
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  try {
    await waitFor(
      'the outbox to be sent',
      async () => {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM registration.outbox WHERE sent_at IS NULL`,
        );
        return rows[0].n === 0 ? true : undefined;
      },
      { timeoutMs: 10 * 60_000, intervalMs: 1000 },
    );
  } finally {
    await db.end();
  }
}

/** Opens an attendance stream and resolves once its first object arrived; `closed` when it ends. */
function openStream(url: string, token: string) {
  return new Promise<{ closed: Promise<number> }>((resolve, reject) => {
    const request = httpGet(url, { headers: { authorization: `Bearer ${token}` } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`stream answered ${response.statusCode}`));
      const closed = new Promise<number>((done) =>
        response.once('close', () => done(performance.now())),
      );
      response.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('data:')) resolve({ closed });
      });
    });
    request.on('error', reject);
  });
}

async function main(): Promise<void> {
  const queuePrefix = benchQueuePrefix();
  const services = new ServiceProcesses(4411, { QUEUE_PREFIX: queuePrefix, LOG_LEVEL: 'warn' });
  process.once('exit', () => void services.stopAll());
  await services.start('registration');
  await services.start('checkin');
  const registration = new ApiClient(services.url('registration'), TEST_ORGANISER_TOKEN);
  const checkinUrl = services.url('checkin');
  const slug = uniqueSlug('bench-access');
  await registration.post('/api/events', { ...SAMPLE_EVENT, slug });
  await waitFor('check-in to know the event', async () => {
    const answer = await new ApiClient(checkinUrl, TEST_ORGANISER_TOKEN).get(
      `/api/events/${slug}/attendance`,
    );
    return answer.status === 200;
  });

  // --- import -------------------------------------------------------------------------------
  const file = allRejectedList(IMPORT_MB);
  const pid = services.pid('registration');
  if (!pid) throw new Error('no registration process');
  const idleUntil = performance.now() + 3000;
  const idle = await healthLatencies(
    services.url('registration'),
    () => performance.now() > idleUntil,
  );
  const peakBefore = peakMb(pid);
  let importing = true;
  const during = healthLatencies(services.url('registration'), () => !importing);
  const started = performance.now();
  const response = await fetch(
    `${services.url('registration')}/api/events/${slug}/attendees/import`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ORGANISER_TOKEN}`, 'content-type': 'text/csv' },
      body: file,
    },
  );
  const answer = Buffer.from(await response.arrayBuffer());
  const importMs = performance.now() - started;
  importing = false;
  const busy = await during;
  if (response.status !== 200) {
    throw new Error(`import answered ${response.status}: ${answer.subarray(0, 300).toString()}`);
  }
  const result = JSON.parse(answer.toString()) as { rejected: unknown[]; rejectedCount: number };
  console.log(
    `import of ${(file.length / 1024 / 1024).toFixed(1)} MB, every row rejected: ${response.status} in ${ms(importMs)}, ` +
      `answer ${(answer.length / 1024).toFixed(0)} KB (${result.rejected.length} rows listed of ${result.rejectedCount})`,
  );
  const peak = peakMb(pid);
  const busiest = Math.max(...busy);
  const verdict = (met: boolean) => (met ? 'goal met' : 'GOAL NOT MET');
  console.log(
    `  registration peak memory: ${peak} MB (before the import: ${peakBefore} MB; goal < 400 MB: ${verdict(peak < 400)})`,
  );
  console.log(
    `  /health during the import: p50 ${ms(percentile(busy, 50))}, max ${ms(busiest)} (${busy.length} polls;` +
      ` goal max < 1 s: ${verdict(busiest < 1000)})` +
      ` | baseline idle: p50 ${ms(percentile(idle, 50))}, max ${ms(Math.max(...idle))}` +
      ` | ratio of max: ${(busiest / Math.max(...idle)).toFixed(1)}x`,
  );

  // --- revocation ---------------------------------------------------------------------------
  const closing: number[] = [];
  const deletes: number[] = [];
  for (let i = 0; i < REVOCATIONS; i++) {
    const made = await registration.post('/api/tokens', {
      role: 'organiser',
      label: `bench ${i}`,
      events: [slug],
    });
    const stream = await openStream(
      `${checkinUrl}/api/events/${slug}/attendance/stream`,
      made.body.token,
    );
    const revoking = performance.now();
    await registration.request('DELETE', `/api/tokens/${made.body.id}`);
    deletes.push(performance.now() - revoking);
    closing.push((await stream.closed) - revoking);
  }
  console.log(
    `stream closed after revocation: p50 ${ms(percentile(closing, 50))}, max ${ms(Math.max(...closing))} (${REVOCATIONS} streams; bound 5 s)` +
      ` | baseline DELETE round trip: p50 ${ms(percentile(deletes, 50))}` +
      ` | ratio ${(percentile(closing, 50) / percentile(deletes, 50)).toFixed(0)}x`,
  );

  // --- imports that write everything: a large workbook, a 50 MB list ------------------------
  // Check-in stops: only registration works on them (nobody consumes their messages; the
  // benchmark's queues are removed at the end).
  await services.stop('checkin');
  for (const [label, file, type] of [
    [
      `workbook of ${WORKBOOK_ROWS.toLocaleString('en')} rows, every row imported`,
      await generatedWorkbook(WORKBOOK_ROWS),
      XLSX_CONTENT_TYPE,
    ],
    ['CSV list, every row imported', allValidList(IMPORT_MB), 'text/csv'],
  ] as const) {
    // A fresh registration process for each: its memory before is what it holds idle, not what
    // an earlier import left in its heap.
    await services.stop('registration');
    await services.start('registration');
    const target = uniqueSlug('bench-import');
    await registration.post('/api/events', { ...SAMPLE_EVENT, slug: target });
    await registration.post(`/api/events/${target}/sessions`, sampleProgrammeCsv(), {
      'content-type': 'text/csv',
    });
    await measureImport(services, target, label, file, type);
    await outboxSent();
  }

  await services.stopAll();
  await removeBenchQueues(queuePrefix);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
