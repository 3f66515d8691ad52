import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadgesModule, configureBadgesApp } from '../apps/badges/testing';
import { CheckinModule } from '../apps/checkin/testing';
import { configureRegistrationApp, RegistrationModule } from '../apps/registration/testing';
import Ajv from 'ajv';
import type { Browser } from 'playwright-core';
import {
  collectRoutes,
  launchChromium,
  screenshots,
  ServiceProcesses,
  startInProcess,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
  type ServiceName,
} from '@einlass/testing';

const ROOT = join(__dirname, '..');

interface Operation {
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
  security?: unknown[];
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

/** The files of the document's page (Swagger UI's script and styles): the page's, not the API's. */
const isDocumentPageFile = (path: string) => path.startsWith('/api/docs/');

/** A route's path with its parameters unnamed: `/a/:id` (Fastify), `/a/{id}` (OpenAPI), `/a/*`. */
const shape = (path: string) =>
  path
    .replace(/:\w+/g, '{}')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\*/g, '{}');

/** A schema of the document with its references pointing into the document added as `openapi`. */
const withRefsInto = (schema: object): object =>
  JSON.parse(
    JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/'),
  ) as object;

/**
 * The schemas with every object closed (no property beyond those named), so that an answer with a
 * field the document does not name fails too. The parts of an `allOf` stay open (they add up).
 */
function closed<T>(schema: T, inAllOf = false): T {
  if (Array.isArray(schema)) return schema.map((item: unknown) => closed(item, inAllOf)) as T;
  if (typeof schema !== 'object' || schema === null) return schema;
  const result = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, closed(value, key === 'allOf')]),
  );
  if ('properties' in result && !('additionalProperties' in result) && !inAllOf) {
    result.additionalProperties = false;
  }
  return result as T;
}

/** "METHOD /path" of every operation in a document, parameters unnamed. */
const operationsOf = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => ['get', 'put', 'post', 'delete', 'patch'].includes(key))
      .map((method) => `${method.toUpperCase()} ${shape(path)}`),
  );

