import type { Browser, Page } from 'playwright-core';
import { decodeTicket } from '@einlass/tickets';
import {
  createSampleCongress,
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
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * The signing keys on the organisers' print page, in Debian's Chromium against the three
 * services: make a new key, retire the old one after confirming, and re-issue and print the
 * affected badges with one click; the page shows the print job run to its end. Screenshots in
 * test-artifacts/key-rotation-page; each state checked with axe-core.
 */
describe('the signing keys on the print page', () => {
  let running: RunningServices;
  const slug = uniqueSlug('keys-page');
  let browser: Browser;
  let page: Page;
  const shot = screenshots('key-rotation-page');
  const people: string[] = [];

  const badgeOf = async (id: string) =>
    (await running.badges.get(`/api/events/${slug}/attendees/${id}/badge`)).body;
  const rowState = (keyId: string) =>
    page.locator(`#signing-key-list tr[data-key="${keyId}"]`).getAttribute('data-state');
  const expectAccessible = async (what: string) => {
    const violations = await seriousAccessibilityViolations(page);
    expect({ what, violations }).toEqual({ what, violations: [] });
  };

  beforeAll(async () => {
    running = await startThreeServices(5821);
    await createSampleCongress(running.registration, { ...SAMPLE_EVENT, slug }, null);
    for (const lastName of ['Amsel', 'Drossel']) {
      const created = await running.registration.post(`/api/events/${slug}/attendees`, {
        firstName: 'Jana',
        lastName,
        category: 'attendee',
      });
      people.push(created.body.id as string);
    }
    await waitFor('both badges', async () =>
      (await Promise.all(people.map(badgeOf))).every((b) => b.status === 'issued'),
    );
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      bypassCSP: true, // only so axe-core can be injected
    });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await running?.services.stopAll();
  }, 30_000);

  it('rotates, retires after confirming, and prints the affected badges in one click', async () => {
    const oldKey = decodeTicket((await badgeOf(people[0])).qr).claims.keyId;
    await page.goto(`${running.services.url('checkin')}/dashboard#/print-jobs`);
    await signInToOrganiserPages(page, TEST_ORGANISER_TOKEN, slug);
    await page.waitForSelector(`#signing-key-list tr[data-key="${oldKey}"]`);
    expect(await rowState(oldKey)).toBe('active');
    expect(await page.locator('#signing-keys').textContent()).toContain('Signaturschlüssel');
    await shot(page, '01-one-key', true);
    await expectAccessible('keys: one active key');

    await page.click('#key-rotate');
    await page.waitForSelector('#key-notice');
    expect(await page.locator('#key-notice').textContent()).toMatch(/Neuer Schlüssel .* ist aktiv/);
    await page.waitForSelector(
      '#signing-key-list tr[data-state="active"]:not([data-key="' + oldKey + '"])',
    );
    expect(await rowState(oldKey)).toBe('valid');
    const keys = (await running.badges.get(`/api/events/${slug}/signing-keys`)).body;
    const newKey = keys.find((k: { active: boolean }) => k.active).keyId as string;
    expect(newKey).not.toBe(oldKey);
    await shot(page, '02-rotated', true);

    await page.click(`#signing-key-list tr[data-key="${oldKey}"] button`);
    await page.waitForSelector('#retire-dialog[open]');
    expect(await page.locator('#retire-dialog').textContent()).toContain('2 Badges');
    await shot(page, '03-confirm-retire');
    await page.click('#confirm-retire');
    await waitFor('the key shown retired', async () => (await rowState(oldKey)) === 'retired');
    await page.waitForSelector('#key-print-affected');
    expect(await page.locator('.pj-keys-affected').textContent()).toContain('2 gültige Badges');
    await shot(page, '04-retired', true);
    await expectAccessible('keys: one retired');

    await page.click('#key-print-affected');
    await page.waitForSelector('#print-download', { timeout: 60_000 });
    expect(await page.locator('#key-notice').textContent()).toContain('2 Badges neu ausgestellt');
    expect(await page.locator('#current-job').getAttribute('data-status')).toBe('done');
    await shot(page, '05-printed', true);
    const badges = await Promise.all(people.map(badgeOf));
    expect(badges.map((b) => [b.version, decodeTicket(b.qr).claims.keyId])).toEqual([
      [2, newKey],
      [2, newKey],
    ]);
    const { body: jobs } = await running.badges.get(`/api/events/${slug}/print-jobs`);
    expect(jobs[0]).toMatchObject({ status: 'done', total: 2 });
    expect([...jobs[0].filter.ids].sort()).toEqual([...people].sort());
    // Nothing left to re-issue: the button is gone.
    await waitFor(
      'the affected count to clear',
      async () => (await page.locator('#key-print-affected').count()) === 0,
    );
  }, 120_000);
});
