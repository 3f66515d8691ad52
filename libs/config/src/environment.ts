import { resolve } from 'node:path';
import { z } from 'zod';

const metricsPort = (fallback: number) =>
  z.coerce
    .number({ invalid_type_error: 'must be a port number (0 turns metrics off)' })
    .int('must be a port number (0 turns metrics off)')
    .min(0, 'must be a port number (0 turns metrics off)')
    .max(65535, 'must be a port number (0 turns metrics off)')
    .default(fallback);
const processes = z.coerce.number().int().min(1).max(64).default(1);
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

const url = (protocols: string[]) =>
  z
    .string({ required_error: 'is required' })
    .min(1, 'is required')
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );

const optionalUrl = (protocols: string[]) =>
  url(protocols)
    .transform((value) => value.replace(/\/+$/, ''))
    .optional();

/**
 * Every environment variable the services read, in one place. Parsed once at start-up; a service
 * with a missing or malformed variable does not start.
 */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  REDIS_URL: url(['redis:', 'rediss:']),
  REGISTRATION_PORT: port(3001),
  BADGES_PORT: port(3002),
  CHECKIN_PORT: port(3003),
  /**
   * Processes each service runs, sharing its port: one per core the service may use. The door
   * (check-in) is the one to raise on a busy entrance; 1 runs the service in a single process.
   */
  REGISTRATION_PROCESSES: processes,
  BADGES_PROCESSES: processes,
  CHECKIN_PROCESSES: processes,
  /**
   * Where browsers reach each service, when not at the page's own host name with the port above
   * (behind a reverse proxy, say https://einlass.example.org/registration). The organisers' pages
   * call the services at these addresses.
   */
  REGISTRATION_PUBLIC_URL: optionalUrl(['http:', 'https:']),
  BADGES_PUBLIC_URL: optionalUrl(['http:', 'https:']),
  /**
   * Where phones reach check-in's public /verify page: the address an attendance certificate's
   * QR code holds. By default this host's name as `localhost`, at CHECKIN_PORT.
   */
  CHECKIN_PUBLIC_URL: optionalUrl(['http:', 'https:']),
  /**
   * Whether check-in serves the built front-ends (the scanner at /scan, the organisers' pages at
   * /dashboard); false when a reverse proxy serves WEB_PAGES_DIR itself.
   */
  SERVE_WEB_PAGES: bool(true),
  /**
   * The folder `npm run build` puts the front-ends in (door-scanner/ and organiser-web/ inside);
   * a relative path is taken from the working directory.
   */
  WEB_PAGES_DIR: z
    .string()
    .min(1)
    .refine((value) => !value.includes('\0'), 'must be a folder path')
    .default('dist/web')
    .transform((value) => resolve(value)),
  /** Address the HTTP servers bind to. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /**
   * Prometheus metrics (GET /metrics) of each service, on a port of its own and never on the API
   * port; 0 turns a service's metrics off. No token is asked: who may scrape is decided by the
   * address the metrics servers bind to, METRICS_HOST (only this machine by default).
   */
  REGISTRATION_METRICS_PORT: metricsPort(9101),
  BADGES_METRICS_PORT: metricsPort(9102),
  CHECKIN_METRICS_PORT: metricsPort(9103),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * HTTPS: a PEM certificate (with its chain) and its private key; with both set, every service
   * serves HTTPS only on its port (phones need it for the scanner page's camera and offline
   * signature check). `npm run up -- --https` makes them with a local certificate authority.
   */
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  /**
   * The certificate of the authority that signed TLS_CERT_FILE, when it is a local one: check-in
   * offers it for download (GET /einlass-ca.crt) so that phones can be told to trust it.
   */
  TLS_CA_FILE: z.string().min(1).optional(),
  /** Accepted as an organiser token from start-up on (scripts, tests, the first sign-in). */
  ORGANISER_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (use a long random string)')
    .optional(),
  /** Prefix of every BullMQ key, so several installations (or test runs) can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'may hold only letters, digits, "_" and "-"')
    .default('einlass'),
  /** Run pending migrations when a service starts (turn off when a deploy step runs them). */
  RUN_MIGRATIONS: bool(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Pretty, human-readable logs instead of JSON lines (for a terminal). */
  LOG_PRETTY: bool(false),
  /** How often the outbox relay looks for unsent messages when nothing woke it, in ms. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60000).default(500),
  /**
   * Days a producer keeps sent outbox rows, to republish them should Redis lose its data (pruned
   * afterwards). Beyond it, the reconciliation repairs what a consumer missed.
   */
  OUTBOX_RETENTION_DAYS: z.coerce.number().min(0.001).max(365).default(7),
  /**
   * How often each producer checks its mark in Redis (did Redis lose data?) and moves forward the
   * point up to which everything was delivered, in ms. The relay also checks after each batch.
   */
  /**
   * How often each consumer compares what it holds with its producers' summaries and asks for
   * what it misses (the reconciliation), in ms; it also runs at start-up.
   */
  RECONCILE_EVERY_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  REDIS_CHECK_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** Scans a door token may send per second on average (API.md: about 10), beyond that 429. */
  SCAN_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Scans a door token may send in a burst. */
  SCAN_BURST: z.coerce.number().int().min(1).max(100_000).default(30),
  /**
   * Where badges and check-in reach registration to confirm a token is still valid (revocation
   * and expiry hold even when a queue message was lost). Default: http://127.0.0.1:REGISTRATION_PORT.
   */
  REGISTRATION_URL: optionalUrl(['http:', 'https:']),
  /** How long a token's state is remembered before it is looked up again, in ms. */
  TOKEN_CHECK_CACHE_MS: z.coerce.number().int().min(0).max(5000).default(2000),
  /** Requests one token (or, without one, one client address) may send per second, and in a burst. */
  REQUEST_RATE_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000).default(200),
  REQUEST_BURST: z.coerce.number().int().min(1).max(1_000_000).default(400),
  /** Failed sign-ins (no, unknown, revoked or expired token) one client address may make per minute, and in a burst. */
  AUTH_FAILURE_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
  AUTH_FAILURE_BURST: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** Searches (attendee look-ups with a text) one token may make per second, and in a burst. */
  SEARCH_RATE_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(5),
  SEARCH_BURST: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Attendance streams one token may hold open at once (per process); beyond that 429. */
  MAX_STREAMS_PER_TOKEN: z.coerce.number().int().min(1).max(100_000).default(20),
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (rate limits per address):
   * `loopback` (a reverse proxy on the same machine), `true` (any: only behind a proxy that sets
   * it), `false`, or addresses and CIDR ranges separated by commas.
   */
  TRUST_PROXY: z
    .string()
    .min(1)
    .default('loopback')
    .transform((value): boolean | string =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
  /**
   * How often each service looks for events whose retention date (`erasePersonalDataAt`) has
   * passed, in ms; it also looks once at start-up, so a service that was stopped catches up.
   */
  RETENTION_CHECK_MS: z.coerce.number().int().min(100).max(86_400_000).default(600_000),
  /**
   * An event's erasure goes in batches of this many rows, each in a short transaction of its own,
   * so the doors of other events keep their latency and a stopped erasure resumes where it was.
   */
  ERASURE_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(2000),
  /**
   * The least pause after each batch of an erasure, in ms; the pause is at least half as long as
   * the batch took, so an erasure leaves at least a third of its connection's time to others.
   */
  ERASURE_PAUSE_MS: z.coerce.number().int().min(0).max(60_000).default(50),
  /**
   * Where registration reaches badges and check-in for a person's personal-data document (server
   * to server). By default this host, at BADGES_PORT and CHECKIN_PORT.
   */
  BADGES_INTERNAL_URL: optionalUrl(['http:', 'https:']),
  CHECKIN_INTERNAL_URL: optionalUrl(['http:', 'https:']),
  /** Jobs one worker processes at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
});

export type Environment = z.infer<typeof environmentSchema>;

/** The scheme the services speak: https when they have a certificate. */
export function serviceScheme(env: Pick<Environment, 'TLS_CERT_FILE'>): 'http' | 'https' {
  return env.TLS_CERT_FILE ? 'https' : 'http';
}

/** Where the other services reach registration: REGISTRATION_URL, else its port on this machine. */
export function registrationUrl(
  env: Pick<Environment, 'REGISTRATION_URL' | 'REGISTRATION_PORT' | 'TLS_CERT_FILE'>,
): string {
  return env.REGISTRATION_URL ?? `${serviceScheme(env)}://127.0.0.1:${env.REGISTRATION_PORT}`;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration, the service cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigurationError';
  }
}