describe('the API document of each service', () => {
  const apps = {} as Record<ServiceName, NestFastifyApplication>;
  const routes: Record<ServiceName, string[]> = { registration: [], badges: [], checkin: [] };

  beforeAll(async () => {
    apps.registration = await startInProcess(RegistrationModule, (app) => {
      configureRegistrationApp(app);
      collectRoutes(routes.registration)(app);
    });
    apps.badges = await startInProcess(BadgesModule, (app) => {
      configureBadgesApp(app);
      collectRoutes(routes.badges)(app);
    });
    apps.checkin = await startInProcess(CheckinModule, collectRoutes(routes.checkin));
  }, 120_000);

  afterAll(async () => {
    for (const service of ['checkin', 'badges', 'registration'] as const) {
      await apps[service]?.close();
    }
  }, 60_000);

  it.each(['registration', 'badges', 'checkin'] as const)(
    '%s: every route it registers is in its document, and the document names no other',
    async (service) => {
      const response = await apps[service].inject({ url: '/api/openapi.json' });
      expect(response.statusCode).toBe(200);
      const document = response.json<Document>();
      const registered = [
        ...new Set(
          routes[service]
            .filter((route) => !isDocumentPageFile(route.split(' ')[1]))
            .map((route) => {
              const [method, path] = route.split(' ');
              return `${method} ${shape(path)}`;
            }),
        ),
      ].sort();
      expect(registered.length).toBeGreaterThan(5);
      expect(operationsOf(document).sort()).toEqual(registered);
      expect(registered).toEqual(
        expect.arrayContaining(['GET /api/openapi.json', 'GET /api/docs']),
      );
    },
  );

  it('answers as the merged document says, route by route', async () => {
    const merged = JSON.parse(readFileSync(join(ROOT, 'docs/openapi.json'), 'utf8')) as Document;
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ $id: 'openapi', components: closed(merged.components) });
    const templates = Object.keys(merged.paths)
      .map((path) => ({
        path,
        params: (path.match(/\{/g) ?? []).length,
        pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      }))
      .sort((a, b) => a.params - b.params);
    const headers = { authorization: `Bearer ${TEST_ORGANISER_TOKEN}` };
    const wrong: string[] = [];
    let checked = 0;
    /** Calls a route and checks its answer against the document's schema for that status. */
    const call = async (
      service: ServiceName,
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      url: string,
      payload?: object | string,
      contentType?: string,
    ) => {
      const response = await apps[service].inject({
        method,
        url,
        headers: contentType ? { ...headers, 'content-type': contentType } : headers,
        payload,
      });
      const path = url.split('?')[0];
      const template = templates.find(({ pattern }) => pattern.test(path))?.path;
      const operation = template ? merged.paths[template][method.toLowerCase()] : undefined;
      const schema =
        operation?.responses?.[String(response.statusCode)]?.content?.['application/json']?.schema;
      if (response.statusCode >= 300 || !schema) {
        wrong.push(
          `${method} ${url}: ${response.statusCode}, schema ${schema ? 'found' : 'missing'}`,
        );
        return response.json<Record<string, unknown>>();
      }
      const validate = ajv.compile({ ...withRefsInto(schema) });
      checked += 1;
      if (!validate(response.json())) {
        wrong.push(`${method} ${template}: ${ajv.errorsText(validate.errors)}`);
      }
      return response.json<Record<string, unknown>>();
    };

    const slug = uniqueSlug('openapi');
    const ev = `/api/events/${slug}`;
    await call('registration', 'POST', '/api/events', {
      slug,
      name: 'Answers',
      venue: 'Hall',
      startsAt: '2030-10-24T06:00:00Z',
      endsAt: '2030-10-24T16:00:00Z',
      timezone: 'Europe/Berlin',
    });
    await call('registration', 'GET', '/api/events');
    await call('registration', 'GET', ev);
    await call('registration', 'POST', `${ev}/sessions`, [
      {
        code: 'W01',
        title: 'Workshop',
        room: 'R1',
        startsAt: '2030-10-24T09:00:00Z',
        endsAt: '2030-10-24T10:00:00Z',
        capacity: 1,
        kind: 'workshop',
      },
    ]);
    await call('registration', 'GET', `${ev}/sessions`);
    const person = (firstName: string, email?: string) =>
      call('registration', 'POST', `${ev}/attendees`, {
        firstName,
        lastName: 'Muster',
        ...(email ? { email } : {}),
        organisation: 'Stadt',
        category: 'attendee',
        sessions: ['W01'],
      });
    const { id } = (await person('Erika', 'erika@example.org')) as { id: string };
    const { id: maxId } = (await person('Max')) as { id: string };
    const { id: walkInId } = (await call('registration', 'POST', `${ev}/attendees`, {
      firstName: 'Jana',
      lastName: 'Walk-in',
      category: 'press',
    })) as { id: string };
    await call('registration', 'POST', `${ev}/sessions/W01/signups`, { attendeeId: walkInId });
    await call('registration', 'DELETE', `${ev}/sessions/W01/signups/${walkInId}`);
    await call(
      'registration',
      'POST',
      `${ev}/attendees/import`,
      'external_id,first_name,last_name,email,category\nX-1,Ada,Lovelace,ada@example.org,speaker\nX-2,,,bad,nobody\n',
      'text/csv',
    );
    await call('registration', 'PATCH', ev, { erasePersonalDataAt: '2031-01-01T00:00:00Z' });
    await call('registration', 'GET', '/api/me');
    await call('registration', 'GET', `${ev}/attendees?q=muster`);
    await call('registration', 'GET', `${ev}/attendees/${id}`);
    await call('registration', 'PATCH', `${ev}/attendees/${id}`, { title: 'Dr.' });
    await call('registration', 'GET', `${ev}/sessions/W01/signups`);
    const issued = (await call('registration', 'POST', '/api/tokens', {
      role: 'door',
      label: 'door 1',
      events: [slug],
    })) as { id: string };
    await call('registration', 'GET', '/api/tokens');
    await call('registration', 'DELETE', `/api/tokens/${issued.id}`);
    await call('registration', 'GET', `${ev}/audit`);
    await call('registration', 'GET', `${ev}/pipeline`);

    let qr = '';
    await waitFor('the badge', async () => {
      const badge = await apps.badges.inject({
        url: `${ev}/attendees/${id}/badge`,
        headers,
      });
      qr = badge.json<{ qr: string | null }>().qr ?? '';
      return qr !== '';
    });
    await call('badges', 'GET', `${ev}/attendees/${id}/badge`);
    await call('badges', 'PUT', `${ev}/branding`, { labels: 'de' });
    await call('badges', 'GET', `${ev}/branding`);
    const job = (await call('badges', 'POST', `${ev}/print-jobs`, {
      filter: { ids: [id] },
    })) as { id: string };
    await call('badges', 'GET', `/api/print-jobs/${job.id}`);
    await call('badges', 'GET', `${ev}/print-jobs`);

    await waitFor('check-in to know all four', async () => {
      const attendance = await apps.checkin.inject({ url: `${ev}/attendance`, headers });
      return attendance.statusCode === 200 && attendance.json().registered === 4;
    });
    await call('checkin', 'POST', `${ev}/scan`, { qr, gate: 'Nord' });
    await call('checkin', 'POST', `${ev}/scans`, [{ qr, gate: 'Nord', nonce: 'n-1' }]);
    await call('checkin', 'GET', `${ev}/scan-snapshot`);
    await call('checkin', 'GET', `${ev}/checkins`);
    await call('checkin', 'GET', `${ev}/attendance`);
    await call('checkin', 'GET', `${ev}/attendance/forecast`);
    await call('checkin', 'GET', `${ev}/attendance/not-arrived`);
    await call('checkin', 'PUT', `${ev}/door-settings`, { gates: ['Nord'] });
    await call('checkin', 'GET', `${ev}/door-settings`);
    await call('checkin', 'GET', `${ev}/door-lookup?q=muster`);
    await call('checkin', 'GET', '/dashboard/config.json');
    await call('checkin', 'GET', '/api/me');
    await call('checkin', 'POST', `${ev}/attendees/${maxId}/checkin`, { gate: 'Nord' });
    await call('checkin', 'GET', `${ev}/attendees/${id}/personal-data`);
    await call('checkin', 'GET', `${ev}/pipeline`);
    await call('badges', 'GET', `${ev}/attendees/${id}/personal-data`);
    await call('badges', 'POST', `${ev}/attendees/${id}/badge/reissue`);
    await call('badges', 'DELETE', `${ev}/branding/logo`);
    await call('badges', 'GET', `${ev}/pipeline`);
    for (const service of ['registration', 'badges', 'checkin'] as const) {
      await call(service, 'GET', '/health');
    }
    await call('registration', 'POST', `${ev}/attendees/${id}/cancel`);
    await call('registration', 'DELETE', `${ev}/attendees/${maxId}`);

    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(45);
  }, 60_000);

  it.each(['registration', 'badges', 'checkin'] as const)(
    '%s: every operation says who may call it, public ones without the bearer scheme',
    async (service) => {
      const document = (await apps[service].inject({ url: '/api/openapi.json' })).json<{
        paths: Record<string, Record<string, { description?: string; security?: unknown[] }>>;
      }>();
      const unsaid: string[] = [];
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          const said = operation.description ?? '';
          const isPublic = said.startsWith('Public:');
          if (!isPublic && !said.startsWith('Roles:')) unsaid.push(`${method} ${path}`);
          if (isPublic !== (operation.security?.length === 0))
            unsaid.push(`${method} ${path} security`);
        }
      }
      expect(unsaid).toEqual([]);
    },
  );

  it('names the bearer scheme, and leaves it off public routes only', async () => {
    const document = (await apps.checkin.inject({ url: '/api/openapi.json' })).json<Document>();
    expect(document.components?.securitySchemes?.bearer).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    expect(document.paths['/health'].get.security).toEqual([]);
    expect(document.paths['/scan'].get.security).toEqual([]);
    expect(document.paths['/api/openapi.json'].get.security).toEqual([]);
    expect(document.paths['/api/docs'].get.security).toEqual([]);
    expect(document.paths['/api/events/{slug}/scan'].post.security).toBeUndefined();
  });
});

