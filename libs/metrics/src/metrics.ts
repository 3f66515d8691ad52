import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LabelCap } from './label-cap';
import { ScrapeSource } from './scrape-source';

/**
 * The metrics of this process, in one place: one registry per process, names `einlass_*`, and
 * labels from bounded sets only (a route pattern, a result, a queue; never an attendee, a badge
 * or a token). Served by the metrics server (metrics-server.ts), never on the API port.
 */
export const metricsRegistry = new Registry();

let defaultsOn = false;

/** Names the service on every series, and adds Node's own metrics (memory, event loop, GC). */
export function enableProcessMetrics(service: string): void {
  metricsRegistry.setDefaultLabels({ service });
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

const registers = [metricsRegistry];

// Latency buckets, in seconds: a door answer is expected in tens of milliseconds.
const FAST_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Message lag, in seconds: normally well under a second, minutes when a service was down.
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

/**
 * Badge holders check-in keeps in memory to answer scans without a read (BadgeHolders): after a
 * start it rises to the day's attendees; the doors' first scans are fastest once it has.
 */
export const holdersInMemory = new Gauge({
  name: 'einlass_checkin_badge_holders_in_memory',
  help: 'Badge holders check-in keeps in memory to answer scans without a database read',
  registers,
});

// ---- HTTP ---------------------------------------------------------------------------------------

export const httpDuration = new Histogram({
  name: 'einlass_http_request_duration_seconds',
  help: 'Time from a request to its response, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: FAST_BUCKETS,
  registers,
});

/** One answered request; `route` is the route's pattern (`/api/events/:slug/scan`), never the URL. */
export function observeHttpRequest(
  method: string,
  route: string | undefined,
  status: number,
  seconds: number,
): void {
  httpDuration.observe({ method, route: route ?? 'unmatched', status: String(status) }, seconds);
}

// ---- scans at the door ------------------------------------------------------------------------

/** Distinct gates and lists each kept as their own label, per process; the rest are `other`. */
export const MAX_GATE_LABELS = 50;
export const MAX_LIST_LABELS = 50;
const gates = new LabelCap(MAX_GATE_LABELS);
const lists = new LabelCap(MAX_LIST_LABELS, 'main');

export const scansTotal = new Counter({
  name: 'einlass_scans_total',
  help: 'Scans answered at the door, by result, gate and list (gates and lists beyond the first 50 each count as "other")',
  labelNames: ['result', 'gate', 'list'] as const,
  registers,
});

export const scanDuration = new Histogram({
  name: 'einlass_scan_duration_seconds',
  help: 'Time to decide and record a scan, by result',
  labelNames: ['result'] as const,
  buckets: FAST_BUCKETS,
  registers,
});

/**
 * Counts an answered scan and its latency since `startedAt` (performance.now()), and passes the
 * answer on: `.then(scanObserved(body, startedAt))`.
 */
export function scanObserved(
  scan: { gate?: string; list?: string },
  startedAt: number,
): <A extends { result: string }>(answer: A) => A {
  return (answer) => {
    const seconds = (performance.now() - startedAt) / 1000;
    scansTotal.inc({
      result: answer.result,
      gate: gates.label(scan.gate),
      list: lists.label(scan.list),
    });
    scanDuration.observe({ result: answer.result }, seconds);
    return answer;
  };
}

// ---- outbox, queues, consumers -------------------------------------------------------------------

export interface OutboxSnapshot {
  unsent: number;
  oldestUnsentAgeSeconds: number | null;
}

export interface QueueSnapshot {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** How long the oldest waiting job has waited: the consumer's lag; null when none waits. */
  oldestWaitingAgeSeconds: number | null;
}

/** This service's outbox, read on scrape (one query; set by the outbox relay when it starts). */
export const outboxSource = new ScrapeSource<OutboxSnapshot>();
/** The queue this service consumes, read on scrape (one Redis round trip). */
export const queueSource = new ScrapeSource<QueueSnapshot | null>();

export const scrapeFailures = new Counter({
  name: 'einlass_metrics_source_failures_total',
  help: 'Scrapes that could not read a source (database or Redis away, or slower than 2 s)',
  labelNames: ['source'] as const,
  registers,
});

// Several processes of one service (node:cluster) see the same outbox and queue: their values are
// not added up but the largest taken.
new Gauge({
  name: 'einlass_outbox_unsent_messages',
  help: "Messages in this service's outbox not yet published to Redis",
  aggregator: 'max',
  registers,
  async collect() {
    const outbox = await outboxSource.get();
    if (outbox) this.set(outbox.unsent);
    else scrapeFailures.inc({ source: 'outbox' });
  },
});

new Gauge({
  name: 'einlass_outbox_oldest_unsent_age_seconds',
  help: "Age of the oldest unsent message in this service's outbox (0 when none waits)",
  aggregator: 'max',
  registers,
  async collect() {
    const outbox = await outboxSource.get();
    if (outbox) this.set(outbox.oldestUnsentAgeSeconds ?? 0);
  },
});

new Gauge({
  name: 'einlass_queue_jobs',
  help: 'Jobs in the queue this service consumes, by state (waiting, active, delayed, failed)',
  labelNames: ['queue', 'state'] as const,
  aggregator: 'max',
  registers,
  async collect() {
    const queue = await queueSource.get();
    if (!queue) {
      scrapeFailures.inc({ source: 'queue' });
      return;
    }
    for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) {
      this.set({ queue: queue.name, state }, queue[state]);
    }
  },
});

