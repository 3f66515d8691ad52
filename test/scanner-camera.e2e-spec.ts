import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import {
  createSampleCongress,
  pdfAsFakeCameraVideo,
  screenshots,
  ServiceProcesses,
  startThreeServices,
  uniqueSlug,
  waitFor,
  signInToScanner,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * The camera path of the scanner page: Chromium's fake camera shows a badge as printed (its PDF,
 * rasterised), the page reads the QR code in the video and admits its holder. Over plain HTTP to
 * 127.0.0.1 (a secure context for the browser); test/https.e2e-spec.ts covers the network address.
 */
describe('the scanner page reading a printed badge with the camera', () => {
  let services: ServiceProcesses;
  let browser: Browser;
  const slug = uniqueSlug('camera');
  const dir = mkdtempSync(join(tmpdir(), 'einlass-camera-'));
  const video = join(dir, 'badge.y4m');
  const shot = screenshots('scanner-camera');

  afterAll(async () => {
    await browser?.close();
    await services?.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('admits the holder of the badge held up to the camera', async () => {
    const started = await startThreeServices(5904);
    services = started.services;
    const { registration, badges, checkin } = started;
    await createSampleCongress(registration, { ...SAMPLE_EVENT, slug });
    const { body } = await registration.get(`/api/events/${slug}/attendees?q=TEGK23-00011&limit=1`);
    const holder = body.items[0];
    const pdf = await waitFor('the badge PDF', async () => {
      const response = await badges.get(`/api/events/${slug}/attendees/${holder.id}/badge.pdf`);
      return response.status === 200 ? (response.body as Buffer) : undefined;
    });
    await pdfAsFakeCameraVideo(pdf, video);
    const token = await registration.post('/api/tokens', {
      role: 'door',
      label: 'Kamera Nord',
      events: [slug],
    });
    expect(token.status).toBe(201);
    await waitFor('check-in to know the badge', async () => {
      const snapshot = await checkin
        .withToken(token.body.token)
        .get(`/api/events/${slug}/scan-snapshot`);
      return snapshot.status === 200 && snapshot.body.badges[holder.id]?.version === 1;
    });

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    const origin = services.url('checkin');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.grantPermissions(['camera'], { origin });
    const page = await context.newPage();
    await page.goto(`${origin}/scan`);
    await signInToScanner(page, { token: token.body.token, slug: slug, gate: 'Nord' });

    await page.click('#camera-toggle');
    await page.waitForSelector('#result[data-result="admitted"]', { timeout: 30_000 });
    await shot(page, '01-admitted-by-camera');
    const { body: log } = await checkin.get(`/api/events/${slug}/checkins?limit=10`);
    expect(log.items).toContainEqual(
      expect.objectContaining({
        attendee: expect.objectContaining({ id: holder.id }),
        result: 'admitted',
      }),
    );
  }, 180_000);
});
