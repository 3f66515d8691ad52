import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  ApiClient,
  createSampleCongress,
  ServiceProcesses,
  startThreeServices,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'scanner-page');

interface Person {
  id: string;
  name: string;
  organisation: string | null;
  qr: string;
}

/**
 * The door staff's page in Debian's Chromium (playwright-core), against the three services as
 * separate processes: a handheld scanner types badge codes, the page answers green, amber and red,
 * keeps working offline and sends its queue when the network returns. Each state is saved as a
 * screenshot under test-artifacts/scanner-page.
 */
describe('the scanner page in a real browser', () => {
  let services: ServiceProcesses;
  const slug = uniqueSlug('scanpage');
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let doorToken: string;
  const people: Person[] = [];

  const shot = (name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
  const result = () => page.locator('#result');
  const waitForResult = async (value: string) =>
    page.waitForSelector(`#result[data-result="${value}"]`, { timeout: 10_000 });
  /** A handheld scanner: the code typed fast, then Enter, into whatever has focus. */
  const scanWithHandheld = async (qr: string) => {
    await page.keyboard.type(qr, { delay: 0 });
    await page.keyboard.press('Enter');
  };
  const background = () =>
    page.evaluate(`getComputedStyle(document.getElementById('result')).backgroundColor`);
  const waiting = () => page.locator('#status').getAttribute('data-waiting');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ services, registration, badges, checkin } = await startThreeServices(4501));
    await createSampleCongress(registration, { ...SAMPLE_EVENT, slug });

    for (let n = 11; n <= 18; n++) {
      const { body } = await registration.get(
        `/api/events/${slug}/attendees?q=TEGK23-000${n}&limit=1`,
      );
      const a = body.items[0];
      const badge = await waitFor(`the badge of ${a.lastName}`, async () => {
        const response = await badges.get(`/api/events/${slug}/attendees/${a.id}/badge`);
        return response.body.status === 'issued' ? response.body : undefined;
      });
      people.push({
        id: a.id,
        name: [a.title, a.firstName, a.lastName].filter(Boolean).join(' '),
        organisation: a.organisation ?? null,
        qr: badge.qr,
      });
    }
    // The organisers let devices hold names, so the page can search and name people offline
    // (once check-in has heard of the event: its queue is not the badges service's).
    await waitFor('check-in to know the event', async () => {
      const { status } = await checkin.get(`/api/events/${slug}/door-settings`);
      return status === 200;
    });
    const settings = await checkin.request('PUT', `/api/events/${slug}/door-settings`, {
      devicesHoldNames: true,
    });
    expect(settings.status).toBe(200);
    const token = await registration.post('/api/tokens', {
      role: 'door',
      label: 'Tablet Nord',
      events: [slug],
    });
    expect(token.status).toBe(201);
    doorToken = token.body.token;
    const door = checkin.withToken(doorToken);
    await waitFor('check-in to know the badges and the door token', async () => {
      const { status, body } = await door.get(`/api/events/${slug}/scan-snapshot`);
      return status === 200 && people.every((p) => body.badges[p.id]?.version === 1);
    });

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await services.stopAll();
  }, 30_000);

  it('signs in with a door token, keeps the door chosen, and answers a handheld scanner green, amber and red', async () => {
    const response = await page.goto(`${services.url('checkin')}/scan`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.waitForSelector('#token');
    await shot('01-sign-in');

    await page.fill('#token', 'not-a-token-at-all');
    await page.fill('#slug', slug);
    await page.click('#connect');
    await page.waitForSelector('#signin-error:text("nicht akzeptiert")');

    await page.fill('#token', doorToken);
    await page.click('#connect');
    await page.waitForSelector('#gate');
    await page.fill('#gate', 'Nord');
    await shot('02-door');
    await page.click('#start');
    await waitForResult('ready');
    expect(await page.evaluate('document.activeElement.id')).toBe('scan-input');
    await shot('03-ready');

    const [first] = people;
    await scanWithHandheld(first.qr);
    await waitForResult('admitted');
    expect(await result().textContent()).toContain(first.name);
    if (first.organisation) expect(await result().textContent()).toContain(first.organisation);
    expect(await background()).toBe('rgb(21, 128, 61)');
    await shot('04-admitted');

    await scanWithHandheld(first.qr);
    await waitForResult('already_admitted');
    expect(await result().textContent()).toMatch(/Zuerst eingelassen \d\d:\d\d am Eingang Nord/);
    await shot('05-already-admitted');

    // One character changed: the signature no longer matches.
    const i = 80;
    const forged = first.qr.slice(0, i) + (first.qr[i] === 'A' ? 'B' : 'A') + first.qr.slice(i + 1);
    await scanWithHandheld(forged);
    await waitForResult('invalid');
    expect(await result().textContent()).toContain('Ungültig');
    expect(await background()).toBe('rgb(185, 28, 28)');
    await shot('06-forged');
  }, 60_000);

  it('keeps working offline, queues the scans, and sends them when the network returns', async () => {
    const offline = people.slice(1, 4);
    await context.setOffline(true);
    await page.waitForSelector('#status.offline');
    for (const person of offline) {
      await scanWithHandheld(person.qr);
      await page.waitForSelector(`#result[data-result="admitted"]:has-text("${person.name}")`);
    }
    expect(await waiting()).toBe('3');
    expect(await page.locator('#status').textContent()).toContain('3 Scans warten');
    await shot('07-offline-admitted');

    // The same badge again, still offline: this device remembers it let the person in.
    await scanWithHandheld(offline[0].qr);
    await waitForResult('already_admitted');
    expect(await waiting()).toBe('4');
    // A forged code offline: the signature is checked in the browser.
    const qr = offline[1].qr;
    await scanWithHandheld(qr.slice(0, 120) + (qr[120] === 'C' ? 'D' : 'C') + qr.slice(121));
    await waitForResult('invalid');
    await shot('08-offline-forged');

    await context.setOffline(false);
    await page.waitForSelector('#status.online[data-waiting="0"]', { timeout: 20_000 });
    await shot('09-back-online');

    const { body: log } = await checkin.get(`/api/events/${slug}/checkins?limit=100`);
    const items = (log.items as any[]).map((row) => ({
      attendeeId: row.attendee?.id ?? null,
      result: row.result,
      gate: row.gate,
    }));
    for (const person of offline) {
      expect(items).toContainEqual(
        expect.objectContaining({ attendeeId: person.id, result: 'admitted', gate: 'Nord' }),
      );
    }
    const attendance = await checkin.get(`/api/events/${slug}/attendance`);
    expect(attendance.body.checkedIn).toBe(4);
  }, 60_000);

  it('shows the conflict the server found: admitted offline here, but at another door first', async () => {
    const person = people[4];
    await context.setOffline(true);
    await page.waitForSelector('#status.offline');
    const elsewhere = await checkin.post(`/api/events/${slug}/scan`, {
      qr: person.qr,
      gate: 'Süd',
    });
    expect(elsewhere.body.result).toBe('admitted');
    await scanWithHandheld(person.qr);
    await waitForResult('admitted');
    await context.setOffline(false);
    await page.waitForSelector('#conflicts:not([hidden])', { timeout: 20_000 });
    const text = await page.locator('#conflicts').textContent();
    expect(text).toContain(person.name);
    expect(text).toContain('Doppelung');
    await shot('10-conflict');
    await page.click('#conflicts-ok');
    await page.waitForSelector('#conflicts[hidden]', { state: 'attached' });
  }, 60_000);

  it('finds a person without a badge by name and admits them; speaks English on request and remembers it', async () => {
    const person = people[5];
    await page.click('#search-open');
    await page.fill('#search-input', person.name.split(' ').slice(-1)[0]);
    await page.waitForSelector(`#admit-${person.id}`);
    await shot('11-search');
    await page.click(`#admit-${person.id}`);
    await page.waitForSelector('#search', { state: 'hidden' });
    await waitForResult('admitted');
    expect(await result().textContent()).toContain(person.name);
    expect(await result().textContent()).not.toContain('Offline');

    // Without names on the device, the page asks check-in's read model (never an email).
    const lookup = await checkin
      .withToken(doorToken)
      .get(`/api/events/${slug}/door-lookup?q=${encodeURIComponent(person.name)}`);
    expect(lookup.status).toBe(200);
    expect(lookup.body.items[0]).toEqual({
      id: person.id,
      name: person.name,
      organisation: person.organisation,
      category: expect.any(String),
      status: 'registered',
      inside: true,
    });
    expect(JSON.stringify(lookup.body)).not.toContain('@');

    await page.click('#lang');
    await waitForResult('ready');
    expect(await result().textContent()).toContain('Ready');
    await page.reload();
    await waitForResult('ready');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#door-summary').textContent()).toContain('Nord');
    await scanWithHandheld(people[6].qr);
    await waitForResult('admitted');
    expect(await result().textContent()).toContain('Admitted');
    await shot('12-english-after-reload');
  }, 60_000);

  it("warns the steward when the device's clock is off: offline scans would get the wrong time", async () => {
    // This device's clock runs right: no warning.
    expect(await page.locator('#clock-warning').isHidden()).toBe(true);

    // A phone whose clock is five minutes fast.
    const fast = await browser.newContext({
      locale: 'de-DE',
      viewport: { width: 390, height: 844 },
    });
    await fast.addInitScript(() => {
      const RealDate = Date;
      const shift = 5 * 60_000;
      class FastDate extends RealDate {
        constructor(...args: unknown[]) {
          if (args.length === 0) super(RealDate.now() + shift);
          else super(...(args as [string]));
        }
        static override now() {
          return RealDate.now() + shift;
        }
      }
      globalThis.Date = FastDate as DateConstructor;
    });
    const phone = await fast.newPage();
    try {
      await phone.goto(`${services.url('checkin')}/scan`);
      await phone.fill('#token', doorToken);
      await phone.fill('#slug', slug);
      await phone.click('#connect');
      await phone.fill('#gate', 'Süd');
      await phone.click('#start');
      const warning = phone.locator('#clock-warning');
      await warning.waitFor({ state: 'visible' });
      expect(await warning.getAttribute('role')).toBe('alert');
      expect(await warning.textContent()).toContain('Die Uhr dieses Geräts geht 5 Min. vor');
      await phone.screenshot({ path: join(ARTIFACTS, '13-clock-warning.png') });
    } finally {
      await fast.close();
    }
  }, 60_000);
  it('takes the conflicts and their names off the device when the steward signs out', async () => {
    const person = people[7];
    await context.setOffline(true);
    await page.waitForSelector('#status.offline');
    const elsewhere = await checkin.post(`/api/events/${slug}/scan`, {
      qr: person.qr,
      gate: 'Süd',
    });
    expect(elsewhere.body.result).toBe('admitted');
    await scanWithHandheld(person.qr);
    await waitForResult('admitted');
    await context.setOffline(false);
    await page.waitForSelector('#conflicts:not([hidden])', { timeout: 20_000 });
    const kept = () =>
      page.evaluate(() => (globalThis as any).localStorage.getItem('einlass.scanner.conflicts'));
    expect(await kept()).toContain(person.name);

    // Not confirmed at the device: signing out still takes them off it.
    await page.click('#door-open');
    await page.click('#signout');
    await page.waitForSelector('#token');
    expect(await kept()).not.toContain(person.name);
    expect(JSON.parse((await kept()) ?? '[]')).toEqual([]);
    // The check-in log keeps the scan the conflict was about.
    const { body: log } = await checkin.get(`/api/events/${slug}/checkins?attendeeId=${person.id}`);
    expect(log.items.map((item: { gate: string }) => item.gate).sort()).toEqual(['Nord', 'Süd']);
  }, 60_000);
});
