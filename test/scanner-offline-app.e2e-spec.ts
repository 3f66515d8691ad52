import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ApiClient,
  createSampleCongress,
  launchChromium,
  screenshots,
  ServiceProcesses,
  startThreeServices,
  uniqueSlug,
  waitFor,
  signInToScanner,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * The scanner page as a steward uses it in an arena: the network goes, the page is reloaded (a
 * phone's browser discards background tabs), and it comes back from its service worker with what
 * it kept, scans from its snapshot and sends its queue later. A new version of the page, put on
 * the server while scans wait, is taken up when the network is back, the queue intact.
 */
describe('the scanner page as an offline app in Chromium', () => {
  let services: ServiceProcesses;
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let doorToken: string;
  const slug = uniqueSlug('offlineapp');
  /** The pages check-in serves, a copy of dist/web this test can put a new build into. */
  const pagesDir = mkdtempSync(join(tmpdir(), 'einlass-pages-'));
  const people: { id: string; qr: string }[] = [];
  const shot = screenshots('scanner-offline-app');

  const scan = async (qr: string) => {
    await page.keyboard.type(qr, { delay: 0 });
    await page.keyboard.press('Enter');
  };
  const waiting = () => page.locator('#status').getAttribute('data-waiting');
  const admissionsOf = async (ids: string[]) => {
    const { body } = await checkin.get(`/api/events/${slug}/checkins?limit=100`);
    return (body.items as any[]).filter(
      (row) => ids.includes(row.attendee?.id) && row.result === 'admitted',
    ).length;
  };
  // (asked with evaluate: waitForFunction with a text evaluates it with eval, which the page's
  // Content-Security-Policy refuses, as it should)
  const controlledByWorker = () =>
    waitFor(
      'the service worker to control the page',
      async () =>
        (await page.evaluate('navigator.serviceWorker.controller !== null')) === true || undefined,
      { timeoutMs: 20_000, intervalMs: 100 },
    );

  beforeAll(async () => {
    cpSync(join(__dirname, '..', 'dist', 'web'), pagesDir, { recursive: true });
    ({ services, registration, badges, checkin } = await startThreeServices(5901, {
      WEB_PAGES_DIR: pagesDir,
    }));
    await createSampleCongress(registration, { ...SAMPLE_EVENT, slug });
    for (let n = 11; n <= 14; n++) {
      const { body } = await registration.get(
        `/api/events/${slug}/attendees?q=TEGK23-000${n}&limit=1`,
      );
      const id: string = body.items[0].id;
      const qr = await waitFor(`the badge of attendee ${n}`, async () => {
        const response = await badges.get(`/api/events/${slug}/attendees/${id}/badge`);
        return response.body.status === 'issued' ? (response.body.qr as string) : undefined;
      });
      people.push({ id, qr });
    }
    const token = await registration.post('/api/tokens', {
      role: 'door',
      label: 'Handy Süd',
      events: [slug],
    });
    expect(token.status).toBe(201);
    doorToken = token.body.token;
    await waitFor('check-in to know the badges and the door token', async () => {
      const { status, body } = await checkin
        .withToken(doorToken)
        .get(`/api/events/${slug}/scan-snapshot`);
      return status === 200 && people.every((p) => body.badges[p.id]?.version === 1);
    });
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'de-DE',
    });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await services?.stopAll();
    rmSync(pagesDir, { recursive: true, force: true });
  }, 30_000);

  it('comes back after a reload without network, scans three badges from its snapshot and sends them later', async () => {
    await page.goto(`${services.url('checkin')}/scan`);
    await controlledByWorker();
    await signInToScanner(page, { token: doorToken, slug: slug, gate: 'Süd' });

    await context.setOffline(true);
    await page.reload();
    // the page itself, not Chromium's offline error page: the door screen, ready to scan
    await page.waitForSelector('#result[data-result="ready"]', { timeout: 10_000 });
    await page.waitForSelector('#status.offline');
    await shot(page, '01-reloaded-offline');
    const three = people.slice(0, 3);
    for (const person of three) {
      await scan(person.qr);
      await page.waitForSelector(`#status[data-waiting="${three.indexOf(person) + 1}"]`);
      expect(await page.locator('#result').getAttribute('data-result')).toBe('admitted');
    }
    expect(await admissionsOf(three.map((p) => p.id))).toBe(0);
    await shot(page, '02-three-queued-offline');

    await context.setOffline(false);
    await page.waitForSelector('#status.online[data-waiting="0"]', { timeout: 20_000 });
    expect(await admissionsOf(three.map((p) => p.id))).toBe(3);
  }, 90_000);

  it('takes up a newer page version when the network is back, its queued scan kept', async () => {
    const [, , , fourth] = people;
    await context.setOffline(true);
    await page.waitForSelector('#status.offline');
    await scan(fourth.qr);
    await page.waitForSelector('#status[data-waiting="1"]');

    // A new build on the server: another page, so another worker version.
    const index = join(pagesDir, 'door-scanner', 'index.html');
    writeFileSync(
      index,
      readFileSync(index, 'utf8').replace(
        '<head>',
        '<head>\n    <meta name="einlass-build" content="next" />',
      ),
    );
    const worker = join(pagesDir, 'door-scanner', 'sw.js');
    writeFileSync(
      worker,
      readFileSync(worker, 'utf8').replace(
        /einlass-scan-[0-9a-f]{16}/,
        'einlass-scan-0123456789abcdef',
      ),
    );
    // The queue is held back until the new version runs: it must survive the page's reload.
    await context.route('**/api/events/*/scans', (route) => route.abort());
    await context.setOffline(false);
    await page.waitForSelector('meta[name="einlass-build"]', {
      state: 'attached',
      timeout: 30_000,
    });
    await page.waitForSelector('#result[data-result="ready"]');
    expect(await waiting()).toBe('1');
    expect(await admissionsOf([fourth.id])).toBe(0);
    await shot(page, '03-new-version-queue-kept');

    await context.unroute('**/api/events/*/scans');
    await page.waitForSelector('#status.online[data-waiting="0"]', { timeout: 20_000 });
    expect(await admissionsOf([fourth.id])).toBe(1);
    // the old build's cache is gone: the worker keeps the current shell only
    const caches = await page.evaluate('caches.keys()');
    expect(caches).toEqual(['einlass-scan-0123456789abcdef']);
  }, 90_000);
});
