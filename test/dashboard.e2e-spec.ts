import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ApiClient,
  createSampleCongress,
  launchChromium,
  screenshots,
  signInToOrganiserPages,
  seriousAccessibilityViolations,
  ServiceProcesses,
  startThreeServices,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

interface Person {
  id: string;
  name: string;
  lastName: string;
  qr: string;
}

const VIEWPORT = { width: 1440, height: 900 };
const de = (n: number) => new Intl.NumberFormat('de-DE').format(n);
const en = (n: number) => new Intl.NumberFormat('en-GB').format(n);

/**
 * The organisers' live attendance page in Debian's Chromium (playwright-core), against the three
 * services as separate processes and the sample congress: sign-in refuses wrong and door tokens,
 * the page shows the congress's numbers, a scan reaches the open page within a second, the page
 * reconnects and catches up after the check-in process is killed, exports download, both languages
 * render, and axe-core finds no serious or critical violation. Screenshots of each state go to
 * test-artifacts/dashboard.
 */
describe('the live attendance page in a real browser', () => {
  let services: ServiceProcesses;
  const slug = uniqueSlug('dash');
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let doorToken: string;
  const people: Person[] = [];
  const shot = screenshots('dashboard');
  /** What the page logged as errors, for a failing test to show. */
  const pageLog: string[] = [];
  /** What the measurements came to, saved next to the screenshots. */
  const timings: Record<string, number> = {};

  const kpi = (name: 'registered' | 'checked-in' | 'on-site') =>
    page.locator(`[data-kpi="${name}"]`);
  const attendance = async () => {
    const { status, body } = await checkin.get(`/api/events/${slug}/attendance`);
    expect(status).toBe(200);
    return body as { registered: number; checkedIn: number; onSite: number };
  };
  const scan = async (person: Person, gate = 'Haupteingang') => {
    const answer = await checkin.post(`/api/events/${slug}/scan`, { qr: person.qr, gate });
    expect(answer.status).toBe(200);
    return answer.body as { result: string };
  };
  /** How many registrations the registration service holds for the event (all pages). */
  const registeredCount = async () => {
    let count = 0;
    let cursor: string | null = null;
    do {
      const page: { body: { items: { status?: string }[]; nextCursor: string | null } } =
        await registration.get(
          `/api/events/${slug}/attendees?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        );
      const body = page.body;
      count += body.items.filter((a) => a.status !== 'cancelled').length;
      cursor = body.nextCursor;
    } while (cursor);
    return count;
  };
  /** Signs in on the page in front and picks this suite's event (others share the database). */
  const signIn = async (target: Page, token: string) => {
    await signInToOrganiserPages(target, token, slug).catch(async (error: unknown) => {
      await shot(target, 'failed-sign-in');
      throw new Error(`${String(error)}\npage said: ${pageLog.join('\n')}`);
    });
    await target.waitForSelector('[data-kpi="registered"]');
  };

  beforeAll(async () => {
    // check-in tells the page where the other two services are (GET /dashboard/config.json)
    ({ services, registration, badges, checkin } = await startThreeServices(4801));
    await createSampleCongress(registration, { ...SAMPLE_EVENT, slug });
    const { body: list } = await registration.get(`/api/events/${slug}/attendees?limit=200`);
    const expected = (list.items as unknown[]).length > 0 ? await registeredCount() : 0;
    await waitFor(
      `check-in to know all ${expected} attendees`,
      async () => {
        const { body } = await checkin.get(`/api/events/${slug}/attendance`);
        return body.registered === expected;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- checkin log ---\n${services.log('checkin')}`);
    });
    expect(expected).toBeGreaterThan(0);

    for (const a of (list.items as any[]).slice(0, 6)) {
      const badge = await waitFor(`the badge of ${a.lastName}`, async () => {
        const response = await badges.get(`/api/events/${slug}/attendees/${a.id}/badge`);
        return response.body.status === 'issued' ? response.body : undefined;
      });
      people.push({
        id: a.id,
        name: [a.title, a.firstName, a.lastName].filter(Boolean).join(' '),
        lastName: a.lastName,
        qr: badge.qr,
      });
    }
    await waitFor('check-in to know the badges', async () => {
      const { body } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
      return people.every((p) => body.badges?.[p.id]?.version === 1);
    });
    // two people are in before anyone looks
    await scan(people[0]);
    await scan(people[1], 'Nord');

    const token = await registration.post('/api/tokens', {
      role: 'door',
      label: 'Tablet Nord',
      events: [slug],
    });
    expect(token.status).toBe(201);
    doorToken = token.body.token;

    browser = await launchChromium();
    context = await browser.newContext({
      viewport: VIEWPORT,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') pageLog.push(m.text());
    });
    page.on('pageerror', (e) => pageLog.push(`uncaught: ${e.message}`));
  }, 240_000);

  afterAll(async () => {
    writeFileSync(
      join(__dirname, '..', 'test-artifacts', 'dashboard', 'timings.json'),
      `${JSON.stringify(timings, null, 2)}\n`,
    );
    await browser?.close();
    await services?.stopAll();
  }, 30_000);

  it('refuses a wrong token and a door token, showing no data', async () => {
    const response = await page.goto(`${services.url('checkin')}/dashboard`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('input[name="token"]');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await shot(page, '01-sign-in');

    await page.fill('input[name="token"]', 'not-a-token-at-all-0000');
    await page.click('button[type="submit"]');
    await page.waitForSelector('#signin-error');
    expect(await page.locator('#signin-error').textContent()).toContain('nicht angenommen');
    expect(await page.locator('[data-kpi]').count()).toBe(0);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await shot(page, '02-wrong-token');

    await page.fill('input[name="token"]', doorToken);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#signin-error:has-text("Einlass-Token")');
    expect(await page.locator('[data-kpi]').count()).toBe(0);
    expect(await page.locator('.event-picker').count()).toBe(0);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await shot(page, '03-door-token');
  }, 60_000);

  it('signs in with an organiser token and shows the congress as the API counts it', async () => {
    await signIn(page, 'test-organiser-token-0123456789');
    const now = await attendance();
    await page.waitForSelector(`[data-kpi="registered"]:text-is("${de(now.registered)}")`);
    await page.waitForSelector(`[data-kpi="checked-in"]:text-is("${de(now.checkedIn)}")`);
    await page.waitForSelector(`[data-kpi="on-site"]:text-is("${de(now.onSite)}")`);
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 10_000 });
    expect(await page.locator('h1').textContent()).toBe('Live-Anwesenheit');
    // the two early arrivals among the latest scans, linked to their page
    await page.waitForSelector(`.scan a[href="#/attendees/${people[1].id}"]`);
    // by gate, by category, sessions, arrivals chart with its table
    await page.waitForSelector('[data-gate="Nord"]');
    expect(await page.locator('[data-category]').count()).toBeGreaterThan(1);
    expect(await page.locator('tr[data-session]').count()).toBeGreaterThan(0);
    expect(await page.locator('.column-chart').getAttribute('aria-label')).toContain('Ankünfte');
    await page.waitForSelector('.not-arrived [data-total]');
    // the arrival forecast: the next 15/30/60 minutes, a gate's lanes and a plain recommendation
    const forecast = (await checkin.get(`/api/events/${slug}/attendance/forecast`)).body;
    await page.waitForSelector('#forecast [data-minutes="60"] .forecast-value');
    expect(await page.locator('#forecast [data-minutes]').count()).toBe(3);
    await page.waitForSelector('#forecast tr[data-gate="Nord"]');
    const advice = await page.locator('#forecast .forecast-advice').textContent();
    expect(advice).toMatch(
      forecast.gates.some((g: any) => g.advice.action === 'open_lanes')
        ? /weitere Spur(en)? bei .+ öffnen bis \d\d:\d\d\./
        : /^Die offenen Spuren reichen/,
    );
    await shot(page, '04-dashboard-de');
    await shot(page, '04-dashboard-de-full', true);
  }, 60_000);

  it('shows a scan on the open page within a second', async () => {
    const before = await attendance();
    await scan(people[2], 'Süd');
    const answered = Date.now();
    await page.waitForFunction(
      (expected) =>
        (globalThis as any).document.querySelector('[data-kpi="checked-in"]')?.textContent ===
        expected,
      de(before.checkedIn + 1),
      { timeout: 5_000, polling: 'raf' },
    );
    const elapsed = Date.now() - answered;
    timings.scanToScreenMs = elapsed;
    expect(elapsed).toBeLessThan(1000);
    await page.waitForSelector(
      `.scan[data-result="admitted"] a[href="#/attendees/${people[2].id}"]`,
    );
    await page.waitForSelector('[data-gate="Süd"]');
    await shot(page, '05-after-scan');

    // the same badge again: amber in the latest scans, the count stays
    await scan(people[2], 'Süd');
    await page.waitForSelector('.scan[data-result="already_admitted"]');
    expect(await kpi('checked-in').textContent()).toBe(de(before.checkedIn + 1));
  }, 30_000);

  it('shows the door devices on the live page: the tablet at Nord, online, with what it holds', async () => {
    const reported = await fetch(`${services.url('checkin')}/api/events/${slug}/devices/report`, {
      method: 'POST',
      headers: { authorization: `Bearer ${doorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        deviceId: 'web-live1',
        gate: 'Nord',
        list: 'main',
        direction: 'in',
        queued: 3,
        conflicts: 0,
        clock: new Date().toISOString(),
      }),
    });
    expect(reported.status).toBe(200);
    // The panel asks every 15 seconds.
    const row = page.locator('section.devices tr[data-device="web-live1"]');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-online')).toBe('true');
    expect(await row.textContent()).toContain('Nord');
    expect(await row.locator('[data-cell=queued]').textContent()).toBe('3');
    await shot(page, '05b-devices');
  }, 30_000);

  it('finds people not arrived yet, and drops those who arrive', async () => {
    const person = people[3];
    await page.fill('.not-arrived input[name="q"]', person.lastName);
    const answered = `.not-arrived[data-q="${person.lastName}"]`;
    const link = `${answered} a[href="#/attendees/${person.id}"]`;
    await page.waitForSelector(link);
    const total = Number(await page.locator(`${answered} [data-total]`).getAttribute('data-total'));
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(20);
    await page.evaluate(
      `scrollTo(0, document.querySelector('.not-arrived').getBoundingClientRect().top + scrollY - 120)`,
    );
    await shot(page, '06-not-arrived-search');
    await scan(person);
    await page.waitForSelector(link, { state: 'detached', timeout: 10_000 });
    await page.fill('.not-arrived input[name="q"]', '');
  }, 30_000);

  it('reconnects by itself when the check-in process is killed and restarted, and catches up', async () => {
    const before = await attendance();
    // The page may not reconnect before the scan below is made (it would be too quick to tell).
    const stream = `${services.url('checkin')}/api/events/${slug}/attendance/stream`;
    await page.route(stream, (route) => route.abort('connectionrefused'));
    await services.stop('checkin', 'SIGKILL');
    await page.waitForSelector(
      '#connection:is([data-state="reconnecting"], [data-state="offline"])',
      {
        timeout: 60_000,
      },
    );
    // what was last seen stays on screen, said to be not live
    expect(await kpi('checked-in').textContent()).toBe(de(before.checkedIn));
    await page.waitForSelector('.stale-note');
    await page.evaluate('scrollTo(0, 0)');
    await shot(page, '07-reconnecting');

    await services.start('checkin');
    expect((await scan(people[4], 'Nord')).result).toBe('admitted');
    expect(await kpi('checked-in').textContent()).toBe(de(before.checkedIn));
    const restarted = Date.now();
    await page.unroute(stream);
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 30_000 });
    await page.waitForSelector(`[data-kpi="checked-in"]:text-is("${de(before.checkedIn + 1)}")`, {
      timeout: 1_000,
    });
    timings.reconnectedAfterMs = Date.now() - restarted;
    expect(await page.locator('.stale-note').count()).toBe(0);
    await shot(page, '08-reconnected');

    // and it is live again: the next scan arrives within a second too
    await scan(people[5], 'Nord');
    const answered = Date.now();
    await page.waitForFunction(
      (expected) =>
        (globalThis as any).document.querySelector('[data-kpi="checked-in"]')?.textContent ===
        expected,
      de(before.checkedIn + 2),
      { timeout: 5_000, polling: 'raf' },
    );
    timings.scanToScreenAfterReconnectMs = Date.now() - answered;
    expect(timings.scanToScreenAfterReconnectMs).toBeLessThan(1000);
  }, 120_000);

  it('downloads the exports with the token, for Excel: BOM, semicolons in German', async () => {
    const read = async (selector: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      const path = await download.path();
      return { name: download.suggestedFilename(), bytes: readFileSync(path) };
    };
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);

    const attendanceCsv = await read('[data-export="attendance"]');
    expect(attendanceCsv.name).toBe(`${slug}-anwesenheit.csv`);
    expect(attendanceCsv.bytes.subarray(0, 3)).toEqual(bom);
    const header = attendanceCsv.bytes.subarray(3).toString('utf8').split(/\r?\n/)[0];
    expect(header).toContain(';');

    const log = await read('[data-export="checkins"]');
    expect(log.bytes.subarray(0, 3)).toEqual(bom);
    // every scan so far is a line (plus the header)
    const lines = log.bytes.toString('utf8').split(/\r?\n/).filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(8);

    const code = (await page.locator('tr[data-session]').first().getAttribute('data-session'))!;
    const session = await read(`tr[data-session="${code}"] button`);
    expect(session.name).toContain(code);
    expect(session.bytes.subarray(0, 3)).toEqual(bom);
    expect(await page.locator('.attendance .alert.error').allTextContents()).toEqual([]);
  }, 60_000);

  it('speaks English on request, numbers and all, and remembers it', async () => {
    await page.click('button:has-text("English")');
    await page.waitForSelector('h1:text-is("Live attendance")');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const now = await attendance();
    expect(await kpi('registered').textContent()).toBe(en(now.registered));
    await page.waitForSelector('#connection:has-text("Live")');
    await shot(page, '09-dashboard-en');
    await page.reload();
    await page.waitForSelector('h1:text-is("Live attendance")');
    await page.click('button:has-text("Deutsch")');
    await page.waitForSelector('h1:text-is("Live-Anwesenheit")');
  }, 30_000);

  it('goes back to sign-in, showing no data, when the token stops being accepted', async () => {
    const created = await registration.post('/api/tokens', { role: 'organiser', label: 'Laptop' });
    expect(created.status).toBe(201);
    const second = await context.newPage();
    await second.goto(`${services.url('checkin')}/dashboard`);
    await second.waitForSelector('input[name="token"]');
    await signIn(second, created.body.token);
    const revoked = await registration.request('DELETE', `/api/tokens/${created.body.id}`);
    expect(revoked.status).toBe(200);
    // the next call with it (a search here) is refused: sign-in again, nothing of the event left
    await waitFor(
      'check-in to refuse the revoked token',
      async () => (await checkin.withToken(created.body.token).get('/api/me')).status === 401,
    );
    await second.fill('.not-arrived input[name="q"]', 'a');
    await second.waitForSelector('#signin-error:has-text("nicht mehr gültig")', {
      timeout: 10_000,
    });
    expect(await second.locator('[data-kpi]').count()).toBe(0);
    expect(await second.locator('.attendance').count()).toBe(0);
    expect(await second.evaluate('sessionStorage.length')).toBe(0);
    await shot(second, '10-token-revoked');
    await second.close();
  }, 60_000);

  it('has no serious or critical accessibility violations (axe-core), in German and English', async () => {
    // A context of its own that lets axe's script in; the pages' CSP allows no injected script.
    const axeContext = await browser.newContext({
      viewport: VIEWPORT,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      bypassCSP: true,
    });
    const axePage = await axeContext.newPage();
    await axePage.goto(`${services.url('checkin')}/dashboard`);
    await axePage.waitForSelector('input[name="token"]');
    expect(await seriousAccessibilityViolations(axePage)).toEqual([]);
    await axePage.fill('input[name="token"]', 'wrong-token-wrong-token');
    await axePage.click('button[type="submit"]');
    await axePage.waitForSelector('#signin-error');
    expect(await seriousAccessibilityViolations(axePage)).toEqual([]);

    await signIn(axePage, 'test-organiser-token-0123456789');
    await axePage.waitForSelector('#connection[data-state="live"]');
    await axePage.waitForSelector('.not-arrived [data-total]');
    await axePage.click('.chart-table summary');
    expect(await seriousAccessibilityViolations(axePage)).toEqual([]);
    await axePage.click('button:has-text("English")');
    await axePage.waitForSelector('h1:text-is("Live attendance")');
    expect(await seriousAccessibilityViolations(axePage)).toEqual([]);
    await axeContext.close();
  }, 60_000);
});
