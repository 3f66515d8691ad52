/**
 * The scan endpoint under load, over loopback, 50 concurrent connections, a mix of first scans and
 * repeats: scans/s at saturation and latency at 2,000 scans/s offered. The baseline, measured in
 * the same run with the same load: a bare Node HTTP endpoint doing the one durable database write a
 * scan needs (an INSERT, committed before the answer).
 */
import autocannon from 'autocannon';
import { createServer, Server } from 'node:http';
import { Pool } from 'pg';
import { freePort, TEST_DATABASE_URL, TEST_ORGANISER_TOKEN } from '@einlass/testing';
import { scanMix, startDoorUnderLoad } from './door-load';

/** Enough badges that every run's first scans are first scans (the runs share them in turn). */
const PEOPLE = 100_000;
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** What the failures were: status codes and connection errors, for the printout. */
  failures: string;
}

async function load(url: string, bodies: () => string, rate?: number): Promise<Figures> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(rate ? { overallRate: rate } : {}),
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${TEST_ORGANISER_TOKEN}`,
    },
    requests: [{ setupRequest: (request) => ({ ...request, body: bodies() }) }],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
    failures: [
      ...Object.entries(result.statusCodeStats ?? {})
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, stat]) => `${stat.count ?? 0}x ${code}`),
      ...(result.errors ? [`${result.errors} errors (${result.timeouts} timeouts)`] : []),
    ].join(', '),
  };
}

/** The baseline: one INSERT per request, committed before the answer. */
async function bareEndpoint(pool: Pool): Promise<{ server: Server; url: string }> {
  await pool.query(`CREATE TABLE IF NOT EXISTS public.bench_scans (
    id bigserial PRIMARY KEY, badge text NOT NULL, gate text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      let scan: { qr?: unknown; gate?: unknown } | null = null;
      try {
        scan = JSON.parse(body) as { qr?: unknown; gate?: unknown };
      } catch {
        scan = null;
      }
      // Like the real endpoint, a request without a scan is a 400, never a crash.
      if (typeof scan?.qr !== 'string' || typeof scan.gate !== 'string') {
        response.writeHead(400);
        response.end();
        return;
      }
      pool
        .query('INSERT INTO public.bench_scans (badge, gate) VALUES ($1, $2)', [
          scan.qr.slice(0, 40),
          scan.gate,
        ])
        .then(() => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{"result":"admitted"}');
        })
        .catch(() => {
          response.writeHead(500);
          response.end();
        });
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${port}/scan` };
}

function line(label: string, f: Figures): string {
  return `  ${label.padEnd(34)} ${Math.round(f.rps).toLocaleString('en').padStart(7)} scans/s   p50 ${String(f.p50).padStart(3)} ms   p99 ${String(f.p99).padStart(3)} ms${f.non2xx ? `   (${f.non2xx} failed: ${f.failures})` : ''}`;
}

async function main(): Promise<void> {
  const door = await startDoorUnderLoad(4601, PEOPLE);
  const { services, dataSource, slug, eventId } = door;
  const bodies = scanMix(door.tokens);

  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 20 });
  const bare = await bareEndpoint(pool);
  const scanUrl = `${services.url('checkin')}/api/events/${slug}/scan`;

  // One scan first: the load below counts answers, so make sure they are real ones.
  const probe = await fetch(scanUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${TEST_ORGANISER_TOKEN}`,
    },
    body: bodies(),
  });
  const probed = (await probe.json()) as { result?: string };
  if (probe.status !== 200 || probed.result !== 'admitted') {
    throw new Error(
      `the scan endpoint does not admit: ${probe.status} ${JSON.stringify(probed)}\n${services.log('checkin')}`,
    );
  }

  console.log(
    `Scan endpoint, ${CONNECTIONS} connections, ${SECONDS} s each, ${PEOPLE.toLocaleString('en')} badges, 2/3 first scans, 1/3 repeats`,
  );
  const saturated = await load(scanUrl, bodies);
  const bareSaturated = await load(bare.url, bodies);
  console.log(line('einlass scan, at saturation', saturated));
  console.log(line('bare INSERT endpoint, at saturation', bareSaturated));
  console.log(
    `  ratio: einlass does ${(saturated.rps / bareSaturated.rps).toFixed(2)}x the baseline's throughput`,
  );
  const offered = await load(scanUrl, bodies, 2000);
  const bareOffered = await load(bare.url, bodies, 2000);
  console.log(line('einlass scan, 2,000/s offered', offered));
  console.log(line('bare INSERT endpoint, 2,000/s offered', bareOffered));

  const [{ admitted }] = await dataSource.query(
    `SELECT count(*)::int AS admitted FROM presence WHERE event_id = $1`,
    [eventId],
  );
  console.log(`  (${admitted.toLocaleString('en')} people admitted, each exactly once)`);

  bare.server.close();
  await pool.query('DROP TABLE public.bench_scans');
  await pool.end();
  await services.stopAll();
  await door.cleanUp();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
