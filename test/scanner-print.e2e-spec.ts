import type { Browser, Page } from 'playwright-core';
import {
  launchChromium,
  RunningServices,
  scannerSnapshotOnDevice,
  screenshots,
  startThreeServices,
  uniqueSlug,
  waitFor,
  signInToScanner,
  countPrintDialogs,
  printDialogsOpened,
} from '@einlass/testing';

interface Person {
  id: string;
  name: string;
  qr: string;
}

/**
 * "Print badge" on the scanner page (issue 15) in Debian's Chromium, against the three services
 * as processes: with the event's `devicesMayPrint` off the search offers no button; once the
 * organisers allow it, the button re-issues the person's badge through the badges service, fetches
 * the new PDF and hands it to the print dialog, and the lost badge then answers `revoked` at the
 * door while the new one admits. Screenshots in test-artifacts/scanner-print.
 */
describe('printing a badge from the scanner page', () => {
  let running: RunningServices;
  const slug = uniqueSlug('scanprint');
  let browser: Browser;
  let page: Page;
  const shot = screenshots('scanner-print');
  let doorToken: string;
  let person: Person;
  const blocked: string[] = [];

  const waitForResult = (value: string) =>
    page.waitForSelector(`#result[data-result="${value}"]`, { timeout: 10_000 });
  const scanWithHandheld = async (qr: string) => {
    await page.keyboard.type(qr, { delay: 0 });
    await page.keyboard.press('Enter');
  };
  const badge = async () =>
    (await running.badges.get(`/api/events/${slug}/attendees/${person.id}/badge`)).body as {
      version: number;
      qr: string;
    };
  /** What the page holds of the door settings: the snapshot it keeps (IndexedDB). */
  const pageMayPrint = async () =>
    ((await scannerSnapshotOnDevice(page))?.snapshot as { devicesMayPrint?: boolean } | undefined)
      ?.devicesMayPrint;
  const search = async (text: string) => {
    await page.click('#search-open');
    await page.fill('#search-input', text);
    await page.waitForSelector(`#admit-${person.id}`);
  };

  beforeAll(async () => {
    running = await startThreeServices(6171);
    const created = await running.registration.post('/api/events', {
      slug,
      name: 'Fachtag Druck an der Tür',
      startsAt: '2030-10-24T06:00:00Z',
      endsAt: '2030-10-24T16:00:00Z',
      timezone: 'Europe/Berlin',
    });
    expect(created.status).toBe(201);
    const { body } = await running.registration.post(`/api/events/${slug}/attendees`, {
      firstName: 'Klara',
      lastName: 'Ohnebadge',
      organisation: 'Stadtverwaltung Erfurt',
      category: 'speaker',
    });
    const issued = await waitFor('the badge', async () => {
      const b = (await running.badges.get(`/api/events/${slug}/attendees/${body.id}/badge`)).body;
      return b.status === 'issued' ? b : undefined;
    });
    person = { id: body.id, name: 'Klara Ohnebadge', qr: issued.qr };
    const token = await running.registration.post('/api/tokens', {
      role: 'door',
      label: 'Tablet Süd',
      events: [slug],
    });
    expect(token.status).toBe(201);
    doorToken = token.body.token;
    const door = running.checkin.withToken(doorToken);
    await waitFor('check-in to know the badge and the door token', async () => {
      const { status, body: snapshot } = await door.get(`/api/events/${slug}/scan-snapshot`);
      return status === 200 && snapshot.badges[person.id]?.version === 1;
    });

    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    });
    // Headless Chromium has no print dialog: the print frame's print() is counted instead.
    await countPrintDialogs(context, 'print-frame');
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await running?.services.stopAll();
  }, 30_000);

  it('offers no "Print badge" while the event does not allow it', async () => {
    const response = await page.goto(`${running.services.url('checkin')}/scan`);
    // the page may reach the badges service, and nothing else beyond check-in
    const csp = response?.headers()['content-security-policy'] ?? '';
    const [checkinUrl, badgesUrl] = [
      running.services.url('checkin'),
      running.services.url('badges'),
    ].map((url) => new URL(url));
    const badgesOrigin = `${checkinUrl.protocol}//${checkinUrl.hostname}:${badgesUrl.port}`;
    expect(csp).toContain(`connect-src 'self' ${badgesOrigin};`);
    await signInToScanner(page, { token: doorToken, slug: slug, gate: 'Süd' });
    expect(await pageMayPrint()).toBe(false);

    await search('Ohnebadge');
    expect(await page.locator(`#print-${person.id}`).count()).toBe(0);
    await shot(page, '01-search-without-print');
    await page.click('#search-close');
  }, 60_000);

  it('re-issues the badge and prints it from the search; the old code is then revoked', async () => {
    const put = await running.checkin.request('PUT', `/api/events/${slug}/door-settings`, {
      devicesMayPrint: true,
    });
    expect(put.status).toBe(200);
    const doorBadges = running.badges.withToken(doorToken);
    // Heard: a door token's PDF request is refused only for not having re-issued the badge.
    await waitFor('badges to let door tokens print', async () => {
      const pdf = await doorBadges.get(`/api/events/${slug}/attendees/${person.id}/badge.pdf`);
      return pdf.status === 403 && !String(pdf.body.message).includes('devicesMayPrint');
    });
    // The page learns it with its next snapshot: at start-up (a reload here), or within 30 s.
    await page.reload();
    await waitForResult('ready');
    await waitFor(
      'the page to learn that it may print',
      async () => (await pageMayPrint()) === true,
    );

    await search('Ohnebadge');
    await page.waitForSelector(`#print-${person.id}`);
    expect(await page.locator(`#print-${person.id}`).textContent()).toBe('Badge drucken');
    await shot(page, '02-search-with-print');

    const reissued = page.waitForResponse(
      (r) => r.url().endsWith('/badge/reissue') && r.request().method() === 'POST',
    );
    const pdf = page.waitForResponse(
      (r) => r.url().endsWith('/badge.pdf') && r.request().method() === 'GET',
    );
    await page.click(`#print-${person.id}`);
    const reissue = await reissued;
    expect(reissue.status()).toBe(200);
    const pdfResponse = await pdf;
    expect(pdfResponse.status()).toBe(200);
    expect(pdfResponse.headers()['content-type']).toContain('application/pdf');
    await page.waitForSelector('#print-open');
    expect(await page.locator('#search-note').textContent()).toContain(
      'Das alte Badge gilt nicht mehr',
    );
    // the PDF went to the print frame, and the page's CSP let it load
    expect(await page.getAttribute('#print-frame', 'src')).toMatch(/^blob:/);
    await waitFor('the print dialog asked for', async () => (await printDialogsOpened(page)) === 1);
    expect(blocked).toEqual([]);
    await shot(page, '03-printed');

    // The re-issue happened: version 2 at badges, and check-in refuses the lost badge.
    const now = await badge();
    expect(now.version).toBe(2);
    expect(now.qr).not.toBe(person.qr);
    await waitFor('check-in to know the new badge', async () => {
      const { body } = await running.checkin
        .withToken(doorToken)
        .get(`/api/events/${slug}/scan-snapshot`);
      return body.badges[person.id]?.version === 2;
    });
    await page.click('#search-close');
    await scanWithHandheld(person.qr);
    await waitForResult('revoked');
    await shot(page, '04-old-badge-revoked');
    await scanWithHandheld(now.qr);
    await waitForResult('admitted');
    expect(await page.locator('#result').textContent()).toContain(person.name);
    await shot(page, '05-new-badge-admitted');
  }, 90_000);
});
