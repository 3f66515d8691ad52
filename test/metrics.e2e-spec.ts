import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import {
  ApiClient,
  builtEntry,
  freePort,
  serviceEnv,
  ServiceProcesses,
  ServiceName,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/** The value of one series in a Prometheus text page, or undefined when it is not there. */
function sample(
  page: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of page.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) {
      return Number(match[3]);
    }
  }
  return undefined;
}

/** This machine's IPv4 addresses other than loopback (where a metrics server on 127.0.0.1 is not). */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
}

/**
 * GET /metrics on each service's own metrics port: what the door, the outbox and the queues do,
 * in Prometheus's format, never on the API port and only where METRICS_HOST lets it be reached.
 */
describe('metrics', () => {
  const metricsPorts = {} as Record<ServiceName, number>;
  let services: ServiceProcesses;
  const slug = uniqueSlug('metrics');
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;
  let attendeeId = '';

  const scrape = async (name: ServiceName) => {
    const response = await fetch(`http://127.0.0.1:${metricsPorts[name]}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  beforeAll(async () => {
    for (const name of ['registration', 'badges', 'checkin'] as const) {
      metricsPorts[name] = await freePort();
    }
    services = new ServiceProcesses(4801, {
      REGISTRATION_METRICS_PORT: String(metricsPorts.registration),
      BADGES_METRICS_PORT: String(metricsPorts.badges),
      CHECKIN_METRICS_PORT: String(metricsPorts.checkin),
    });
    await services.startAll();
    registration = new ApiClient(services.url('registration'), TEST_ORGANISER_TOKEN);
    badges = new ApiClient(services.url('badges'), TEST_ORGANISER_TOKEN);
    checkin = new ApiClient(services.url('checkin'), TEST_ORGANISER_TOKEN);
  }, 90_000);

  afterAll(() => services.stopAll(), 30_000);

  it('counts a scan by result, gate and list, and times the scan route by its pattern', async () => {
    expect((await registration.post('/api/events', { ...SAMPLE_EVENT, slug })).status).toBe(201);
    const imported = await registration.post(
      `/api/events/${slug}/attendees/import`,
      'external_id,first_name,last_name,email,organisation,category\r\n' +
        'M-1,Jana,Metrik,jana.metrik@amt.example,Amt,attendee\r\n' +
        'M-2,Paul,Zähler,paul.zaehler@amt.example,Amt,attendee\r\n',
      { 'content-type': 'text/csv' },
    );
    expect(imported.body.created).toBe(2);
    const qr = await waitFor(
      'a badge to be issued and known at the door',
      async () => {
        const { body: snapshot } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
        // known at the door: the badge's version and the event's signing key have arrived
        const [id] = Object.entries((snapshot.badges ?? {}) as Record<string, { version: number }>)
          .filter(([, badge]) => badge.version === 1)
          .map(([badgeId]) => badgeId);
        if (!id || !(snapshot.keys?.length > 0)) return undefined;
        attendeeId = id;
        const { body: badge } = await badges.get(`/api/events/${slug}/attendees/${id}/badge`);
        return badge.status === 'issued' ? (badge.qr as string) : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );

    expect((await checkin.post(`/api/events/${slug}/scan`, { qr, gate: 'Nord' })).body.result).toBe(
      'admitted',
    );
    expect((await checkin.post(`/api/events/${slug}/scan`, { qr, gate: 'Nord' })).body.result).toBe(
      'already_admitted',
    );

    const page = await scrape('checkin');
    expect(
      sample(page, 'einlass_scans_total', { result: 'admitted', gate: 'Nord', list: 'main' }),
    ).toBe(1);
    expect(sample(page, 'einlass_scans_total', { result: 'already_admitted' })).toBe(1);
    expect(sample(page, 'einlass_scan_duration_seconds_count', { result: 'admitted' })).toBe(1);
    // the first scan had check-in read the event's two holders into memory
    await waitFor("check-in to hold the event's holders in memory", async () =>
      sample(await scrape('checkin'), 'einlass_checkin_badge_holders_in_memory')! >= 2
        ? true
        : undefined,
    );
    expect(
      sample(page, 'einlass_http_request_duration_seconds_count', {
        service: 'checkin',
        method: 'POST',
        route: '/api/events/:slug/scan',
        status: '200',
      }),
    ).toBe(2);
    // Never a URL with its values (the slug), never a badge or a person.
    expect(page).not.toContain(slug);
    expect(page).not.toContain(attendeeId);
    // Node's own metrics come along.
    expect(sample(page, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  }, 120_000);

  it('shows the outbox, the queues, the lags and the import rows', async () => {
    const [registrationPage, badgesPage, checkinPage] = await Promise.all([
      scrape('registration'),
      scrape('badges'),
      scrape('checkin'),
    ]);
    for (const page of [registrationPage, badgesPage, checkinPage]) {
      expect(sample(page, 'einlass_outbox_unsent_messages')).toBeGreaterThanOrEqual(0);
      expect(sample(page, 'einlass_outbox_oldest_unsent_age_seconds')).toBeGreaterThanOrEqual(0);
    }
    for (const [page, queue] of [
      [registrationPage, 'registration'],
      [badgesPage, 'badges'],
      [checkinPage, 'checkin'],
    ] as const) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(sample(page, 'einlass_queue_jobs', { queue, state })).toBeGreaterThanOrEqual(0);
      }
    }
    // Registration published the attendees; badges and check-in consumed them.
    expect(sample(registrationPage, 'einlass_outbox_relay_lag_seconds_count')).toBeGreaterThan(0);
    // Every round that published counts once, whatever the number of messages it carried.
    const rounds = sample(registrationPage, 'einlass_outbox_relay_rounds_total');
    expect(rounds).toBeGreaterThan(0);
    expect(rounds).toBeLessThanOrEqual(
      sample(registrationPage, 'einlass_outbox_relay_lag_seconds_count') ?? 0,
    );
    expect(sample(badgesPage, 'einlass_consumer_lag_seconds_count')).toBeGreaterThan(0);
    expect(sample(checkinPage, 'einlass_consumer_lag_seconds_count')).toBeGreaterThan(0);
    expect(sample(registrationPage, 'einlass_import_rows_total', { outcome: 'created' })).toBe(2);
  });

  it('is not served on the API port', async () => {
    for (const name of ['registration', 'badges', 'checkin'] as const) {
      const response = await fetch(`${services.url(name)}/metrics`);
      expect([401, 404]).toContain(response.status);
      expect(await response.text()).not.toContain('einlass_');
    }
  });

  it('answers only /metrics on its port', async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPorts.checkin}/health`);
    expect(response.status).toBe(404);
  });

  it('refuses addresses outside METRICS_HOST (127.0.0.1 by default)', async () => {
    const address = outsideAddress();
    if (!address) {
      // A machine with loopback only: nothing outside to try from.
      return;
    }
    await expect(fetch(`http://${address}:${metricsPorts.checkin}/metrics`)).rejects.toThrow();
  });

  it('stops a service whose metrics port is malformed, naming the variable', () => {
    const result = spawnSync(process.execPath, [builtEntry('checkin')], {
      env: { PATH: process.env.PATH ?? '', ...serviceEnv({ CHECKIN_METRICS_PORT: 'neun' }) },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain(
      'CHECKIN_METRICS_PORT must be a port number (0 turns metrics off)',
    );
  });
});

/** With CHECKIN_PROCESSES above 1, the primary answers with the metrics of all its processes. */
describe('metrics of a service in several processes', () => {
  let metricsPort: number;
  let services: ServiceProcesses;

  beforeAll(async () => {
    metricsPort = await freePort();
    services = new ServiceProcesses(4811, {
      CHECKIN_PROCESSES: '2',
      CHECKIN_METRICS_PORT: String(metricsPort),
    });
    await services.start('checkin');
  }, 90_000);

  afterAll(() => services.stopAll(), 30_000);

  it('adds up the requests the processes answered', async () => {
    for (let i = 0; i < 6; i++)
      expect((await fetch(`${services.url('checkin')}/health`)).status).toBe(200);
    const page = await waitFor('the health checks to show', async () => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const count = sample(text, 'einlass_http_request_duration_seconds_count', {
        route: '/health',
        status: '200',
      });
      return count !== undefined && count >= 6 ? text : undefined;
    });
    expect(sample(page, 'einlass_outbox_unsent_messages')).toBeGreaterThanOrEqual(0);
  }, 60_000);
});
