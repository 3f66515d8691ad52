import { Queue } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { redisOptionsFromUrl } from '@einlass/messaging';
import {
  decodeQrCodesInPng,
  qrPicture,
  launchChromium,
  RunningServices,
  screenshots,
  signInToOrganiserPages,
  seriousAccessibilityViolations,
  serviceEnv,
  startThreeServices,
  TEST_ORGANISER_TOKEN,
  TEST_REDIS_URL,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT, sampleProgrammeCsv } from '../apps/registration/testing';

/** A 1×1 PNG, the smallest logo there is. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

interface TokenView {
  id: string;
  role: string;
  label: string;
  gates: string[];
  events: string[];
}

/**
 * The organisers' set-up page (#/setup) in Debian's Chromium against the three services: equip
 * a door device with a token of its own and take it back, name the gates, upload the programme,
 * design the badges. Each step is checked where it takes effect, through the API, as a steward's
 * device or the printer would meet it. Screenshots in test-artifacts/setup-page.
 */
describe('the set-up page in a real browser', () => {
  let running: RunningServices;
  const slug = uniqueSlug('setup');
  let browser: Browser;
  let page: Page;
  const shot = screenshots('setup-page');
  const token = process.env.ORGANISER_TOKEN ?? TEST_ORGANISER_TOKEN;

  const outcome = (section: string) => page.locator(`#setup-${section}-outcome`);
  const expectAccessible = async (what: string) => {
    const violations = await seriousAccessibilityViolations(page);
    expect({ what, violations }).toEqual({ what, violations: [] });
  };
  /** A check-in request made with a door device's token. */
  const asDevice = (deviceToken: string, path: string) =>
    fetch(`${running.services.url('checkin')}${path}`, {
      headers: { authorization: `Bearer ${deviceToken}` },
    });

  beforeAll(async () => {
    running = await startThreeServices(5501);
    const created = await running.registration.post('/api/events', { ...SAMPLE_EVENT, slug });
    expect(created.status).toBe(201);
    // The badges service learns of the event from the queue; its design is edited there.
    await waitFor('the badges service to know the event', async () => {
      const branding = await running.badges.get(`/api/events/${slug}/branding`);
      return branding.status === 200 || undefined;
    });
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      bypassCSP: true, // for axe-core only; organiser-pages checks the real CSP
    });
    page = await context.newPage();
    await page.goto(`${running.services.url('checkin')}/dashboard#/setup`);
    await signInToOrganiserPages(page, token, slug);
    await page.waitForSelector('#setup-tokens');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await running?.services.stopAll();
  }, 30_000);

  it('shows the parts of the set-up, accessibly', async () => {
    for (const id of [
      'setup-tokens',
      'setup-doors',
      'setup-phones',
      'setup-devices',
      'setup-programme',
      'setup-design',
      'setup-pipeline',
    ]) {
      expect(await page.locator(`#${id}`).isVisible()).toBe(true);
    }
    await shot(page, '01-setup', true);
    await expectAccessible('set-up page');
  });

  it("shows phones the scanner's address as a QR code; without a local authority, says so", async () => {
    const card = page.locator('[data-testid="scanner-link"]');
    await card.locator('svg').waitFor();
    const read = await decodeQrCodesInPng(await qrPicture(page, card.locator('svg')));
    expect(read).toEqual([`${running.services.url('checkin')}/scan`]);
    // These services were given no certificate authority (no TLS_CA_FILE): nothing to download.
    const phones = page.locator('section[aria-labelledby="setup-phones"]');
    await phones.getByText('Keine eigene Zertifizierungsstelle').waitFor();
    expect(await page.locator('[data-testid="ca-download"]').count()).toBe(0);
  });

  it('lists the door devices: online, gate, scans not sent, a clock that is off', async () => {
    const reported = await fetch(
      `${running.services.url('checkin')}/api/events/${slug}/devices/report`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          deviceId: 'web-setup1',
          gate: 'Nord',
          list: 'main',
          direction: 'in',
          queued: 4,
          conflicts: 0,
          clock: new Date(Date.now() - 5 * 60_000).toISOString(),
        }),
      },
    );
    expect(reported.status).toBe(200);
    await page.reload();
    const row = page.locator(
      'section[aria-labelledby="setup-devices"] tr[data-device="web-setup1"]',
    );
    await row.waitFor();
    expect(await row.getAttribute('data-online')).toBe('true');
    expect(await row.locator('[data-cell="queued"]').innerText()).toBe('4');
    expect(await row.locator('[data-cell="clock"]').innerText()).toMatch(/^⚠ -(29\d|30\d) s$/);
    await shot(page, '02-devices', true);
  });

  it('gives a door device a token for two gates of this event, shown once, and takes it back', async () => {
    await page.fill('input[name=token-label]', 'Eingang Nord, Handy 1');
    await page.fill('input[name=token-gates]', 'Nord, Süd, Nord');
    await page.click('section:has(#setup-tokens) form button[type=submit]');
    const shown = (await page.locator('[data-testid=new-door-token]').textContent())?.trim() ?? '';
    expect(shown.length).toBeGreaterThanOrEqual(16);
    await shot(page, '02-door-token-created');

    const { body: tokens } = (await running.registration.get('/api/tokens')) as {
      body: TokenView[];
    };
    const made = tokens.find((t) => t.label === 'Eingang Nord, Handy 1');
    expect(made).toMatchObject({ role: 'door', gates: ['Nord', 'Süd'], events: [slug] });
    // The sample congress is over: the device's token ends a day from now (else a day after the end).
    const expiresIn =
      Date.parse((made as TokenView & { expiresAt: string }).expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(23 * 3600_000);
    expect(expiresIn).toBeLessThan(25 * 3600_000);
    // The device can fetch what it needs for the door, and nothing of another event.
    expect((await asDevice(shown, `/api/events/${slug}/scan-snapshot`)).status).toBe(200);
    expect((await asDevice(shown, `/api/events/some-other-event/scan-snapshot`)).status).toBe(403);
    // Listed without its secret.
    const row = page.locator('section:has(#setup-tokens) tbody tr', {
      hasText: 'Eingang Nord, Handy 1',
    });
    expect(await row.textContent()).toContain('Nord, Süd');
    expect(await page.locator('section:has(#setup-tokens) table').textContent()).not.toContain(
      shown,
    );

    page.once('dialog', (dialog) => void dialog.accept());
    await row.locator('button.danger').click();
    await waitFor('the revocation to be confirmed', async () =>
      (await outcome('tokens').textContent())?.includes('widerrufen') ? true : undefined,
    );
    expect(
      await page.locator('section:has(#setup-tokens) tbody tr', { hasText: 'Handy 1' }).count(),
    ).toBe(0);
    // Within the guard's few seconds of memory, the token stops working.
    await waitFor(
      'the revoked token to be refused',
      async () =>
        (await asDevice(shown, `/api/events/${slug}/scan-snapshot`)).status === 401 || undefined,
    );
  });

  it('names the gates of the entrance: a scan at another gate is refused; devices may print', async () => {
    await page.fill('input[name=gates]', 'Nord, Süd');
    await page.check('input[name=devices-hold-names]');
    await page.check('input[name=devices-may-print]');
    await page.click('section:has(#setup-doors) button[type=submit]');
    await waitFor('the door settings to be saved', async () =>
      (await outcome('doors').textContent())?.includes('Gespeichert') ? true : undefined,
    );
    const { body: settings } = await running.checkin.get(`/api/events/${slug}/door-settings`);
    expect(settings).toEqual({
      gates: ['Nord', 'Süd'],
      devicesHoldNames: true,
      devicesMayPrint: true,
    });
    const elsewhere = await running.checkin.post(`/api/events/${slug}/scan`, {
      qr: 'NOT-A-BADGE',
      gate: 'West',
    });
    expect(elsewhere.status).toBe(400);
    expect(JSON.stringify(elsewhere.body.message)).toContain('Nord, Süd');
    // After a reload the page shows what is stored.
    await page.reload();
    await page.waitForSelector('input[name=gates]');
    await waitFor(
      'the stored gates',
      async () => (await page.inputValue('input[name=gates]')) === 'Nord, Süd' || undefined,
    );
    expect(await page.isChecked('input[name=devices-hold-names]')).toBe(true);
    expect(await page.isChecked('input[name=devices-may-print]')).toBe(true);
  });

  it('uploads the programme and lists its sessions; asks for a file first, refuses a picture', async () => {
    await page.click('section:has(#setup-programme) button[type=submit]');
    expect(await outcome('programme').textContent()).toContain('Bitte zuerst eine Datei');

    await page.setInputFiles('input[name=programme]', {
      name: 'foto.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await page.click('section:has(#setup-programme) button[type=submit]');
    await waitFor(
      'the refusal',
      async () => (await outcome('programme').getAttribute('role')) === 'alert' || undefined,
    );
    expect((await running.registration.get(`/api/events/${slug}/sessions`)).body).toEqual([]);

    const programme = sampleProgrammeCsv();
    const sessions = programme.toString('utf8').split(/\r?\n/).filter(Boolean).length - 1;
    await page.setInputFiles('input[name=programme]', {
      name: 'sessions.csv',
      mimeType: 'text/csv',
      buffer: programme,
    });
    await page.click('section:has(#setup-programme) button[type=submit]');
    await waitFor('the programme to be listed', async () =>
      (await page.locator('section:has(#setup-programme) tbody tr').count()) === sessions
        ? true
        : undefined,
    );
    expect(await outcome('programme').textContent()).toContain(`${sessions} neu angelegt`);
    const { body: stored } = await running.registration.get(`/api/events/${slug}/sessions`);
    expect(stored).toHaveLength(sessions);
    await shot(page, '03-programme', true);
    await expectAccessible('set-up page with the programme');
  });

  it('designs the badge: English labels, a colour for speakers, a logo added and removed', async () => {
    await page.selectOption('select[name=labels]', 'en');
    await page.fill('input[name=colour-speaker]', '#b3261e');
    await page.click('section:has(#setup-design) form button[type=submit]');
    await waitFor('the design to be saved', async () =>
      (await outcome('design').textContent())?.includes('Gespeichert') ? true : undefined,
    );
    const { body: design } = await running.badges.get(`/api/events/${slug}/branding`);
    expect(design).toMatchObject({
      labels: 'en',
      categoryColours: expect.objectContaining({ speaker: '#b3261e' }),
      hasLogo: false,
    });

    await page.setInputFiles('input[name=logo]', {
      name: 'logo.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await page.click('section:has(#setup-design) .setup-logo-actions button:not(.danger)');
    await page.waitForSelector('.setup-logo-preview');
    expect((await running.badges.get(`/api/events/${slug}/branding`)).body).toMatchObject({
      hasLogo: true,
      logoType: 'image/png',
    });
    await shot(page, '04-design-with-logo');

    await page.click('section:has(#setup-design) .setup-logo-actions button.danger');
    await waitFor(
      'the logo to be gone',
      async () => (await page.locator('.setup-logo-preview').count()) === 0 || undefined,
    );
    expect((await running.badges.get(`/api/events/${slug}/branding`)).body).toMatchObject({
      hasLogo: false,
    });
  });

  it("shows each service's messages: nothing waiting, the queues, the last reconciliation", async () => {
    const section = page.locator('section:has(#setup-pipeline)');
    await section.scrollIntoViewIfNeeded();
    for (const service of ['registration', 'badges', 'checkin']) {
      const row = section.locator(`tr[data-service=${service}]`);
      await waitFor(`the ${service} row`, async () =>
        (await row.locator('[data-cell=unsent]').count()) > 0 ? true : undefined,
      );
      // Everything is delivered (the start-up reconciliation's messages may still be on their
      // way): the page says so in numbers, as the service does in its API.
      await waitFor(`${service}'s outbox to be empty`, async () => {
        const { body } = await running[service as 'registration'].get(
          `/api/events/${slug}/pipeline`,
        );
        return body.outbox.unsent === 0 ? true : undefined;
      });
      await waitFor(`the page to show ${service}'s empty outbox`, async () => {
        if ((await row.locator('[data-cell=unsent]').textContent()) === '0') return true;
        await section.locator('button', { hasText: 'Aktualisieren' }).click();
        return undefined;
      });
      expect(await row.locator('[data-cell=failed]').textContent()).toBe('0');
      expect(await row.locator('[data-cell=repairs]').textContent()).toBe('nichts');
    }
    // Registration consumes only the door feed: it asked for summaries at start-up.
    expect(
      await section.locator('tr[data-service=registration] [data-cell=last-run]').textContent(),
    ).not.toBe('noch nie');
    await shot(page, '06-pipeline');
    await expectAccessible('set-up page with the pipeline');
  });

  it('shows each service up, and a failed message with why; its retry button queues it again', async () => {
    const section = page.locator('section:has(#setup-pipeline)');
    for (const service of ['registration', 'badges', 'checkin']) {
      expect(
        await section.locator(`tr[data-service=${service}] [data-cell=status]`).textContent(),
      ).toBe('✓ läuft');
    }
    await section.getByText('Keine fehlgeschlagenen Nachrichten.').waitFor();

    // A message the badges service cannot handle (it lacks the person), tried once.
    const queue = new Queue('badges', {
      prefix: serviceEnv().QUEUE_PREFIX,
      connection: redisOptionsFromUrl(TEST_REDIS_URL),
    });
    const job = await queue.add(
      'attendee.registered',
      {
        messageId: `test-${Date.now()}`,
        type: 'attendee.registered',
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        payload: {},
      },
      { attempts: 1 },
    );
    try {
      await waitFor('the job to fail', async () =>
        (await job.getState()) === 'failed' ? true : undefined,
      );
      const row = section.locator(`[data-failed-service=badges] tr[data-job="${job.id}"]`);
      await waitFor('the page to list the failed message', async () => {
        if ((await row.count()) > 0) return true;
        await section.locator('button', { hasText: 'Aktualisieren' }).click();
        return undefined;
      });
      expect(await row.textContent()).toContain('attendee.registered');
      expect(await row.textContent()).toMatch(/Required|erforderlich/);
      expect(
        await section.locator('tr[data-service=badges] [data-cell=failed]').textContent(),
      ).toBe('1');
      await shot(page, '07-failed-message');
      await expectAccessible('set-up page with a failed message');

      await row.getByRole('button', { name: 'Erneut versuchen' }).click();
      await section.getByText('1 Nachricht erneut eingereiht.').waitFor();
      // Still broken, it is tried a second time and fails again: the queue did take it back.
      await waitFor('the second attempt to fail', async () => {
        const again = await queue.getJob(job.id!);
        return again?.attemptsMade === 2 && (await again.getState()) === 'failed'
          ? true
          : undefined;
      });
      await section.locator('button', { hasText: 'Aktualisieren' }).click();
      await waitFor('the page to show two attempts', async () =>
        (await row.locator('td').nth(3).textContent()) === '2' ? true : undefined,
      );
    } finally {
      await job.remove().catch(() => undefined);
      await queue.close();
    }
  });
});