describe('the merged document, docs/openapi.json', () => {
  it('is what the built services describe (else: npm run openapi)', () => {
    const check = spawnSync(process.execPath, [join(ROOT, 'scripts/openapi.mjs'), '--check'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  });
});

/**
 * The endpoints docs/API.md names: `METHOD /path` in backticks, anywhere. A path written `…/rest`
 * continues the path before it at the segment `rest` starts with (`…/branding/logo` after
 * `/api/events/:slug/branding`), else the event's (`/api/events/:slug`). Without a method it
 * follows an endpoint of the same item with that method: `…/exports/checkins.csv` beside
 * `GET …/exports/attendance.csv`, and a single segment is a sibling (`…/badge.pdf` beside
 * `GET …/attendees/:id/badge`). An endpoint takes a body where its line shows one before the `→`:
 * `{…}`, `[…]` or "body"; its success status is the 2xx after the `→`, where the line names one.
 */
function endpointsOfApiMd(): { endpoint: string; takesBody: boolean; status?: string }[] {
  const text = readFileSync(join(ROOT, 'docs/API.md'), 'utf8');
  const found = new Map<string, { endpoint: string; takesBody: boolean; status?: string }>();
  let previous = '/api/events/:slug';
  let lineMethod: string | undefined;
  for (const line of text.split('\n')) {
    if (!/^\s+\S/.test(line)) lineMethod = undefined; // a new item: a line not continuing one
    const pattern = /`(?:(GET|POST|PUT|PATCH|DELETE) )?((?:\/|…\/)[^`\s?]*)[^`]*`/g;
    for (const match of line.matchAll(pattern)) {
      const [whole, named, written] = match;
      const method = named ?? (written.startsWith('…/') ? lineMethod : undefined);
      if (!method) continue;
      lineMethod = method;
      let path = written;
      if (written.startsWith('…/')) {
        const rest = written.slice(2);
        const segments = previous.split('/');
        const at = segments.indexOf(rest.split('/')[0]);
        let base = '/api/events/:slug';
        if (at > 0) base = segments.slice(0, at).join('/');
        else if (!named && !rest.includes('/')) base = segments.slice(0, -1).join('/');
        path = `${base}/${rest}`;
      }
      previous = path;
      const after = line.slice(match.index + whole.length).split('→');
      const shown =
        whole.slice(whole.indexOf(written) + written.length) + (after.length > 1 ? after[0] : '');
      const takesBody = method !== 'GET' && method !== 'DELETE' && /[{[]|\bbody\b/.test(shown);
      const status = after.length > 1 ? /^\s*(2\d\d)\b/.exec(after[1])?.[1] : undefined;
      const endpoint = `${method} ${path}`;
      const known = found.get(endpoint);
      found.set(endpoint, {
        endpoint,
        takesBody: takesBody || (known?.takesBody ?? false),
        status: known?.status ?? status,
      });
    }
  }
  return [...found.values()];
}

describe('docs/API.md in the merged document', () => {
  const merged = JSON.parse(readFileSync(join(ROOT, 'docs/openapi.json'), 'utf8')) as Document;
  const byShape = new Map(Object.entries(merged.paths).map(([path, item]) => [shape(path), item]));
  const endpoints = endpointsOfApiMd();

  it('finds the endpoints of docs/API.md', () => {
    expect(endpoints.length).toBeGreaterThan(40);
    expect(endpoints).toContainEqual({
      endpoint: 'POST /api/events/:slug/scan',
      takesBody: true,
      status: '200',
    });
  });

  it('resolves every schema it refers to', () => {
    const text = JSON.stringify(merged);
    const referred = [
      ...new Set([...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1])),
    ];
    expect(referred.length).toBeGreaterThan(20);
    const schemas = (merged as { components?: { schemas?: object } }).components?.schemas ?? {};
    expect(referred.filter((name) => !(name in schemas))).toEqual([]);
  });

  it.each(endpoints)('$endpoint', ({ endpoint, takesBody, status }) => {
    const [method, path] = endpoint.split(' ');
    // A file named in API.md (GET /scan/sw.js) is served by its page's file route (/scan/{file}).
    const item =
      byShape.get(shape(path)) ??
      Object.entries(merged.paths).find(([template]) =>
        new RegExp(`^${template.replace(/\{[^}]*\}/g, '[^/]+')}$`).test(path),
      )?.[1];
    const operation = item?.[method.toLowerCase()];
    expect({ endpoint, inDocument: operation !== undefined }).toEqual({
      endpoint,
      inDocument: true,
    });
    const problems: string[] = [];
    if (takesBody) {
      const bodies = Object.values(operation?.requestBody?.content ?? {});
      if (!bodies.some((body) => body.schema)) problems.push('no request body schema');
    }
    const successes = Object.entries(operation?.responses ?? {}).filter(([code]) =>
      /^2\d\d$/.test(code),
    );
    const success = status ? successes.filter(([code]) => code === status) : successes;
    if (success.length === 0) problems.push(`no ${status ?? '2xx'} answer`);
    if (!success.some(([, answer]) => Object.values(answer.content ?? {}).some((c) => c.schema))) {
      problems.push(`no schema for its ${status ?? '2xx'} answer`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the API document on a running service', () => {
  const services = new ServiceProcesses(5851);
  const shot = screenshots('api-document');
  let browser: Browser;

  beforeAll(async () => {
    await services.startAll();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await services.stopAll();
  }, 60_000);

  it('shows every operation of check-in on its page, readable in a browser', async () => {
    const document = (await (
      await fetch(`${services.url('checkin')}/api/openapi.json`)
    ).json()) as Document;
    const page = await browser.newPage();
    await page.goto(`${services.url('checkin')}/api/docs`);
    const operations = page.locator('.opblock-summary');
    await operations.first().waitFor({ timeout: 15_000 });
    await shot(page, 'checkin-docs', true);
    expect(await operations.count()).toBe(operationsOf(document).length);
    await expect(page.locator('.opblock-summary-path').allInnerTexts()).resolves.toContain(
      '/api/events/{slug}/scan',
    );
    await page.close();
  }, 60_000);

  it.each(['registration', 'badges', 'checkin'] as const)(
    '%s answers /api/openapi.json and /api/docs without a token',
    async (service) => {
      const json = await fetch(`${services.url(service)}/api/openapi.json`);
      expect(json.status).toBe(200);
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      const document = (await json.json()) as Document & { info: { title: string } };
      expect(document.openapi).toMatch(/^3\./);
      expect(document.info.title).toBe(`Einlass ${service}`);

      const page = await fetch(`${services.url(service)}/api/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('swagger-ui');
      // the page's script and stylesheet, as the browser fetches them (relative to /api/docs)
      for (const file of html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)) {
        const asset = await fetch(new URL(`./${file[1]}`, `${services.url(service)}/api/docs`));
        expect({ file: file[1], status: asset.status }).toEqual({ file: file[1], status: 200 });
      }
    },
  );
});
