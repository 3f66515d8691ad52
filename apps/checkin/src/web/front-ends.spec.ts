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
    ['/scan/sw.js', 'javascript', 'camera=(self), microphone=()'],
    ['/scan/manifest.webmanifest', 'manifest+json', 'camera=(self), microphone=()'],
    ['/scan/icon-192.png', 'image/png', 'camera=(self), microphone=()'],
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

  it("lets the scanner's service worker control the page at /scan, revalidated every time", async () => {
    const worker = await get('/scan/sw.js');
    expect(worker.headers['service-worker-allowed']).toBe('/scan');
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect(worker.body).toMatch(/einlass-scan-[0-9a-f]{16}/);
    // only the worker widens its scope
    expect((await get('/scan/app.js')).headers['service-worker-allowed']).toBeUndefined();
    const page = await get('/scan');
    expect(page.body).toContain('href="/scan/manifest.webmanifest"');
  });

  it('describes the scanner as an installable app: standalone, portrait, icons in several sizes', async () => {
    const manifest = (await get('/scan/manifest.webmanifest')).json<{
      display: string;
      orientation: string;
      start_url: string;
      scope: string;
      theme_color: string;
      icons: { src: string; sizes: string }[];
    }>();
    expect(manifest).toMatchObject({
      display: 'standalone',
      orientation: 'portrait',
      start_url: '/scan',
      scope: '/scan',
      theme_color: '#111827',
    });
    expect(new Set(manifest.icons.map((icon) => icon.sizes))).toEqual(
      new Set(['192x192', '512x512']),
    );
    for (const icon of manifest.icons) {
      const png = await get(icon.src);
      expect(png.statusCode).toBe(200);
      // a PNG of the size it claims (the width and height in its header)
      const [width] = icon.sizes.split('x').map(Number);
      expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
      expect(png.rawPayload.readUInt32BE(16)).toBe(width);
      expect(png.rawPayload.readUInt32BE(20)).toBe(width);
    }
  });

  it('the scanner page may connect to this service, and to badges to print a badge', async () => {
    const csp = String((await get('/scan')).headers['content-security-policy']);
    // inject's host is localhost:80; badges is on the same host at its own port
    expect(csp).toMatch(/connect-src 'self' http:\/\/localhost:\d+;/);
    expect(csp).toContain("frame-src 'self' blob:");
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
