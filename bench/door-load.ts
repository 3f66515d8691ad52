/**
 * What the door benchmarks (scan, metrics, attendance-stream) stand on: the check-in service alone,
 * with one event of many badges in its read model, and scan requests as doors send them.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@einlass/database';
import { freePort, ServiceProcesses, TEST_DATABASE_URL, waitFor } from '@einlass/testing';
import { checkinDatabase } from '../apps/checkin/testing';
import { DoorFixture } from '../apps/checkin/testing';
import { benchQueuePrefix, removeBenchQueues, removeCheckinEvent } from './leftovers';

export interface DoorUnderLoad {
  services: ServiceProcesses;
  /** Check-in's database, for the benchmark's own counts. */
  dataSource: DataSource;
  slug: string;
  eventId: string;
  /** The QR text of every badge, in the order first scans use them. */
  tokens: string[];
  /** The event in check-in's read model: its signing key, and door tokens made for it. */
  fixture: DoorFixture;
  /**
   * Waits until check-in holds every badge holder in memory (its gauge
   * einlass_checkin_badge_holders_in_memory), once a first scan has started the read: the doors
   * open on a check-in that has read the day's holders, as one started on the event's day has.
   */
  untilHoldersInMemory(): Promise<void>;
  /** Removes the event, its scans and the benchmark's queues, and closes the database. */
  cleanUp(): Promise<void>;
}

/**
 * Starts the check-in service on `port` and writes an event with `people` badge holders into its
 * read model, as its queue consumer would. The service is stopped when the benchmark exits.
 */
export async function startDoorUnderLoad(
  port: number,
  people: number,
  env: Record<string, string> = {},
): Promise<DoorUnderLoad> {
  const queuePrefix = benchQueuePrefix();
  const metricsPort = env.CHECKIN_METRICS_PORT ?? String(await freePort());
  const services = new ServiceProcesses(port, {
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: queuePrefix,
    CHECKIN_METRICS_PORT: metricsPort,
    ...env,
  });
  process.once('exit', () => void services.stopAll());
  await services.start('checkin'); // migrates the schema first
  const dataSource = await new DataSource(
    dataSourceOptions(TEST_DATABASE_URL, checkinDatabase),
  ).initialize();
  const door = await new DoorFixture(dataSource).create();
  const tokens = (await door.people(people)).map((id) => door.qr(id));
  // What autovacuum does after a large insert (the CI machine's runs with it off): the planner
  // sees the event's people, not the empty table an earlier clean-up left statistics of.
  await dataSource.query('ANALYZE attendees');
  return {
    services,
    dataSource,
    slug: door.slug,
    eventId: door.eventId,
    tokens,
    fixture: door,
    untilHoldersInMemory: async () => {
      await waitFor(
        `check-in to hold the ${people} badge holders in memory`,
        async () => {
          const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
          const held = /^einlass_checkin_badge_holders_in_memory(?:\{[^}]*\})? (\d+)/m.exec(text);
          return held !== null && Number(held[1]) >= people;
        },
        { timeoutMs: 120_000, intervalMs: 250 },
      );
    },
    cleanUp: async () => {
      await removeCheckinEvent(dataSource, door.eventId);
      await dataSource.destroy();
      await removeBenchQueues(queuePrefix);
    },
  };
}

/** Distinguishes one benchmark run's nonces from another's (nonces are unique per event). */
const RUN = randomUUID().slice(0, 8);

/**
 * Scan request bodies as a morning rush sends them from the scanner page: two thirds first scans
 * (each badge once, in order), one third repeats of a badge scanned before, spread over eight gates
 * and 50 devices, each scan with the page's nonce (`<device>:<counter>`, so a retry is recorded
 * once), list and direction. `nonces: false` leaves the nonce out (an API client that sends none).
 */
export function scanMix(tokens: string[], options: { nonces?: boolean } = {}): () => string {
  const nonces = options.nonces ?? true;
  let next = 0;
  let seq = 0;
  return () => {
    seq += 1;
    const repeat = seq % 3 === 0 && next > 0;
    const qr = repeat
      ? tokens[Math.floor(Math.random() * Math.min(next, tokens.length))]
      : tokens[next++ % tokens.length];
    const gate = `Tor ${seq % 8}`;
    return JSON.stringify(
      nonces
        ? { qr, gate, list: 'main', direction: 'in', nonce: `${RUN}-d${seq % 50}:${seq}` }
        : { qr, gate, list: 'main', direction: 'in' },
    );
  };
}

/**
 * An offline device's queue as the scanner page sends it when the network returns: `count` first
 * scans of `tokens`, each seen in the last ten minutes (`scannedAt`, in order) with its nonce.
 */
export function offlineQueue(device: string, tokens: string[], now = Date.now()): object[] {
  return tokens.map((qr, i) => ({
    qr,
    gate: `Tor ${device.length % 8}`,
    list: 'main',
    direction: 'in',
    nonce: `${RUN}-${device}:${i + 1}`,
    scannedAt: new Date(now - 600_000 + (i * 600_000) / tokens.length).toISOString(),
  }));
}

/** What a run of scan requests gave: throughput, latency and what failed. */
export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** What the failures were: status codes and connection errors, for the printout. */
  failures: string;
}

/**
 * Sends scan requests as door devices do: each connection a device with its own door token (taken
 * in turn from `tokens`), bodies from `bodies()`, at saturation or at `rate` scans/s overall.
 */
export async function driveScans(
  url: string,
  bodies: () => string,
  tokens: string[],
  options: { connections: number; seconds: number; rate?: number },
): Promise<Figures> {
  let request = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        setupRequest: (r) => ({
          ...r,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens[request++ % tokens.length]}`,
          },
          body: bodies(),
        }),
      },
    ],
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

/**
 * Scans at `rate` per second as independent door devices send them: each scan at a random moment
 * (exponential gaps: many devices scanning on their own), not in step. autocannon's fixed rate
 * sends each second's scans in bursts, all connections at once (groups of 20 to 49 scans seen in
 * check-in at 1,000/s), which is what devices scanning in lockstep would do. Sent over
 * `connections` keep-alive connections; each latency counts from the moment the scan was due, so
 * a scan that waited for a free connection counts its wait (no coordinated omission).
 */
export async function driveScansAtRandom(
  url: string,
  bodies: () => string,
  tokens: string[],
  options: { connections: number; seconds: number; rate: number },
): Promise<Figures> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(url);
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const fail = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const end = started + options.seconds * 1000;
  let due = started;
  let sent = 0;
  while (due < end) {
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const scheduled = due;
    const body = bodies();
    const one = new Promise<void>((resolve) => {
      const call = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${tokens[sent % tokens.length]}`,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode === 200) latencies.push(performance.now() - scheduled);
            else fail(`${response.statusCode}`);
            resolve();
          });
        },
      );
      call.on('error', (error) => {
        fail(error.message);
        resolve();
      });
      call.end(body);
    });
    inFlight.add(one);
    void one.then(() => inFlight.delete(one));
    sent += 1;
    due += -Math.log(1 - Math.random()) * (1000 / options.rate);
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.floor((latencies.length - 1) * q)] ?? 0);
  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  return {
    rps: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    non2xx: failed,
    failures: [...failures].map(([what, n]) => `${n}x ${what}`).join(', '),
  };
}
