import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  httpsRequest,
  ServiceProcesses,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

const CADDYFILE = join(__dirname, '..', 'docker', 'Caddyfile');

/**
 * docker/Caddyfile, the compose file's reverse proxy, run with Debian's caddy in front of the three
 * services as processes: one host name over HTTPS (Caddy's own local authority for localhost),
 * /registration and /badges to those services, everything else to check-in, and the pages told
 * where the browser reaches each service.
 */
describe('the reverse proxy in front of the three services', () => {
  const dir = mkdtempSync(join(tmpdir(), 'einlass-caddy-'));
  let services: ServiceProcesses;
  let caddy: ChildProcess;
  let site = '';
  let ca: Buffer;
  const caddyLog: string[] = [];

  const call = async (path: string, method = 'GET', body?: unknown) => {
    const response = await httpsRequest(`${site}${path}`, ca, {
      method,
      headers: {
        authorization: `Bearer ${TEST_ORGANISER_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let parsed: any = response.body;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      // a page or a file
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };

  beforeAll(async () => {
    const httpsPort = await freePort();
    const httpPort = await freePort();
    site = `https://localhost:${httpsPort}`;
    services = new ServiceProcesses(5781, {
      REGISTRATION_PUBLIC_URL: `${site}/registration`,
      BADGES_PUBLIC_URL: `${site}/badges`,
    });
    await services.startAll();
    caddy = spawn('caddy', ['run', '--config', CADDYFILE, '--adapter', 'caddyfile'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        XDG_DATA_HOME: join(dir, 'data'),
        XDG_CONFIG_HOME: join(dir, 'config'),
        EINLASS_SITE: site,
        CADDY_HTTP_PORT: String(httpPort),
        CADDY_HTTPS_PORT: String(httpsPort),
        REGISTRATION_UPSTREAM: `127.0.0.1:${services.ports.registration}`,
        BADGES_UPSTREAM: `127.0.0.1:${services.ports.badges}`,
        CHECKIN_UPSTREAM: `127.0.0.1:${services.ports.checkin}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    caddy.stderr?.on('data', (chunk: Buffer) => caddyLog.push(chunk.toString()));
    const root = join(dir, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt');
    await waitFor(
      'caddy to serve the site',
      async () => {
        if (caddy.exitCode !== null) throw new Error(`caddy exited:\n${caddyLog.join('')}`);
        if (!existsSync(root)) return false;
        ca = readFileSync(root);
        const health = await httpsRequest(`${site}/health`, ca).catch(() => undefined);
        return health?.status === 200;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }, 120_000);

  afterAll(async () => {
    caddy?.kill('SIGTERM');
    await services?.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('routes /registration and /badges to those services and the rest to check-in', async () => {
    const slug = uniqueSlug('proxy');
    expect((await call('/registration/api/events', 'POST', { ...SAMPLE_EVENT, slug })).status).toBe(
      201,
    );
    const person = await call(`/registration/api/events/${slug}/attendees`, 'POST', {
      firstName: 'Zoë',
      lastName: 'Ørsted',
      category: 'speaker',
    });
    expect(person.status).toBe(201);
    const badge = await waitFor('the badge, through the proxy', async () => {
      const response = await call(`/badges/api/events/${slug}/attendees/${person.body.id}/badge`);
      return response.body?.status === 'issued' ? response.body : undefined;
    });
    const scanned = await waitFor('check-in to admit the badge, through the proxy', async () => {
      const response = await call(`/api/events/${slug}/scan`, 'POST', {
        qr: badge.qr,
        gate: 'Nord',
      });
      return response.body?.result === 'admitted' ? response.body : undefined;
    });
    expect(scanned.attendee.name).toBe('Zoë Ørsted');
  }, 60_000);

  it('serves the pages on the one host name and tells them where the services are', async () => {
    const scanner = await call('/scan');
    expect(scanner.status).toBe(200);
    expect(String(scanner.headers['content-type'])).toContain('text/html');
    const dashboard = await call('/dashboard');
    expect(dashboard.status).toBe(200);
    const config = await call('/dashboard/config.json');
    expect(config.body.services).toEqual({
      registration: `${site}/registration`,
      badges: `${site}/badges`,
      checkin: site,
    });
    // and the page's content security policy lets it call them there
    expect(String(dashboard.headers['content-security-policy'])).toContain(site);
  });
});