/** Parses the environment; throws a ConfigurationError that names each bad variable. */
export function parseEnvironment(source: Record<string, string | undefined>): Environment {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = environmentSchema.safeParse(cleaned);
  if (result.success) {
    if (Boolean(result.data.TLS_CERT_FILE) !== Boolean(result.data.TLS_KEY_FILE)) {
      throw new ConfigurationError([
        'TLS_CERT_FILE and TLS_KEY_FILE go together: set both for HTTPS, or neither for HTTP',
      ]);
    }
    const clash = metricsPortClashes(result.data);
    if (clash.length > 0) throw new ConfigurationError(clash);
    return result.data;
  }
  throw new ConfigurationError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const message =
        issue.code === 'invalid_type' && issue.received === 'undefined'
          ? 'is required'
          : issue.message;
      return `${name} ${message}`;
    }),
  );
}

/** A metrics port may not be another service's (or its own) API or metrics port. */
function metricsPortClashes(env: Environment): string[] {
  const ports: [string, number][] = [
    ['REGISTRATION_PORT', env.REGISTRATION_PORT],
    ['BADGES_PORT', env.BADGES_PORT],
    ['CHECKIN_PORT', env.CHECKIN_PORT],
    ['REGISTRATION_METRICS_PORT', env.REGISTRATION_METRICS_PORT],
    ['BADGES_METRICS_PORT', env.BADGES_METRICS_PORT],
    ['CHECKIN_METRICS_PORT', env.CHECKIN_METRICS_PORT],
  ];
  const problems: string[] = [];
  for (const [name, port] of ports.slice(3)) {
    if (port === 0) continue;
    const other = ports.find(([otherName, otherPort]) => otherName !== name && otherPort === port);
    if (other)
      problems.push(`${name} ${port} is also ${other[0]}: give metrics a port of their own`);
  }
  return problems;
}
