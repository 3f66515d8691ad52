/**
 * What `/metrics` costs the door (issue 16: under 5 %). Two parts, in one run:
 *
 * 1. The scan endpoint at saturation as the scanner page drives it (50 door devices, a nonce per
 *    scan, 2/3 first scans), alternately without anyone reading `/metrics` and while it is scraped
 *    every second (15 times Prometheus's default interval: a scrape reads the outbox with a query
 *    and the queue from Redis, and renders every series), three runs each; the medians' ratio is
 *    the scrape's cost.
 * 2. What every scan pays whether or not anyone scrapes: the scan counter and histogram and the
 *    HTTP latency histogram, timed in a loop beside the same loop doing nothing (the bare
 *    baseline), and set against the time one scan takes at saturation.
 */
import { freePort } from '@einlass/testing';
import { observeHttpRequest, scanObserved } from '@einlass/metrics';
import { driveScans, scanMix, startDoorUnderLoad } from './door-load';

const PEOPLE = 120_000;
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = 3;
const SCRAPE_EVERY_MS = 1000;

/** The scan endpoint at saturation: scans/s, failing the run if any scan failed. */
async function saturate(url: string, bodies: () => string, tokens: string[]): Promise<number> {
  const figures = await driveScans(url, bodies, tokens, {
    connections: CONNECTIONS,
    seconds: SECONDS,
  });
  if (figures.non2xx > 0) throw new Error(`answers that failed under load: ${figures.failures}`);
  return figures.rps;
}

/** Scrapes `/metrics` every SCRAPE_EVERY_MS until stopped; how many and how long they took. */
function scrapeEverySecond(url: string): () => Promise<{ scrapes: number; meanMs: number }> {
  let stopped = false;
  const took: number[] = [];
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      const response = await fetch(url);
      const text = await response.text();
      if (response.status !== 200 || !text.includes('einlass_scans_total')) {
        throw new Error(`/metrics answered ${response.status}`);
      }
      took.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, SCRAPE_EVERY_MS));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return { scrapes: took.length, meanMs: took.reduce((a, b) => a + b, 0) / took.length };
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Nanoseconds per scan of the metrics every scan records, and of the same loop without them. */
function instrumentCost(): { withMetrics: number; bare: number } {
  const n = 300_000;
  const gates = ['Nord', 'Süd', 'Ost', 'West'];
  let sink = 0;
  const time = (work: (i: number) => void) => {
    for (let i = 0; i < 20_000; i++) work(i); // warm up
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) work(i);
    return Number(process.hrtime.bigint() - started) / n;
  };
  const bare = time((i) => {
    const started = performance.now();
    sink += performance.now() - started + gates[i & 3].length;
  });
  const withMetrics = time((i) => {
    const started = performance.now();
    scanObserved({ gate: gates[i & 3], list: 'main' }, started)({ result: 'admitted' });
    observeHttpRequest('POST', '/api/events/:slug/scan', 200, (performance.now() - started) / 1000);
    sink += gates[i & 3].length;
  });
  if (sink < 0) console.log(sink);
  return { withMetrics, bare };
}

async function main(): Promise<void> {
  const metricsPort = await freePort();
  const door = await startDoorUnderLoad(4651, PEOPLE, {
    SCAN_RATE_PER_SECOND: '10000',
    SCAN_BURST: '100000',
    CHECKIN_METRICS_PORT: String(metricsPort),
  });
  const { services, slug, fixture } = door;
  const tokens = await Promise.all(
    Array.from({ length: CONNECTIONS }, () => fixture.token('door')),
  );
  const scans = scanMix(door.tokens);
  const scanUrl = `${services.url('checkin')}/api/events/${slug}/scan`;
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;

  console.log(
    `/metrics overhead: the scan endpoint at saturation (${CONNECTIONS} devices, nonces, ${SECONDS} s per run), ` +
      `${ROUNDS} runs unscraped and ${ROUNDS} scraped every ${SCRAPE_EVERY_MS / 1000} s, alternating`,
  );
  // Unmeasured first: the first seconds warm the process up (and load the holders' copy).
  await saturate(scanUrl, scans, tokens);
  const quiet: number[] = [];
  const scraped: number[] = [];
  const scrapeTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    quiet.push(await saturate(scanUrl, scans, tokens));
    const stop = scrapeEverySecond(metricsUrl);
    scraped.push(await saturate(scanUrl, scans, tokens));
    const { meanMs } = await stop();
    scrapeTimes.push(meanMs);
    console.log(
      `  round ${round + 1}: unscraped ${Math.round(quiet[round]).toLocaleString('en')} scans/s, ` +
        `scraped ${Math.round(scraped[round]).toLocaleString('en')} scans/s (a scrape took ${meanMs.toFixed(1)} ms under load)`,
    );
  }
  const scrapeShare = 1 - median(scraped) / median(quiet);
  const spread = (Math.max(...quiet) - Math.min(...quiet)) / median(quiet);
  console.log(
    `  medians: unscraped ${Math.round(median(quiet)).toLocaleString('en')}/s, scraped ${Math.round(median(scraped)).toLocaleString('en')}/s: ` +
      `ratio ${(median(scraped) / median(quiet)).toFixed(3)}, the scrapes cost ${(scrapeShare * 100).toFixed(1)} %` +
      (scrapeShare < 0 ? ' (less than the runs differ among themselves: counted as 0)' : ''),
  );
  console.log(
    `  the unscraped runs alone differ by ${(spread * 100).toFixed(1)} %: a difference smaller than that is noise of this machine`,
  );
  // What one scrape costs the process, without the load: the whole request, rendering included.
  const idle: number[] = [];
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    await (await fetch(metricsUrl)).text();
    idle.push(performance.now() - started);
  }
  const scrapeMs = median(idle);
  const scrapeCpuShare = scrapeMs / SCRAPE_EVERY_MS;
  console.log(
    `  one scrape without load: ${scrapeMs.toFixed(1)} ms (median of 30), at one per second at most ${(scrapeCpuShare * 100).toFixed(2)} % of the process's time`,
  );

  const cost = instrumentCost();
  const perScanNs = 1e9 / median(quiet);
  const instrumentShare = (cost.withMetrics - cost.bare) / perScanNs;
  console.log(
    `  recorded on every scan (scan counter + histogram, HTTP histogram): ${cost.withMetrics.toFixed(0)} ns per scan, ` +
      `bare loop ${cost.bare.toFixed(0)} ns (ratio ${(cost.withMetrics / cost.bare).toFixed(1)}x); ` +
      `${((cost.withMetrics - cost.bare) / 1000).toFixed(2)} µs of the ${(perScanNs / 1000).toFixed(0)} µs a scan takes at saturation = ${(instrumentShare * 100).toFixed(2)} %`,
  );
  const measured = Math.max(0, scrapeShare) + instrumentShare;
  const bound = scrapeCpuShare + instrumentShare;
  console.log(
    `  /metrics in all: ${(measured * 100).toFixed(1)} % of the door's throughput as measured under load` +
      `${Math.abs(scrapeShare) < spread ? ' (within the noise)' : ''}; ` +
      `${(bound * 100).toFixed(2)} % from the scrape's own time and the instruments (goal: < 5 %)`,
  );

  await services.stopAll();
  await door.cleanUp();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
