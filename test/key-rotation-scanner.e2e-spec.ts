import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ApiClient,
  createSampleCongress,
  launchChromium,
  RunningServices,
  scannerSnapshotOnDevice,
  screenshots,
  startThreeServices,
  uniqueSlug,
  waitFor,
  signInToScanner,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * A door device and a retired key, in Debian's Chromium: a device that held the old key admits
 * its badges offline; once the organisers retire the key and the device has its next snapshot,
 * it refuses them offline as revoked, saying a re-printed badge is needed, and so does the server.
 */
describe('a retired key on an offline door device', () => {
  let running: RunningServices;
  const slug = uniqueSlug('keys-door');
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let door: ApiClient;
  let doorToken: string;
  const shot = screenshots('key-rotation-scanner');
  const qrs: string[] = [];

  const scanWithHandheld = async (qr: string) => {
    await page.keyboard.type(qr, { delay: 0 });
    await page.keyboard.press('Enter');
  };
  const snapshotOnDevice = async () => (await scannerSnapshotOnDevice(page))?.snapshot ?? null;

  beforeAll(async () => {
    running = await startThreeServices(5831);
    const { registration, badges, checkin } = running;
    await createSampleCongress(registration, { ...SAMPLE_EVENT, slug }, null);
    for (const lastName of ['Kranich', 'Reiher']) {
      const created = await registration.post(`/api/events/${slug}/attendees`, {
        firstName: 'Jana',
        lastName,
        category: 'attendee',
      });
      const id = created.body.id as string;
      qrs.push(
        await waitFor(`${lastName}'s badge`, async () => {
          const { body } = await badges.get(`/api/events/${slug}/attendees/${id}/badge`);
          return body.status === 'issued' ? (body.qr as string) : undefined;
        }),
      );
    }
    const token = await registration.post('/api/tokens', {
      role: 'door',
      label: 'Tablet Süd',
      events: [slug],
    });
    doorToken = token.body.token;
    door = checkin.withToken(doorToken);
    await waitFor('check-in to know both badges', async () => {
      const { status, body } = await door.get(`/api/events/${slug}/scan-snapshot`);
      return status === 200 && Object.keys(body.badges).length === 2;
    });
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await running?.services.stopAll();
  }, 30_000);

  it('admits the old key offline before, and refuses it offline after the retirement', async () => {
    await page.goto(`${running.services.url('checkin')}/scan`);
    await signInToScanner(page, { token: doorToken, slug: slug, gate: 'Süd' });

    await context.setOffline(true);
    await page.waitForSelector('#status.offline');
    await scanWithHandheld(qrs[0]);
    await page.waitForSelector('#result[data-result="admitted"]');
    await context.setOffline(false);
    await page.waitForSelector('#status.online[data-waiting="0"]', { timeout: 20_000 });

    // The organisers rotate and retire the key the two badges are signed with.
    const { badges } = running;
    const [oldKey] = (await badges.get(`/api/events/${slug}/signing-keys`)).body;
    expect((await badges.post(`/api/events/${slug}/signing-keys/rotate`, {})).status).toBe(201);
    const retired = await badges.request(
      'DELETE',
      `/api/events/${slug}/signing-keys/${oldKey.keyId}`,
    );
    expect(retired.status).toBe(200);
    await waitFor('check-in to hear of the retirement', async () => {
      const { body } = await door.get(`/api/events/${slug}/scan-snapshot`);
      return body.retiredKeys?.includes(oldKey.keyId);
    });

    // The device's next snapshot (a reload fetches one at once) no longer holds the key.
    await page.reload();
    await waitFor('the device to hold the new snapshot', async () => {
      const snapshot = await snapshotOnDevice();
      return snapshot?.retiredKeys?.includes(oldKey.keyId) ? snapshot : undefined;
    });
    const snapshot = await snapshotOnDevice();
    expect(snapshot.keys.map((k: { keyId: string }) => k.keyId)).not.toContain(oldKey.keyId);

    await context.setOffline(true);
    await page.waitForSelector('#status.offline');
    await scanWithHandheld(qrs[1]);
    await page.waitForSelector('#result[data-result="revoked"]');
    expect(await page.locator('#result').textContent()).toContain('neu gedrucktes Badge');
    await shot(page, '01-offline-key-retired');

    await context.setOffline(false);
    await page.waitForSelector('#status.online[data-waiting="0"]', { timeout: 20_000 });
    await scanWithHandheld(qrs[0]);
    await page.waitForSelector('#result[data-result="revoked"]');
    expect(await page.locator('#result').textContent()).toContain('neu gedrucktes Badge');
    await shot(page, '02-online-key-retired');

    // The offline refusal reached the server's log with its reason.
    const { body: log } = await running.checkin.get(`/api/events/${slug}/checkins?limit=100`);
    expect(log.items.filter((row: { result: string }) => row.result === 'revoked')).toHaveLength(2);
  }, 120_000);
});
