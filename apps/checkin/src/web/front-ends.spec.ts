import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startInProcess } from '@einlass/testing';
import { CheckinModule } from '../checkin.module';

/** How check-in serves the built front-ends (dist/web, npm run build): strict headers, every file
 * revalidated, nothing outside the built folder. */
describe('front-ends: the built pages with their headers', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
  });

  afterAll(() => app.close());

  const get = (url: string) => app.inject({ method: 'GET', url });

  it.each([
    ['/scan', 'text/html', 'camera=(self), microphone=()'],
    ['/scan/app.js', 'javascript', 'camera=(self), microphone=()'],
    ['/scan/app.js.map', 'json', 'camera=(self), microphone=()'],
    ['/scan/app.css', 'text/css', 'camera=(self), microphone=()'],
    ['/dashboard', 'text/html', 'camera=(), microphone=()'],
    ['/dashboard/app.js', 'javascript', 'camera=(), microphone=()'],
    ['/dashboard/app.js.map', 'json', 'camera=(), microphone=()'],
    ['/dashboard/app.css', 'text/css', 'camera=(), microphone=()'],
  ])('%s: %s, revalidated, strict headers', async (url, type, permissions) => {
    const response = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain(type);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['permissions-policy']).toBe(permissions);
    expect(String(response.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('the scanner page may connect to this service only', async () => {
    const csp = String((await get('/scan')).headers['content-security-policy']);
    expect(csp).toContain("connect-src 'self';");
  });

  it('answers 304 to a browser that has the file already', async () => {
    const first = await get('/scan/app.js');
    const again = await app.inject({
      method: 'GET',
      url: '/scan/app.js',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('refuses files that are not there and paths that leave the built folder', async () => {
    expect((await get('/scan/nothing.js')).statusCode).toBe(404);
    expect((await get('/dashboard/nothing.css')).statusCode).toBe(404);
    for (const url of [
      '/scan/..%2f..%2f..%2fpackage.json',
      '/scan/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/dashboard/..%5c..%5c..%5cpackage.json',
      '/scan/../organiser-web/app.js',
    ]) {
      const response = await get(url);
      expect([url, response.statusCode >= 400]).toEqual([url, true]);
      expect(response.body).not.toContain('"name": "einlass"');
    }
  });
});
