import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@einlass/database';
import {
  ApiClient,
  launchChromium,
  scannerSnapshotOnDevice,
  screenshots,
  ServiceProcesses,
  TEST_DATABASE_URL,
  TEST_ORGANISER_TOKEN,
  waitFor,
  signInToScanner,
} from '@einlass/testing';
import { checkinDatabase, DoorFixture } from '../apps/checkin/testing';

const PEOPLE = 50_000;
/** About what Chromium lets a site keep in localStorage. */
const LOCAL_STORAGE_QUOTA = 5 * 1024 * 1024;

/**
 * A scan snapshot larger than localStorage holds (issue 15, "very large snapshots"): a
 * conference of 50,000 people whose names the devices hold. The scanner page keeps its snapshot
 * in IndexedDB, so after a reload without network it still decides scans from it; a snapshot an
 * older page version left in localStorage is moved over; signing out removes it from the device;
 * a browser without IndexedDB keeps it in localStorage as before.
 * Check-in alone, its read model written directly (as bench/door-load.ts does).
 */
describe('a scan snapshot beyond localStorage on the scanner page in Chromium', () => {
  const services = new ServiceProcesses(6211, { LOG_LEVEL: 'warn' });
  let dataSource: DataSource;
  let checkin: ApiClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let large: DoorFixture;
  let people: string[];
  let small: DoorFixture;
  let smallPeople: string[];
  let doorToken: string;
  const shot = screenshots('scanner-large-snapshot');

  const scan = async (qr: string) => {
    await page.keyboard.type(qr, { delay: 0 });
    await page.keyboard.press('Enter');
  };
  const admissionsOf = async (slug: string, id: string) => {
    const { body } = await checkin.get(`/api/events/${slug}/checkins?limit=100`);
    return (body.items as any[]).filter(
      (row) => row.attendee?.id === id && row.result === 'admitted',
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
  const snapshotInLocalStorage = () =>
    page.evaluate('localStorage.getItem("einlass.scanner.snapshot") !== null');

  beforeAll(async () => {
    await services.start('checkin');
    checkin = new ApiClient(services.url('checkin'), TEST_ORGANISER_TOKEN);
    dataSource = await new DataSource(
      dataSourceOptions(TEST_DATABASE_URL, checkinDatabase),
    ).initialize();
    large = await new DoorFixture(dataSource).create();
    people = await large.people(PEOPLE);
    small = await new DoorFixture(dataSource).create();
    smallPeople = await small.people(3);
    doorToken = await large.token('door');
    for (const slug of [large.slug, small.slug]) {
      const put = await checkin.request('PUT', `/api/events/${slug}/door-settings`, {
        devicesHoldNames: true,
      });
      expect(put.status).toBe(200);
    }
    browser = await launchChromium();
  }, 180_000);

  beforeEach(async () => {
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'de-DE',
    });
    page = await context.newPage();
  });

  afterEach(() => context?.close());

  afterAll(async () => {
    await browser?.close();
    await dataSource?.destroy();
    await services.stopAll();
  }, 30_000);

  it('keeps a snapshot of 50,000 people with names through a reload offline, admits from it and sends the scan later', async () => {
    await page.goto(`${services.url('checkin')}/scan`);
    await controlledByWorker();
    await signInToScanner(page, { token: doorToken, slug: large.slug, gate: 'Halle 1' });

    const stored = await waitFor('the page to store the snapshot', () =>
      scannerSnapshotOnDevice(page, { withSnapshot: false }).then((s) => s ?? undefined),
    );
    expect(stored.store).toBe('indexedDB');
    expect(stored.bytes).toBeGreaterThan(LOCAL_STORAGE_QUOTA);
    expect(await snapshotInLocalStorage()).toBe(false);
    // what the earlier page did, and why it lost the snapshot: localStorage refuses it
    const refused = await page.evaluate(`(() => {
      try {
        localStorage.setItem('einlass.scanner.probe', 'x'.repeat(${stored.bytes}));
        localStorage.removeItem('einlass.scanner.probe');
        return 'stored';
      } catch (error) {
        return error.name;
      }
    })()`);
    expect(refused).toBe('QuotaExceededError');

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('#result[data-result="ready"]', { timeout: 20_000 });
    await page.waitForSelector('#status.offline');
    const last = people[PEOPLE - 1];
    await scan(large.qr(last));
    await page.waitForSelector('#status[data-waiting="1"]');
    expect(await page.locator('#result').getAttribute('data-result')).toBe('admitted');
    // the name comes from the snapshot: the page has no network
    expect(await page.locator('#result').textContent()).toContain('Erika Mustermann');
    await shot(page, '01-admitted-offline-from-50000');
    expect(await admissionsOf(large.slug, last)).toBe(0);

    await context.setOffline(false);
    await page.waitForSelector('#status.online[data-waiting="0"]', { timeout: 30_000 });
    expect(await admissionsOf(large.slug, last)).toBe(1);

    // Signing out takes the names off the device: no snapshot in either store.
    await page.click('#door-open');
    await page.click('#signout');
    await page.waitForSelector('#token');
    expect(await scannerSnapshotOnDevice(page, { withSnapshot: false })).toBeNull();
    expect(await snapshotInLocalStorage()).toBe(false);
  }, 180_000);

  it('moves a snapshot an older page version left in localStorage into IndexedDB, and decides from it', async () => {
    const token = await small.token('door');
    const door = checkin.withToken(token);
    const { status, body: snapshot } = await door.get(`/api/events/${small.slug}/scan-snapshot`);
    expect(status).toBe(200);
    await page.goto(`${services.url('checkin')}/scan`);
    await controlledByWorker();
    await page.waitForSelector('#token');
    // What the page before IndexedDB kept: its settings and the snapshot, both in localStorage.
    const settings = {
      lang: 'de',
      token,
      slug: small.slug,
      gate: 'Nord',
      list: 'main',
      direction: 'in',
      deviceId: 'web-olderpage',
      counter: 0,
    };
    await page.evaluate(
      ([settings, snapshot]) => {
        const storage = (globalThis as any).localStorage;
        storage.setItem('einlass.scanner.settings', settings);
        storage.setItem('einlass.scanner.snapshot', snapshot);
      },
      [JSON.stringify(settings), JSON.stringify(snapshot)],
    );

    // Offline: the page has only what it kept to start from.
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('#result[data-result="ready"]', { timeout: 20_000 });
    const moved = await scannerSnapshotOnDevice(page);
    expect(moved?.store).toBe('indexedDB');
    expect(moved?.snapshot).toEqual(snapshot);
    expect(await snapshotInLocalStorage()).toBe(false);

    const [first] = smallPeople;
    await scan(small.qr(first));
    await page.waitForSelector('#status[data-waiting="1"]');
    expect(await page.locator('#result').getAttribute('data-result')).toBe('admitted');
    await shot(page, '02-admitted-from-moved-snapshot');

    await context.setOffline(false);
    await page.waitForSelector('#status.online[data-waiting="0"]', { timeout: 30_000 });
    expect(await admissionsOf(small.slug, first)).toBe(1);
    // the refreshed snapshot goes to IndexedDB too, and localStorage stays without one
    const refreshed = await waitFor('the refreshed snapshot to be stored', async () => {
      const now = await scannerSnapshotOnDevice(page);
      return now && now.snapshot.generatedAt > snapshot.generatedAt ? now : undefined;
    });
    expect(refreshed.store).toBe('indexedDB');
    expect(refreshed.snapshot.admitted.main?.[first]?.gate).toBe('Nord');
    expect(await snapshotInLocalStorage()).toBe(false);
  }, 120_000);
  it('keeps to localStorage, as before, in a browser without IndexedDB', async () => {
    await page.close();
    await context.addInitScript(
      'Object.defineProperty(globalThis, "indexedDB", { value: undefined, configurable: true })',
    );
    page = await context.newPage();
    await page.goto(`${services.url('checkin')}/scan`);
    await controlledByWorker();
    expect(await page.evaluate('typeof indexedDB')).toBe('undefined');
    await signInToScanner(page, {
      token: await small.token('door'),
      slug: small.slug,
      gate: 'West',
    });
    expect(await snapshotInLocalStorage()).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('#result[data-result="ready"]', { timeout: 20_000 });
    const second = smallPeople[1];
    await scan(small.qr(second));
    await page.waitForSelector('#status[data-waiting="1"]');
    expect(await page.locator('#result').getAttribute('data-result')).toBe('admitted');

    await context.setOffline(false);
    await page.waitForSelector('#status.online[data-waiting="0"]', { timeout: 30_000 });
    expect(await admissionsOf(small.slug, second)).toBe(1);
  }, 120_000);
});
