import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, startInProcess, TEST_ORGANISER_TOKEN } from '@einlass/testing';
import { DoorFixture } from '../../test/door-fixture';
import { CheckinModule } from '../checkin.module';

/** What the organisers' pages need from the checkin service before any data: the page, where the
 * other services are, who a token belongs to, and cross-origin calls to them. */
describe('organisers pages: delivery, sign-in check and CORS', () => {
  let app: NestFastifyApplication;
  let door: DoorFixture;

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
    door = await new DoorFixture(app.get(DataSource)).create();
  });

  afterAll(() => app.close());

  it('serves the page without a token, allowing calls only to the three services', async () => {
    const page = await app.inject({
      method: 'GET',
      url: '/dashboard',
      headers: { host: 'einlass.local:3003' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/dashboard/app.js');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(
      /connect-src 'self' http:\/\/einlass\.local:\d+ http:\/\/einlass\.local:\d+/,
    );
    const script = await app.inject({ method: 'GET', url: '/dashboard/app.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
  });

  it('tells the page where the services are: the host it was loaded from, with their ports', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/dashboard/config.json',
      headers: { host: 'einlass.local:3003' },
    });
    expect(response.statusCode).toBe(200);
    const { services } = response.json();
    expect(services.checkin).toBe('http://einlass.local:3003');
    expect(services.registration).toMatch(/^http:\/\/einlass\.local:\d+$/);
    expect(services.badges).toMatch(/^http:\/\/einlass\.local:\d+$/);
  });

  it('says who a token belongs to, so the page can refuse door tokens at sign-in', async () => {
    const organiser = await app.inject({
      method: 'GET',
      url: '/api/me',
      headers: bearer(TEST_ORGANISER_TOKEN),
    });
    expect(organiser.json()).toMatchObject({ role: 'organiser' });
    const doorToken = await door.token('door', { gates: ['Nord'] });
    const doorMe = await app.inject({ method: 'GET', url: '/api/me', headers: bearer(doorToken) });
    expect(doorMe.json()).toEqual({
      id: expect.any(String),
      role: 'door',
      label: expect.any(String),
      gates: ['Nord'],
      events: [],
      expiresAt: null,
    });
    const none = await app.inject({ method: 'GET', url: '/api/me' });
    expect(none.statusCode).toBe(401);
    const wrong = await app.inject({
      method: 'GET',
      url: '/api/me',
      headers: bearer('not-a-token-at-all'),
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('answers cross-origin calls from the pages, without credentials', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: `/api/events/${door.slug}/attendance`,
      headers: {
        origin: 'http://einlass.local:3003',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://einlass.local:3003');
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/authorization/i);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const call = await app.inject({
      method: 'GET',
      url: `/api/events/${door.slug}/attendance`,
      headers: { origin: 'http://einlass.local:3003', ...bearer(TEST_ORGANISER_TOKEN) },
    });
    expect(call.statusCode).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBe('http://einlass.local:3003');
  });
});
