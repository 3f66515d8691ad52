import type { Browser, Page } from 'playwright-core';
import {
  launchChromium,
  RunningServices,
  screenshots,
  seriousAccessibilityViolations,
  signInToOrganiserPages,
  startThreeServices,
  uniqueSlug,
  waitFor,
  countPrintDialogs,
  printDialogsOpened,
} from '@einlass/testing';

interface Workshop {
  code: string;
  signedUp: number;
  waiting: number;
}

/**
 * The registration desk (issue 17) in Debian's Chromium on a tablet-sized screen, against the
 * three services as processes: a desk token registers a walk-in from the one form (the badge PDF
 * fetched for printing, the person admitted at the desk's gate), then a substitute takes over a
 * registration (the old badge answers revoked at the door, the substitute holds the workshop
 * place, no place changes hands). Screenshots in test-artifacts/desk.
 */
describe('the registration desk in a real browser', () => {
  let running: RunningServices;
  const slug = uniqueSlug('desk');
  let browser: Browser;
  let page: Page;
  const shot = screenshots('desk');
  let deskToken: string;
  let adler: { id: string; qr: string };
  let bauerId: string;
  const blocked: string[] = [];

  const workshops = async (): Promise<Workshop[]> =>
    ((await running.registration.get(`/api/events/${slug}/sessions`)).body as Workshop[]).map(
      ({ code, signedUp, waiting }) => ({ code, signedUp, waiting }),
    );
  const issuedQr = async (id: string): Promise<string> => {
    let qr = '';
    await waitFor('the badge', async () => {
      const { body } = await running.badges.get(`/api/events/${slug}/attendees/${id}/badge`);
      qr = body.qr ?? '';
      return body.status === 'issued';
    });
    return qr;
  };
  const formValue = (selector: string) =>
    page.$eval(selector, (input: any) => input.value as string);

  beforeAll(async () => {
    running = await startThreeServices(5951);
    const created = await running.registration.post('/api/events', {
      slug,
      name: 'Fachtag Digitale Verwaltung',
      startsAt: '2030-10-24T06:00:00Z',
      endsAt: '2030-10-24T16:00:00Z',
      timezone: 'Europe/Berlin',
    });
    expect(created.status).toBe(201);
    const at = { startsAt: '2030-10-24T09:00:00Z', endsAt: '2030-10-24T10:00:00Z', room: 'R1' };
    const programme = await running.registration.post(`/api/events/${slug}/sessions`, [
      { ...at, code: 'W1', title: 'Workshop: E-Akte', capacity: 20, kind: 'workshop' },
      { ...at, code: 'W2', title: 'Workshop: Barrierefreiheit', capacity: 1, kind: 'workshop' },
    ]);
    expect(programme.status).toBe(200);
    // Adler holds W2's only place, Bauer waits for it.
    const register = async (lastName: string) =>
      (
        await running.registration.post(`/api/events/${slug}/attendees`, {
          firstName: 'Test',
          lastName,
          organisation: 'Landratsamt Gotha',
          category: 'attendee',
          sessions: ['W2'],
        })
      ).body.id as string;
    const adlerId = await register('Adler');
    bauerId = await register('Bauer');
    adler = { id: adlerId, qr: await issuedQr(adlerId) };
    const token = await running.registration.post('/api/tokens', {
      role: 'desk',
      label: 'Empfang Foyer',
      events: [slug],
      gates: ['Empfang', 'Foyer'],
    });
    expect(token.status).toBe(201);
    deskToken = token.body.token;

    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 820, height: 1180 },
      hasTouch: true,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    });
    // Headless Chromium has no print dialog: the print frame's print() is counted instead.
    await countPrintDialogs(context, 'desk-print-frame');
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await running?.services.stopAll();
  }, 30_000);

  it('signs a desk token in to the desk page only', async () => {
    await page.goto(`${running.services.url('checkin')}/dashboard#/attendees`);
    await signInToOrganiserPages(page, deskToken, slug);
    await page.waitForSelector('#desk-firstName');
    const tabs = await page.$$eval('nav.tabs a', (links: any[]) =>
      links.map((a) => a.textContent as string),
    );
    expect(tabs).toEqual(['Empfang']);
    expect(await formValue('#desk-gate')).toBe('Empfang');
    // the full workshop says so
    expect(await page.locator('label.org-check', { hasText: 'W2' }).textContent()).toContain(
      'voll',
    );
    await shot(page, '01-desk-empty', true);
  }, 60_000);

  it('registers, prints and admits a walk-in from the one form, then clears it', async () => {
    await page.fill('#desk-firstName', 'Jana');
    await page.fill('#desk-lastName', 'Nachmeldung');
    await page.fill('#desk-organisation', 'Stadtverwaltung Jena');
    await page.selectOption('#desk-category', 'press');
    await page.check('input[name="sessions"][value="W1"]');
    const pdf = page.waitForResponse(
      (r) => r.url().endsWith('/badge.pdf') && r.request().method() === 'GET',
    );
    const started = Date.now();
    await page.click('form.org-form button[type="submit"]');
    const pdfResponse = await pdf;
    expect(pdfResponse.status()).toBe(200);
    expect(pdfResponse.headers()['content-type']).toContain('application/pdf');
    await page.waitForSelector('#desk-result[data-result="admitted"]', { timeout: 60_000 });
    console.log(
      `desk: a walk-in took ${((Date.now() - started) / 1000).toFixed(1)} s from the button to the green result (the page says ${await page.getAttribute('#desk-result', 'data-seconds')} s)`,
    );
    expect(await page.locator('#desk-result').textContent()).toContain('Jana Nachmeldung');
    // the PDF went to the print frame, and the page kept no CSP from loading it
    const frameSrc = await page.getAttribute('#desk-print-frame', 'src');
    expect(frameSrc).toMatch(/^blob:/);
    expect(blocked).toEqual([]);
    await waitFor('the print dialog asked for', async () => (await printDialogsOpened(page)) === 1);
    // the form is empty for the next person
    expect(await formValue('#desk-firstName')).toBe('');
    expect(await formValue('#desk-lastName')).toBe('');
    await shot(page, '02-walk-in-admitted', true);

    // Check-in's attendance shows the person at the desk's gate; registration has their place.
    const found = await running.registration.get(`/api/events/${slug}/attendees?q=Nachmeldung`);
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({ category: 'press', sessions: ['W1'] });
    const attendance = await running.checkin.get(`/api/events/${slug}/attendance`);
    expect(attendance.body).toMatchObject({ checkedIn: 1, onSite: 1, byGate: { Empfang: 1 } });
    const log = await running.checkin.get(`/api/events/${slug}/checkins`);
    expect(log.body.items[0]).toMatchObject({
      gate: 'Empfang',
      result: 'admitted',
      attendee: { id: found.body.items[0].id, name: 'Jana Nachmeldung' },
    });
  }, 90_000);

  it('shows a refused entry next to its field and keeps the form; nobody is registered', async () => {
    await page.fill('#desk-firstName', 'Falsch');
    await page.fill('#desk-lastName', 'Adresse');
    await page.fill('#desk-email', 'keine-adresse');
    await page.click('form.org-form button[type="submit"]');
    await page.waitForSelector('#desk-email-error');
    expect(await page.locator('#desk-email-error').textContent()).toContain('gültige E-Mail');
    expect(await formValue('#desk-firstName')).toBe('Falsch');
    const found = await running.registration.get(`/api/events/${slug}/attendees?q=Adresse`);
    expect(found.body.items).toEqual([]);
    await shot(page, '03-refused-email', true);
    await page.fill('#desk-firstName', '');
    await page.fill('#desk-lastName', '');
    await page.fill('#desk-email', '');
  }, 60_000);

  it('replaces a registration: the substitute takes the place, the old badge is revoked', async () => {
    const before = await workshops();
    await page.click('#desk-mode-replace');
    await page.fill('#desk-search', 'Adler');
    await page.click('form.desk-search button[type="submit"]');
    await page.click(`.desk-pick[data-id="${adler.id}"]`);
    expect(await page.locator('#desk-replacing').textContent()).toContain('W2');
    await page.fill('#desk-sub-firstName', 'Sven');
    await page.fill('#desk-sub-lastName', 'Vertretung');
    await shot(page, '04-replace-form', true);
    await page.click('form.org-form button[type="submit"]');
    await waitFor('the substitute admitted', async () =>
      ((await page.locator('#desk-result').textContent()) ?? '').includes('Sven Vertretung'),
    );
    expect(await page.getAttribute('#desk-result', 'data-result')).toBe('admitted');
    await shot(page, '05-substitute-admitted', true);

    const substitute = (
      await running.registration.get(`/api/events/${slug}/attendees?q=Vertretung`)
    ).body.items[0];
    expect(substitute).toMatchObject({ sessions: ['W2'], category: 'attendee' });
    expect(
      (await running.registration.get(`/api/events/${slug}/attendees/${adler.id}`)).body,
    ).toMatchObject({ status: 'cancelled', sessions: [] });
    // No place changed hands: W2 still full, Bauer still waiting.
    expect(await workshops()).toEqual(before);
    expect(
      (await running.registration.get(`/api/events/${slug}/attendees/${bauerId}`)).body,
    ).toMatchObject({ sessions: [], waitlist: ['W2'] });
    // The old badge is revoked at the door; the substitute's admits them to the workshop.
    await waitFor('the old badge revoked at the door', async () => {
      const scan = await running.checkin.post(`/api/events/${slug}/scan`, {
        qr: adler.qr,
        gate: 'Nord',
      });
      return scan.body.result === 'revoked';
    });
    const workshop = await running.checkin.post(`/api/events/${slug}/scan`, {
      qr: await issuedQr(substitute.id),
      gate: 'Nord',
      list: 'W2',
    });
    expect(workshop.body.result).toBe('admitted');
  }, 90_000);
  it('has no serious or critical accessibility violations (axe-core), in both modes', async () => {
    // bypassCSP only so axe-core can be injected; the tests above ran under the real CSP.
    const context = await browser.newContext({
      viewport: { width: 820, height: 1180 },
      locale: 'de-DE',
      bypassCSP: true,
    });
    const axePage = await context.newPage();
    await axePage.goto(`${running.services.url('checkin')}/dashboard#/desk`);
    await signInToOrganiserPages(axePage, deskToken, slug);
    await axePage.waitForSelector('#desk-firstName');
    expect(await seriousAccessibilityViolations(axePage)).toEqual([]);
    await axePage.click('#desk-mode-replace');
    await axePage.fill('#desk-search', 'Bauer');
    await axePage.click('form.desk-search button[type="submit"]');
    await axePage.waitForSelector('.desk-pick');
    expect(await seriousAccessibilityViolations(axePage)).toEqual([]);
    await context.close();
  }, 60_000);
});
