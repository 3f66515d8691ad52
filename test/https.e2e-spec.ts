import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import {
  decodeQrCodesInPng,
  qrPicture,
  signInToOrganiserPages,
  httpsRequest,
  screenshots,
  ServiceProcesses,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
  signInToScanner,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

const ROOT = join(__dirname, '..');

/** This machine's first address a phone on the network would use (not loopback). */
function lanAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  throw new Error('this machine has no network address other than loopback');
}

/**
 * The three services over HTTPS, as `npm run up -- --https` runs them: a local certificate
 * authority and a certificate for this machine's addresses made by scripts/tls.sh, the services
 * calling each other over HTTPS, and the scanner page in Chromium at the machine's network address
 * (not localhost), where only HTTPS gives the page its camera and its offline signature check.
 */
describe('HTTPS for phones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'einlass-tls-'));
  const address = lanAddress();
  let ca: Buffer;
  let services: ServiceProcesses;
  let browser: Browser | undefined;
  const slug = uniqueSlug('https');
  const shot = screenshots('https');
  let doorToken = '';
  /** A second person's badge, not scanned yet: the page admits it offline. */
  let laterQr = '';

  const call = async (
    url: string,
    method = 'GET',
    body?: unknown,
    token = TEST_ORGANISER_TOKEN,
  ): Promise<{ status: number; body: any }> => {
    const response = await httpsRequest(url, ca, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let parsed: unknown = response.body;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, body: parsed };
  };

  beforeAll(async () => {
    execFileSync('bash', [join(ROOT, 'scripts', 'tls.sh'), dir, address], { stdio: 'pipe' });
    ca = readFileSync(join(dir, 'ca.crt'));
    services = new ServiceProcesses(5751, {
      TLS_CERT_FILE: join(dir, 'server.crt'),
      TLS_KEY_FILE: join(dir, 'server.key'),
      TLS_CA_FILE: join(dir, 'ca.crt'),
      // the services call each other over HTTPS and trust the local authority, as `up` sets it
      NODE_EXTRA_CA_CERTS: join(dir, 'ca.crt'),
      HOST: '0.0.0.0',
    });
    await services.startAll();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await services?.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('makes a certificate for localhost and the network address, signed by the local authority', () => {
    const certificate = new X509Certificate(readFileSync(join(dir, 'server.crt')));
    expect(certificate.subjectAltName).toContain(`IP Address:${address}`);
    expect(certificate.subjectAltName).toContain('DNS:localhost');
    expect(certificate.verify(new X509Certificate(ca).publicKey)).toBe(true);
    // Run again, it reuses both: phones that trust the authority keep trusting it.
    const before = readFileSync(join(dir, 'server.crt'), 'utf8');
    execFileSync('bash', [join(ROOT, 'scripts', 'tls.sh'), dir, address], { stdio: 'pipe' });
    expect(readFileSync(join(dir, 'server.crt'), 'utf8')).toBe(before);
    expect(readFileSync(join(dir, 'ca.crt'))).toEqual(ca);
  });

  it('serves every service over HTTPS only, and the authority for phones to download', async () => {
    for (const name of ['registration', 'badges', 'checkin'] as const) {
      expect((await call(`${services.url(name)}/health`)).status).toBe(200);
      // plain HTTP on the same port gets no answer a browser would take
      const plain = await fetch(services.url(name).replace('https:', 'http:') + '/health').catch(
        () => undefined,
      );
      expect(plain?.status ?? 0).not.toBe(200);
    }
    const download = await httpsRequest(`${services.url('checkin')}/einlass-ca.crt`, ca);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/x-x509-ca-cert');
    expect(download.body).toBe(ca.toString('utf8'));
  });

  it('registers, issues a badge and admits it with the services talking over HTTPS', async () => {
    const registration = services.url('registration');
    const checkin = services.url('checkin');
    expect(
      (await call(`${registration}/api/events`, 'POST', { ...SAMPLE_EVENT, slug })).status,
    ).toBe(201);
    const person = await call(`${registration}/api/events/${slug}/attendees`, 'POST', {
      firstName: 'Grażyna',
      lastName: 'Łęcka',
      category: 'attendee',
    });
    expect(person.status).toBe(201);
    const badge = await waitFor('the badge, issued over the queue', async () => {
      const response = await call(
        `${services.url('badges')}/api/events/${slug}/attendees/${person.body.id}/badge`,
      );
      return response.body?.status === 'issued' ? response.body : undefined;
    });
    // A door token check-in has not heard of yet: check-in asks registration, over HTTPS.
    const token = await call(`${registration}/api/tokens`, 'POST', {
      role: 'door',
      label: 'Phone Nord',
      events: [slug],
    });
    expect(token.status).toBe(201);
    const scanned = await waitFor('check-in to know the badge', async () => {
      const response = await call(
        `${checkin}/api/events/${slug}/scan`,
        'POST',
        { qr: badge.qr, gate: 'Nord' },
        token.body.token,
      );
      return response.status === 200 && response.body.result !== 'invalid'
        ? response.body
        : undefined;
    });
    expect(scanned).toMatchObject({ result: 'admitted', attendee: { name: 'Grażyna Łęcka' } });
    // Registration gathers a person's data from badges and check-in, over HTTPS.
    const document = await call(
      `${registration}/api/events/${slug}/attendees/${person.body.id}/personal-data`,
    );
    expect(document.status).toBe(200);
    expect(JSON.stringify(document.body.checkin)).toContain('Nord');

    doorToken = token.body.token;
    const later = await call(`${registration}/api/events/${slug}/attendees`, 'POST', {
      firstName: 'Ömer',
      lastName: 'Çelik',
      category: 'press',
    });
    laterQr = (
      await waitFor('the second badge', async () => {
        const response = await call(
          `${services.url('badges')}/api/events/${slug}/attendees/${later.body.id}/badge`,
        );
        return response.body?.status === 'issued' ? response.body : undefined;
      })
    ).qr;
    await waitFor('check-in to know the second badge', async () => {
      const snapshot = await call(
        `${checkin}/api/events/${slug}/scan-snapshot`,
        'GET',
        undefined,
        doorToken,
      );
      return snapshot.status === 200 && snapshot.body.badges[later.body.id]?.version === 1;
    });
  }, 60_000);

  it('gives the scanner page at the network address its camera and its offline check', async () => {
    // Chromium trusts this server's key as a phone trusts the installed authority.
    const spki = createHash('sha256')
      .update(
        new X509Certificate(readFileSync(join(dir, 'server.crt'))).publicKey.export({
          type: 'spki',
          format: 'der',
        }),
      )
      .digest('base64');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        `--ignore-certificate-errors-spki-list=${spki}`,
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.grantPermissions(['camera'], {
      origin: `https://${address}:${services.ports.checkin}`,
    });
    const page: Page = await context.newPage();
    const url = `https://${address}:${services.ports.checkin}/scan`;
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    // (the browser's own code, as text: this file is compiled without the DOM's types)
    const secure = await page.evaluate(`(async () => {
      const stream = await navigator.mediaDevices
        .getUserMedia({ video: true })
        .catch((error) => error.name);
      return {
        isSecureContext: window.isSecureContext,
        webCrypto: typeof crypto.subtle?.verify === 'function',
        camera: typeof stream === 'string' ? stream : stream.getVideoTracks().length,
      };
    })()`);
    expect(secure).toEqual({ isSecureContext: true, webCrypto: true, camera: 1 });
    await page.waitForSelector('#token');
    await shot(page, '01-scanner-over-https');

    // Signed in, then the network drops: the page checks the badge's signature itself.
    await signInToScanner(page, { token: doorToken, slug: slug, gate: 'Nord' });
    await context.setOffline(true);
    await page.waitForSelector('#status.offline');
    await page.keyboard.type(laterQr, { delay: 0 });
    await page.keyboard.press('Enter');
    // (names stay off devices unless the organisers allow it: the answer is green, unnamed)
    await page.waitForSelector('#result[data-result="admitted"]');
    await shot(page, '02-admitted-offline-over-https');
    await context.setOffline(false);
    await page.waitForSelector('#status.online[data-waiting="0"]', { timeout: 20_000 });
  }, 60_000);

  it("offers phones the local authority on the organisers' set-up page, as a link and a QR code", async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page: Page = await context.newPage();
    const base = `https://${address}:${services.ports.checkin}`;
    await page.goto(`${base}/dashboard#/setup`);
    await signInToOrganiserPages(page, TEST_ORGANISER_TOKEN, slug);
    const card = page.locator('[data-testid="ca-download"]');
    await card.locator('svg').waitFor();
    expect(await decodeQrCodesInPng(await qrPicture(page, card.locator('svg')))).toEqual([
      `${base}/einlass-ca.crt`,
    ]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.locator('a.button').click(),
    ]);
    expect(readFileSync(await download.path())).toEqual(ca);
    await shot(page, '03-setup-page-offers-the-authority');
    await context.close();
  }, 60_000);
});
