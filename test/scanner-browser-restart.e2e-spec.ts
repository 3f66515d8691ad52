import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  ApiClient,
  screenshots,
  ServiceProcesses,
  startThreeServices,
  uniqueSlug,
  waitFor,
  signInToScanner,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * A phone at the door whose browser is closed (a dead battery, the system killing it) while the
 * arena's network is gone: Chromium starts again with the same profile, the scanner page opens
 * from its service worker without reaching check-in, scans from the snapshot it kept, and sends
 * the queue once check-in answers again.
 */
describe('the scanner page after a browser restart without network', () => {
  let services: ServiceProcesses;
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;
  let doorToken: string;
  const slug = uniqueSlug('restart');
  const profile = mkdtempSync(join(tmpdir(), 'einlass-profile-'));
  const people: { id: string; qr: string }[] = [];
  const shot = screenshots('scanner-browser-restart');

  /** Chromium with a profile on disk, as a phone's browser keeps one. */
  const openBrowser = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'de-DE',
    });
  let browser: BrowserContext | undefined;

  const scan = async (page: Page, qr: string) => {
    await page.keyboard.type(qr, { delay: 0 });
    await page.keyboard.press('Enter');
  };
  const admitted = async (id: string) => {
    const { body } = await checkin.get(`/api/events/${slug}/checkins?limit=100&attendeeId=${id}`);
    return (body.items as { result: string }[]).some((row) => row.result === 'admitted');
  };

  beforeAll(async () => {
    ({ services, registration, badges, checkin } = await startThreeServices(5931));
    expect((await registration.post('/api/events', { ...SAMPLE_EVENT, slug })).status).toBe(201);
    for (const lastName of ['Neustart', 'Akkuleer']) {
      const { body: person } = await registration.post(`/api/events/${slug}/attendees`, {
        firstName: 'Greta',
        lastName,
        category: 'attendee',
      });
      const qr = await waitFor(`the badge of ${lastName}`, async () => {
        const response = await badges.get(`/api/events/${slug}/attendees/${person.id}/badge`);
        return response.body.status === 'issued' ? (response.body.qr as string) : undefined;
      });
      people.push({ id: person.id as string, qr });
    }
    const token = await registration.post('/api/tokens', {
      role: 'door',
      label: 'Handy Ost',
      events: [slug],
    });
    doorToken = token.body.token as string;
    await waitFor('check-in to know the badges and the door token', async () => {
      const { status, body } = await checkin
        .withToken(doorToken)
        .get(`/api/events/${slug}/scan-snapshot`);
      return status === 200 && people.every((p) => body.badges[p.id]?.version === 1);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await services?.stopAll();
    rmSync(profile, { recursive: true, force: true });
  }, 30_000);

  it('opens, scans from its snapshot and queues after the restart; sends the queue when check-in is back', async () => {
    browser = await openBrowser();
    let page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${services.url('checkin')}/scan`);
    await waitFor(
      'the service worker to control the page',
      async () =>
        (await page.evaluate('navigator.serviceWorker.controller !== null')) === true || undefined,
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    await signInToScanner(page, { token: doorToken, slug: slug, gate: 'Ost' });
    await scan(page, people[0].qr);
    await page.waitForSelector('#result[data-result="admitted"]');
    await page.waitForSelector('#status.online[data-waiting="0"]');

    // The browser goes away, and with it the network to check-in.
    await browser.close();
    await services.stop('checkin');

    browser = await openBrowser();
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${services.url('checkin')}/scan`);
    // The page itself, from the service worker: the door screen, ready, offline.
    await page.waitForSelector('#result[data-result="ready"]', { timeout: 15_000 });
    expect(await page.locator('#door-summary').textContent()).toContain('Ost');
    await scan(page, people[1].qr);
    await page.waitForSelector('#result[data-result="admitted"]');
    expect(await page.locator('#result').textContent()).toContain(
      'Offline auf diesem Gerät entschieden',
    );
    await page.waitForSelector('#status.offline[data-waiting="1"]', { timeout: 15_000 });
    // Its own record holds: the first badge, admitted before the restart, is not admitted again.
    await scan(page, people[0].qr);
    await page.waitForSelector('#result[data-result="already_admitted"]');
    await shot(page, '01-after-restart-offline');

    await services.start('checkin');
    expect(await admitted(people[1].id)).toBe(false);
    await page.waitForSelector('#status.online[data-waiting="0"]', { timeout: 30_000 });
    expect(await admitted(people[1].id)).toBe(true);
    await shot(page, '02-queue-sent');
  }, 120_000);
});
