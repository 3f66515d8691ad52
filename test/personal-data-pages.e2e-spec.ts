import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import {
  launchChromium,
  RunningServices,
  screenshots,
  seriousAccessibilityViolations,
  signInToOrganiserPages,
  startThreeServices,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';

// Callbacks given to page.evaluate run in the browser; this program has no DOM types.
declare const location: any;

/**
 * The organisers' pages for personal data, in Debian's Chromium against the three services: the
 * attendee page's button downloads the person's personal-data document, and the audit log page
 * lists who did what (the token's label), a page at a time, and downloads it as CSV.
 */
describe("the organisers' pages: personal data and the audit log", () => {
  let running: RunningServices;
  let browser: Browser;
  let page: Page;
  const slug = uniqueSlug('dsgvo-pages');
  const shot = screenshots('personal-data-pages');
  let id: string;

  beforeAll(async () => {
    running = await startThreeServices(4381);
    await running.registration.post('/api/events', {
      slug,
      name: 'Datenschutz-Seiten',
      startsAt: '2027-09-01T08:00:00Z',
      endsAt: '2027-09-01T17:00:00Z',
      timezone: 'Europe/Berlin',
    });
    const registered = await running.registration.post(`/api/events/${slug}/attendees`, {
      firstName: 'Hedwig',
      lastName: 'Auskunft',
      email: 'hedwig.auskunft@amt.example',
      organisation: 'Landratsamt',
      category: 'attendee',
    });
    id = registered.body.id;
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      acceptDownloads: true,
      bypassCSP: true,
    });
    page = await context.newPage();
    await page.goto(`${running.services.url('checkin')}/dashboard#/attendees`);
    await signInToOrganiserPages(page, TEST_ORGANISER_TOKEN, slug);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await running?.services.stopAll();
  }, 30_000);

  it("downloads a person's personal-data document from their page", async () => {
    await page.evaluate((h) => (location.hash = h), `#/attendees/${id}`);
    await page.waitForSelector('#download-personal-data');
    await waitFor('the badge', async () =>
      (await running.badges.get(`/api/events/${slug}/attendees/${id}/badge`)).body.status ===
      'issued'
        ? true
        : undefined,
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#download-personal-data'),
    ]);
    expect(download.suggestedFilename()).toBe(`personal-data-${id}.json`);
    const document = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(document.registration.attendee).toMatchObject({
      firstName: 'Hedwig',
      email: 'hedwig.auskunft@amt.example',
    });
    expect(document.badges.badge.status).toBe('issued');
    expect(document.checkin.door.lastName).toBe('Auskunft');
    await page.waitForSelector('.notice, [role=status]');
    await shot(page, '01-attendee-personal-data');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }, 60_000);

  it('lists the audit log with the token and downloads it as CSV', async () => {
    await waitFor('the entry of the download', async () => {
      const { body } = await running.registration.get(`/api/events/${slug}/audit`);
      return body.items.some((e: { action: string }) => e.action === 'attendee.personal_data_read')
        ? true
        : undefined;
    });
    await page.evaluate((h) => (location.hash = h), '#/audit');
    await page.waitForSelector('#audit-list');
    const actions = await page.$$eval('#audit-list tbody tr', (rows) =>
      rows.map((row) => row.getAttribute('data-action')),
    );
    expect(actions).toContain('attendee.personal_data_read');
    expect(actions).toContain('attendee.registered');
    expect(await page.locator('#audit-list').textContent()).toContain('ORGANISER_TOKEN');
    expect(await page.locator('#audit-list').textContent()).not.toContain('hedwig');
    await shot(page, '02-audit-log');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-csv')]);
    expect(download.suggestedFilename()).toBe(`${slug}-audit.csv`);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('attendee.personal_data_read');
  }, 60_000);
});