new Gauge({
  name: 'einlass_queue_oldest_waiting_age_seconds',
  help: 'Age of the oldest job waiting in the queue this service consumes (0 when none waits)',
  labelNames: ['queue'] as const,
  aggregator: 'max',
  registers,
  async collect() {
    const queue = await queueSource.get();
    if (queue) this.set({ queue: queue.name }, queue.oldestWaitingAgeSeconds ?? 0);
  },
});

export const relayLag = new Histogram({
  name: 'einlass_outbox_relay_lag_seconds',
  help: 'Time from an outbox message being written to its being published to Redis',
  buckets: LAG_BUCKETS,
  registers,
});

export const relayRounds = new Counter({
  name: 'einlass_outbox_relay_rounds_total',
  help: 'Rounds in which the outbox relay published messages (each: a claim, the jobs, the Redis mark, the rows marked sent)',
  registers,
});

/**
 * A round of the relay that published: counted once, and the lag of each message in it sent for
 * the first time (`createdAt`; a republished message's lag would measure the Redis loss).
 */
export function observeRelayRound(createdAt: Date[], now = Date.now()): void {
  relayRounds.inc();
  for (const at of createdAt) relayLag.observe(Math.max(0, (now - at.getTime()) / 1000));
}

export const consumerLag = new Histogram({
  name: 'einlass_consumer_lag_seconds',
  help: 'Time from an event occurring to this service having processed it, by event type',
  labelNames: ['type'] as const,
  buckets: LAG_BUCKETS,
  registers,
});

export function observeConsumerLag(type: string, occurredAt: string, now = Date.now()): void {
  const at = Date.parse(occurredAt);
  if (Number.isNaN(at)) return;
  consumerLag.observe({ type }, Math.max(0, (now - at) / 1000));
}

// ---- badges and imports -------------------------------------------------------------------------

export const printJobsTotal = new Counter({
  name: 'einlass_print_jobs_total',
  help: 'Print jobs finished, by outcome (done, failed)',
  labelNames: ['outcome'] as const,
  registers,
});

export const badgesRenderedTotal = new Counter({
  name: 'einlass_badges_rendered_total',
  help: 'Badges rendered onto the sheets of finished print jobs',
  registers,
});

export function printJobFinished(outcome: 'done' | 'failed', badges = 0): void {
  printJobsTotal.inc({ outcome });
  if (badges > 0) badgesRenderedTotal.inc(badges);
}

export const importRowsTotal = new Counter({
  name: 'einlass_import_rows_total',
  help: 'Rows of committed attendee imports, by outcome (created, updated, unchanged, rejected)',
  labelNames: ['outcome'] as const,
  registers,
});

export function importCommitted(rows: {
  created: number;
  updated: number;
  unchanged: number;
  rejectedCount: number;
}): void {
  importRowsTotal.inc({ outcome: 'created' }, rows.created);
  importRowsTotal.inc({ outcome: 'updated' }, rows.updated);
  importRowsTotal.inc({ outcome: 'unchanged' }, rows.unchanged);
  importRowsTotal.inc({ outcome: 'rejected' }, rows.rejectedCount);
}
