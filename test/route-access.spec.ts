import { REGISTRATION_BESIDE_PORT } from './registration-beside.env'; // first: sets the environment
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { get as httpGet } from 'node:http';
import { BadgesModule } from '../apps/badges/testing';
import { configureBadgesApp } from '../apps/badges/testing';
import { CheckinModule } from '../apps/checkin/testing';
import { configureRegistrationApp } from '../apps/registration/testing';
import { RegistrationModule } from '../apps/registration/testing';
import {
  collectRoutes,
  startInProcess,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';

/**
 * Every route of the three services against every kind of token, on resources of two events.
 *
 * The routes come from the services' own routers (Fastify's onRoute hook while each app boots),
 * so a route added without a rule in RULES below fails "has a rule for every route". To add one:
 *
 *   1. give the route its access in code: @Roles('organiser', 'door') for door tokens too,
 *      nothing for organisers only, @UnlimitedOnly() for organiser tokens of every event,
 *      @Public() for no token; a route that reaches a resource by id without the event in its
 *      URL checks the resource's own event with assertResourceEvent (libs/auth/src/access.ts);
 *   2. add a line to RULES: `'METHOD /path/as/registered': rule(who, request, options)` with
 *      - who: 'public' | 'door' (door, desk and organiser tokens of the event) | 'desk' (desk and
 *        organiser tokens of the event: the registration desk) | 'organiser' (organiser
 *        tokens of the event) | 'print' (organiser tokens of the event; door and desk tokens
 *        where the event lets devices print: here event A, not B) |
 *        'unlimited' (organiser tokens of every event) | 'anyToken'
 *        (any valid token, no event involved) | 'anyOrganiser' (any organiser token, no event in
 *        the URL: the answer is narrowed to the token's events, tested on its own);
 *      - request(e): the request for event fixture `e` (A or B): a harmless body is best (one a
 *        validator refuses with 400 is fine: the access check runs first);
 *      - options: { byId: true } when a token outside the event must get 404 (a resource reached
 *        by id), { stream: true } for server-sent events.
 *
 * Expected: no token and a revoked one → 401 (public routes: never 401/403); a token allowed on
 * the event → anything but 401/403 (and 404 for byId); any other → 403 (byId: 404).
 */

type Who =
  'public' | 'anyToken' | 'anyOrganiser' | 'door' | 'desk' | 'print' | 'organiser' | 'unlimited';

/**
 * The events whose door settings let devices print (`devicesMayPrint`): a door token may re-issue
 * a badge and fetch its PDF there (issue 15), and nowhere else.
 */
const PRINTING_EVENTS = new Set(['A']);
type Service = 'registration' | 'badges' | 'checkin';

interface EventFixture {
  key: 'A' | 'B';
  slug: string;
  gate: string;
  attendeeId: string;
  cancellableId: string;
  printJobId: string;
  certificateJobId: string;
  /** A token of this event that a request may revoke (made afresh for each request). */
  victimToken: () => Promise<string>;
}

interface Probe {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

interface Rule {
  who: Who;
  request: (e: EventFixture) => Probe | Promise<Probe>;
  byId?: boolean;
  stream?: boolean;
}

const rule = (
  who: Who,
  request: Rule['request'],
  options: Pick<Rule, 'byId' | 'stream'> = {},
): Rule => ({ who, request, ...options });

const ev = (e: EventFixture, rest = '') => `/api/events/${e.slug}${rest}`;
const att = (e: EventFixture, rest = '') => ev(e, `/attendees/${e.attendeeId}${rest}`);
const get = (url: (e: EventFixture) => string) => (e: EventFixture) => ({ url: url(e) });
const json = (url: (e: EventFixture) => string, payload: unknown) => (e: EventFixture) => ({
  url: url(e),
  payload,
});
const page = (url: string) => () => ({ url });

/**
 * The API document each service serves (libs/bootstrap/src/api-document.ts): public, as JSON and
 * as a page (Swagger UI: the page, its start script and its files, at two depths).
 */
const API_DOCUMENT_RULES: Record<string, Rule> = {
  'GET /api/openapi.json': rule('public', page('/api/openapi.json')),
  'GET /api/docs': rule('public', page('/api/docs')),
  'GET /api/docs/': rule('public', page('/api/docs/')),
  'GET /api/docs/index.html': rule('public', page('/api/docs/index.html')),
  'GET /api/docs/LICENSE': rule('public', page('/api/docs/LICENSE')),
  'GET /api/docs/swagger-ui-init.js': rule('public', page('/api/docs/swagger-ui-init.js')),
  'GET /api/docs/docs/swagger-ui-init.js': rule(
    'public',
    page('/api/docs/docs/swagger-ui-init.js'),
  ),
  'GET /api/docs/*': rule('public', page('/api/docs/swagger-ui.css')),
  'GET /api/docs/docs/*': rule('public', page('/api/docs/docs/swagger-ui-bundle.js')),
};

/** The failed messages of the queue each service consumes (libs/bootstrap/src/failed-jobs.controller.ts). */
const FAILED_JOB_RULES: Record<string, Rule> = {
  'GET /api/pipeline/failed-jobs': rule('unlimited', page('/api/pipeline/failed-jobs')),
  'POST /api/pipeline/failed-jobs/retry': rule('unlimited', () => ({
    url: '/api/pipeline/failed-jobs/retry',
    payload: {},
  })),
  'POST /api/pipeline/failed-jobs/:jobId/retry': rule('unlimited', () => ({
    url: '/api/pipeline/failed-jobs/no-such-job/retry',
    payload: {},
  })),
};

/** The rule of every route, by service, keyed "METHOD /path" as the router registers it. */
const RULES: Record<Service, Record<string, Rule>> = {
  registration: {
    ...API_DOCUMENT_RULES,
    ...FAILED_JOB_RULES,
    'GET /health': rule('public', page('/health')),
    'GET /api/events/:slug/pipeline': rule(
      'organiser',
      get((e) => ev(e, '/pipeline')),
    ),
    'GET /api/me': rule('anyToken', page('/api/me')),
    'POST /api/events': rule('unlimited', () => ({ url: '/api/events', payload: {} })),
    'GET /api/events': rule('anyToken', page('/api/events')),
    'GET /api/events/:slug': rule('door', get(ev)),
    'POST /api/events/:slug/sessions': rule(
      'organiser',
      json((e) => ev(e, '/sessions'), {}),
    ),
    'GET /api/events/:slug/sessions': rule(
      'door',
      get((e) => ev(e, '/sessions')),
    ),
    'GET /api/events/:slug/sessions/:code/signups': rule(
      'organiser',
      get((e) => ev(e, '/sessions/W01/signups')),
    ),
    'POST /api/events/:slug/sessions/:code/signups': rule(
      'organiser',
      json((e) => ev(e, '/sessions/W01/signups'), {}),
    ),
    'DELETE /api/events/:slug/sessions/:code/signups/:attendeeId': rule(
      'organiser',
      get((e) => ev(e, `/sessions/W01/signups/${e.attendeeId}`)),
    ),
    'POST /api/events/:slug/attendees/import': rule('organiser', (e) => ({
      url: ev(e, '/attendees/import'),
      payload: 'not a list',
      headers: { 'content-type': 'text/csv' },
    })),
    'POST /api/events/:slug/attendees': rule(
      'desk',
      json((e) => ev(e, '/attendees'), {}),
    ),
    'GET /api/events/:slug/attendees': rule(
      'door',
      get((e) => ev(e, '/attendees')),
    ),
    'GET /api/events/:slug/attendees/:id': rule('door', get(att)),
    'PATCH /api/events/:slug/attendees/:id': rule('organiser', json(att, {})),
    'POST /api/events/:slug/attendees/:id/cancel': rule('organiser', (e) => ({
      url: ev(e, `/attendees/${e.cancellableId}/cancel`),
    })),
    // The registration desk (issue 17): a substitute takes over a registration. Probed with an
    // empty body (400 once let in), so nobody is replaced.
    'POST /api/events/:slug/attendees/:id/replacement': rule(
      'desk',
      json((e) => att(e, '/replacement'), {}),
    ),
    // Personal data (issue 13). The erasing routes are probed harmlessly: an unknown person, a
    // confirmation that does not match; the access check runs before either is looked at.
    'PATCH /api/events/:slug': rule(
      'organiser',
      json((e) => ev(e), {}),
    ),
    'POST /api/events/:slug/erase': rule(
      'organiser',
      json((e) => ev(e, '/erase'), { confirm: 'not-the-slug' }),
    ),
    'DELETE /api/events/:slug/attendees/:id': rule(
      'organiser',
      get((e) => ev(e, '/attendees/00000000-0000-4000-8000-000000000000')),
    ),
    'GET /api/events/:slug/attendees/:id/personal-data': rule(
      'organiser',
      get((e) => att(e, '/personal-data')),
    ),
    'GET /api/events/:slug/audit': rule(
      'organiser',
      get((e) => ev(e, '/audit')),
    ),
    'GET /api/events/:slug/audit.csv': rule(
      'organiser',
      get((e) => ev(e, '/audit.csv')),
    ),
    'POST /api/tokens': rule('organiser', (e) => ({
      url: '/api/tokens',
      payload: { role: 'door', label: 'made by the route suite', events: [e.slug] },
    })),
    'GET /api/tokens': rule('anyOrganiser', page('/api/tokens')),
    'DELETE /api/tokens/:id': rule(
      'organiser',
      async (e) => ({ url: `/api/tokens/${await e.victimToken()}` }),
      { byId: true },
    ),
  },
  badges: {
    ...API_DOCUMENT_RULES,
    ...FAILED_JOB_RULES,
    'GET /health': rule('public', page('/health')),
    'GET /api/events/:slug/pipeline': rule(
      'organiser',
      get((e) => ev(e, '/pipeline')),
    ),
    'GET /api/events/:slug/attendees/:id/badge': rule(
      'desk',
      get((e) => att(e, '/badge')),
    ),
    // Printing at the door (issue 15): door tokens only where the event lets devices print.
    'POST /api/events/:slug/attendees/:id/badge/reissue': rule(
      'print',
      get((e) => att(e, '/badge/reissue')),
    ),
    // A door token fetches only a badge it re-issued itself (test/door-print.e2e-spec.ts): here,
    // as for any badge it did not, 403.
    'GET /api/events/:slug/attendees/:id/badge.pdf': rule(
      'desk',
      get((e) => att(e, '/badge.pdf')),
    ),
    'GET /api/events/:slug/branding': rule(
      'organiser',
      get((e) => ev(e, '/branding')),
    ),
    'PUT /api/events/:slug/branding': rule(
      'organiser',
      json((e) => ev(e, '/branding'), {}),
    ),
    'GET /api/events/:slug/branding/logo': rule(
      'organiser',
      get((e) => ev(e, '/branding/logo')),
    ),
    'PUT /api/events/:slug/branding/logo': rule('organiser', (e) => ({
      url: ev(e, '/branding/logo'),
      payload: 'not a picture',
      headers: { 'content-type': 'image/png' },
    })),
    'DELETE /api/events/:slug/branding/logo': rule(
      'organiser',
      get((e) => ev(e, '/branding/logo')),
    ),
    'POST /api/events/:slug/print-jobs': rule(
      'organiser',
      json((e) => ev(e, '/print-jobs'), { layout: 'no-such-layout' }),
    ),
    'GET /api/events/:slug/print-jobs': rule(
      'organiser',
      get((e) => ev(e, '/print-jobs')),
    ),
    'GET /api/events/:slug/attendees/:id/personal-data': rule(
      'organiser',
      get((e) => att(e, '/personal-data')),
    ),
    'GET /api/events/:slug/signing-keys': rule(
      'organiser',
      get((e) => ev(e, '/signing-keys')),
    ),
    'POST /api/events/:slug/signing-keys/rotate': rule(
      'organiser',
      json((e) => ev(e, '/signing-keys/rotate'), {}),
    ),
    // A key id of no event: an allowed token gets 404, any other 403 before the key is looked at.
    'DELETE /api/events/:slug/signing-keys/:keyId': rule(
      'organiser',
      get((e) => ev(e, '/signing-keys/0badc0de')),
    ),
    'POST /api/events/:slug/signing-keys/print-affected': rule(
      'organiser',
      json((e) => ev(e, '/signing-keys/print-affected'), {}),
    ),
    'GET /api/print-jobs/:id': rule(
      'organiser',
      get((e) => `/api/print-jobs/${e.printJobId}`),
      {
        byId: true,
      },
    ),
    'GET /api/print-jobs/:id/file': rule(
      'organiser',
      get((e) => `/api/print-jobs/${e.printJobId}/file`),
      { byId: true },
    ),
    'POST /api/events/:slug/attendees/:id/certificate': rule(
      'organiser',
      json((e) => att(e, '/certificate'), { language: 'xx' }),
    ),
    'POST /api/events/:slug/certificate-jobs': rule(
      'organiser',
      json((e) => ev(e, '/certificate-jobs'), { format: 'no-such-format' }),
    ),
    'GET /api/events/:slug/certificate-jobs': rule(
      'organiser',
      get((e) => ev(e, '/certificate-jobs')),
    ),
    'GET /api/certificate-jobs/:id': rule(
      'organiser',
      get((e) => `/api/certificate-jobs/${e.certificateJobId}`),
      { byId: true },
    ),
    'GET /api/certificate-jobs/:id/file': rule(
      'organiser',
      get((e) => `/api/certificate-jobs/${e.certificateJobId}/file`),
      { byId: true },
    ),
    'GET /api/certificates/verify': rule('public', page('/api/certificates/verify?code=CERT1-X')),
  },
  checkin: {
    ...API_DOCUMENT_RULES,
    ...FAILED_JOB_RULES,
    'GET /health': rule('public', page('/health')),
    'GET /api/events/:slug/pipeline': rule(
      'organiser',
      get((e) => ev(e, '/pipeline')),
    ),
    'GET /api/me': rule('anyToken', page('/api/me')),
    'GET /einlass-ca.crt': rule('public', page('/einlass-ca.crt')),
    'GET /verify': rule('public', page('/verify')),
    'GET /scan': rule('public', page('/scan')),
    'GET /api/events/:slug/attendees/:id/personal-data': rule(
      'organiser',
      get((e) => att(e, '/personal-data')),
    ),
    // the built front-ends' files (@fastify/static): app.js, app.js.map, app.css
    'GET /scan/*': rule('public', page('/scan/app.js')),
    'GET /dashboard': rule('public', page('/dashboard')),
    'GET /dashboard/*': rule('public', page('/dashboard/app.js')),
    'GET /dashboard/config.json': rule('public', page('/dashboard/config.json')),
    'POST /api/events/:slug/scan': rule('door', (e) => ({
      url: ev(e, '/scan'),
      payload: { qr: 'NOT-A-BADGE', gate: e.gate },
    })),
    'POST /api/events/:slug/scans': rule(
      'door',
      json((e) => ev(e, '/scans'), []),
    ),
    'POST /api/events/:slug/attendees/:id/checkin': rule('door', (e) => ({
      url: att(e, '/checkin'),
      payload: { gate: e.gate },
    })),
    'GET /api/events/:slug/scan-snapshot': rule(
      'door',
      get((e) => ev(e, '/scan-snapshot')),
    ),
    'GET /api/events/:slug/checkins': rule(
      'organiser',
      get((e) => ev(e, '/checkins')),
    ),
    'GET /api/events/:slug/door-settings': rule(
      'door',
      get((e) => ev(e, '/door-settings')),
    ),
    'PUT /api/events/:slug/door-settings': rule(
      'organiser',
      json((e) => ev(e, '/door-settings'), {}),
    ),
    'POST /api/events/:slug/devices/report': rule('door', (e) => ({
      url: ev(e, '/devices/report'),
      payload: {
        deviceId: `access-${e.key}`,
        gate: e.gate,
        list: 'main',
        direction: 'in',
        queued: 0,
        conflicts: 0,
        clock: new Date().toISOString(),
      },
    })),
    'GET /api/events/:slug/devices': rule(
      'organiser',
      get((e) => ev(e, '/devices')),
    ),
    'GET /api/events/:slug/door-lookup': rule(
      'door',
      get((e) => ev(e, '/door-lookup?q=mu')),
    ),
    'GET /api/events/:slug/attendance': rule(
      'organiser',
      get((e) => ev(e, '/attendance')),
    ),
    'GET /api/events/:slug/attendance/forecast': rule(
      'organiser',
      get((e) => ev(e, '/attendance/forecast')),
    ),
    'GET /api/events/:slug/attendance/not-arrived': rule(
      'organiser',
      get((e) => ev(e, '/attendance/not-arrived')),
    ),
    'GET /api/events/:slug/attendance/stream': rule(
      'organiser',
      get((e) => ev(e, '/attendance/stream')),
      { stream: true },
    ),
    'GET /api/events/:slug/exports/attendance.csv': rule(
      'organiser',
      get((e) => ev(e, '/exports/attendance.csv')),
    ),
    'GET /api/events/:slug/exports/checkins.csv': rule(
      'organiser',
      get((e) => ev(e, '/exports/checkins.csv')),
    ),
    'GET /api/events/:slug/sessions/:code/attendance.csv': rule(
      'organiser',
      get((e) => ev(e, '/sessions/W01/attendance.csv')),
    ),
  },
};

type TokenKind =
  | 'none'
  | 'revoked'
  | 'doorA'
  | 'doorB'
  | 'deskA'
  | 'deskB'
  | 'organiserA'
  | 'organiserB'
  | 'unlimited';
const TOKEN_KINDS: TokenKind[] = [
  'none',
  'revoked',
  'doorA',
  'doorB',
  'deskA',
  'deskB',
  'organiserA',
  'organiserB',
  'unlimited',
];

/** Whether a token of `kind` may use a route of rule `who` on event `event`. */
function allowed(who: Who, kind: TokenKind, event: 'A' | 'B'): boolean {
  if (who === 'public') return true;
  if (kind === 'none' || kind === 'revoked') return false;
  if (kind === 'unlimited') return true;
  if (who === 'anyToken') return true;
  if (who === 'anyOrganiser') return kind.startsWith('organiser');
  if (who === 'unlimited') return false;
  const ownEvent = kind.endsWith(event);
  if (who === 'print')
    return PRINTING_EVENTS.has(event) ? ownEvent : allowed('organiser', kind, event);
  if (who === 'organiser') return kind.startsWith('organiser') && ownEvent;
  if (who === 'desk') return !kind.startsWith('door') && ownEvent; // desk and organiser tokens
  return ownEvent; // door: door, desk and organiser tokens of the event
}

/** Whether the token's role alone refuses it (403 even for a resource reached by id). */
const roleRefused = (who: Who, kind: TokenKind) =>
  (kind.startsWith('door') && ['organiser', 'anyOrganiser', 'unlimited', 'desk'].includes(who)) ||
  (kind.startsWith('desk') && ['organiser', 'anyOrganiser', 'unlimited'].includes(who));

describe('every route against every kind of token', () => {
  const apps = {} as Record<Service, NestFastifyApplication>;
  const routes: Record<Service, string[]> = { registration: [], badges: [], checkin: [] };
  const urls = {} as Record<Service, string>;
  const tokens = {} as Record<TokenKind, string | undefined>;
  const events = {} as Record<'A' | 'B', EventFixture>;
  const unlimited = { authorization: `Bearer ${TEST_ORGANISER_TOKEN}` };

  const call = async (
    service: Service,
    method: string,
    probe: Probe,
    token: string | undefined,
    stream = false,
  ): Promise<number> => {
    const headers = {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...probe.headers,
    };
    if (stream) {
      // A stream that is let in never ends: read its status, then hang up.
      return new Promise<number>((resolve, reject) => {
        const request = httpGet(`${urls[service]}${probe.url}`, { headers }, (response) => {
          resolve(response.statusCode ?? 0);
          request.destroy();
        });
        request.on('error', reject);
      });
    }
    const response = await apps[service].inject({
      method: method as 'GET',
      url: probe.url,
      headers,
      payload: probe.payload as string,
    });
    return response.statusCode;
  };

  const organiser = async (method: string, url: string, payload?: unknown) => {
    const response = await apps.registration.inject({
      method: method as 'POST',
      url,
      headers: unlimited,
      payload: payload as object,
    });
    if (response.statusCode >= 300) {
      throw new Error(`${method} ${url} → ${response.statusCode} ${response.body}`);
    }
    return response.json();
  };

  const makeToken = async (scope: object): Promise<{ id: string; token: string }> =>
    organiser('POST', '/api/tokens', { label: 'route suite', ...scope });

  beforeAll(async () => {
    // registration-beside.env.ts set the environment; startInProcess must not undo it.
    const env = { REGISTRATION_URL: process.env.REGISTRATION_URL ?? '' };
    apps.registration = await startInProcess(
      RegistrationModule,
      (app) => {
        configureRegistrationApp(app);
        collectRoutes(routes.registration)(app);
      },
      env,
    );
    await apps.registration.listen(REGISTRATION_BESIDE_PORT, '127.0.0.1');
    apps.badges = await startInProcess(
      BadgesModule,
      (app) => {
        configureBadgesApp(app);
        collectRoutes(routes.badges)(app);
      },
      env,
    );
    apps.checkin = await startInProcess(CheckinModule, collectRoutes(routes.checkin), env);
    await apps.checkin.listen(0, '127.0.0.1');
    urls.checkin = await apps.checkin.getUrl();

    for (const [key, gate] of [
      ['A', 'X'],
      ['B', 'Y'],
    ] as const) {
      const slug = uniqueSlug(`access-${key.toLowerCase()}`);
      await organiser('POST', '/api/events', {
        slug,
        name: `Event ${key}`,
        startsAt: '2030-10-24T06:00:00Z',
        endsAt: '2030-10-24T16:00:00Z',
        timezone: 'Europe/Berlin',
      });
      await organiser('POST', `/api/events/${slug}/sessions`, [
        {
          code: 'W01',
          title: 'Workshop',
          room: 'R1',
          startsAt: '2030-10-24T09:00:00Z',
          endsAt: '2030-10-24T10:00:00Z',
          capacity: 10,
          kind: 'workshop',
        },
      ]);
      const person = (firstName: string) =>
        organiser('POST', `/api/events/${slug}/attendees`, {
          firstName,
          lastName: 'Muster',
          email: `${firstName.toLowerCase()}@example.org`,
          category: 'attendee',
          sessions: ['W01'],
        }) as Promise<{ id: string }>;
      const { id: attendeeId } = await person('Erika');
      const { id: cancellableId } = await person('Max');
      await waitFor(`the badge in event ${key}`, async () => {
        const badge = await apps.badges.inject({
          url: `/api/events/${slug}/attendees/${attendeeId}/badge`,
          headers: unlimited,
        });
        return badge.statusCode === 200 && badge.json().status === 'issued';
      });
      const job = await apps.badges.inject({
        method: 'POST',
        url: `/api/events/${slug}/print-jobs`,
        headers: unlimited,
        payload: { filter: { ids: [attendeeId] }, layout: 'a6' },
      });
      expect(job.statusCode).toBe(202);
      await waitFor(`check-in to know event ${key}`, async () => {
        const attendance = await apps.checkin.inject({
          url: `/api/events/${slug}/attendance`,
          headers: unlimited,
        });
        return attendance.statusCode === 200 && attendance.json().registered === 2;
      });
      // An admission, so that the event has a certificate job to reach by id.
      const badge = await apps.badges.inject({
        url: `/api/events/${slug}/attendees/${attendeeId}/badge`,
        headers: unlimited,
      });
      await waitFor(`the admission in event ${key}`, async () => {
        const scan = await apps.checkin.inject({
          method: 'POST',
          url: `/api/events/${slug}/scan`,
          headers: unlimited,
          payload: { qr: badge.json().qr, gate },
        });
        return ['admitted', 'already_admitted'].includes(scan.json().result);
      });
      const certificateJob = await waitFor(`a certificate job in event ${key}`, async () => {
        const created = await apps.badges.inject({
          method: 'POST',
          url: `/api/events/${slug}/certificate-jobs`,
          headers: unlimited,
          payload: {},
        });
        return created.statusCode === 202 ? (created.json().id as string) : undefined;
      });
      events[key] = {
        key,
        slug,
        gate,
        attendeeId,
        cancellableId,
        printJobId: job.json().id,
        certificateJobId: certificateJob,
        victimToken: async () => (await makeToken({ role: 'door', events: [slug] })).id,
      };
    }
    tokens.none = undefined;
    tokens.unlimited = TEST_ORGANISER_TOKEN;
    tokens.doorA = (await makeToken({ role: 'door', events: [events.A.slug], gates: ['X'] })).token;
    tokens.doorB = (await makeToken({ role: 'door', events: [events.B.slug], gates: ['Y'] })).token;
    tokens.deskA = (await makeToken({ role: 'desk', events: [events.A.slug], gates: ['X'] })).token;
    tokens.deskB = (await makeToken({ role: 'desk', events: [events.B.slug], gates: ['Y'] })).token;
    tokens.organiserA = (await makeToken({ role: 'organiser', events: [events.A.slug] })).token;
    tokens.organiserB = (await makeToken({ role: 'organiser', events: [events.B.slug] })).token;
    // Event A lets devices print; once badges has heard so, door tokens of A may print there.
    const printing = await apps.checkin.inject({
      method: 'PUT',
      url: `/api/events/${events.A.slug}/door-settings`,
      headers: unlimited,
      payload: { devicesMayPrint: true },
    });
    expect(printing.statusCode).toBe(200);
    // Heard: door A's PDF request is refused only for not having re-issued that badge itself.
    await waitFor('badges to hear that event A lets devices print', async () => {
      const pdf = await apps.badges.inject({
        url: `/api/events/${events.A.slug}/attendees/${events.A.attendeeId}/badge.pdf`,
        headers: { authorization: `Bearer ${tokens.doorA}` },
      });
      return pdf.statusCode === 403 && !pdf.body.includes('devicesMayPrint');
    });
    const revoked = await makeToken({ role: 'organiser', events: [events.A.slug] });
    await organiser('DELETE', `/api/tokens/${revoked.id}`);
    tokens.revoked = revoked.token;
  }, 120_000);

  afterAll(async () => {
    for (const service of ['checkin', 'badges', 'registration'] as const) {
      await apps[service]?.close();
    }
  }, 60_000);

  it('has a rule for every route the services register, and no rule for a route gone', () => {
    for (const service of Object.keys(RULES) as Service[]) {
      const registered = [...new Set(routes[service])].sort();
      expect({ service, routes: registered }).toEqual({
        service,
        routes: Object.keys(RULES[service]).sort(),
      });
    }
  });

  const cases = (Object.keys(RULES) as Service[]).flatMap((service) =>
    Object.entries(RULES[service]).map(([route, r]) => ({ service, route, rule: r })),
  );

  it.each(cases)('$service $route', async ({ service, route, rule: r }) => {
    const method = route.split(' ')[0];
    const wrong: string[] = [];
    for (const eventKey of ['A', 'B'] as const) {
      for (const kind of TOKEN_KINDS) {
        const probe = await r.request(events[eventKey]);
        const status = await call(service, method, probe, tokens[kind], r.stream);
        const mayUse = allowed(r.who, kind, eventKey);
        let ok: boolean;
        if (mayUse) ok = ![401, 403, 429].includes(status) && !(r.byId && status === 404);
        else if (kind === 'none' || kind === 'revoked') ok = status === 401;
        // A limited organiser's role fits; its events decide (403, or 404 for a resource by id).
        else ok = status === (r.byId && !roleRefused(r.who, kind) ? 404 : 403);
        // whatever the token, never an internal error (a public route included)
        if (status === 500) ok = false;
        if (!ok) {
          wrong.push(
            `${kind} on event ${eventKey}: ${status} (${mayUse ? 'should be let in' : 'should be refused'})`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('finds no resource of event B under the slug of event A', async () => {
    const crossed = (Object.keys(RULES) as Service[]).flatMap((service) =>
      Object.entries(RULES[service])
        .filter(([route]) => route.includes(':slug/') && /:(id|attendeeId)\b/.test(route))
        .map(([route]) => ({ service, route })),
    );
    expect(crossed.length).toBeGreaterThanOrEqual(8);
    const wrong: string[] = [];
    for (const { service, route } of crossed) {
      const [method, path] = route.split(' ');
      const url = path
        .replace(':slug', events.A.slug)
        .replace(/:(id|attendeeId)\b/, events.B.attendeeId)
        .replace(':code', 'W01');
      const response = await apps[service].inject({
        method: method as 'GET',
        url,
        headers: unlimited,
        payload: method === 'GET' || method === 'DELETE' ? undefined : { gate: 'X' },
      });
      const { statusCode: status, body } = response;
      // 404 (or 400, 409): never an answer about B's attendee. A badge badges does not know in
      // the event answers `pending`, as before it is issued: 200 without a QR code.
      if (status < 300 && !(status === 200 && body.includes('"qr":null'))) {
        wrong.push(`${route}: ${status} ${body.slice(0, 80)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
