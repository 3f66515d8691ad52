import { Client } from 'pg';
import { decodeTicket } from '@einlass/tickets';
import {
  ApiClient,
  createSampleCongress,
  TEST_DATABASE_URL,
  decodeQrCodesInPdf,
  RunningServices,
  startThreeServices,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

interface KeyView {
  keyId: string;
  createdAt: string;
  active: boolean;
  retiredAt: string | null;
  badges: number;
}

const keyIdOf = (qr: string) => decodeTicket(qr).claims.keyId;

/**
 * Replacing a leaked signing key, through to the door (three processes, real queues): rotate, and
 * new badges carry the new key while old ones still get in; retire the old key, and its badges
 * answer `revoked` (`key_retired`) online and are gone from the devices' snapshot; print the
 * affected badges in one click, and the re-issued badges get in.
 */
describe('key rotation, from the organisers through to a scan', () => {
  let running: RunningServices;
  const slug = uniqueSlug('rotation');
  const otherSlug = uniqueSlug('rotation-other');
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;
  /** The key retired in the first test, and a badge it signed. */
  let retiredKey: string;
  let retiredBadge: string;

  const keys = `/api/events/${slug}/signing-keys`;
  const scan = (qr: string) => checkin.post(`/api/events/${slug}/scan`, { qr, gate: 'Nord' });
  const listKeys = async (): Promise<KeyView[]> => (await badges.get(keys)).body;

  /** Registers someone and waits for their badge (at least `version`): its QR text. */
  async function register(
    eventSlug: string,
    lastName: string,
  ): Promise<{ id: string; qr: string }> {
    const created = await registration.post(`/api/events/${eventSlug}/attendees`, {
      firstName: 'Jana',
      lastName,
      category: 'attendee',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    return { id, qr: await badgeQr(eventSlug, id, 1) };
  }

  async function badgeQr(eventSlug: string, id: string, version: number): Promise<string> {
    return waitFor(`badge ${id} version ${version}`, async () => {
      const { body } = await badges.get(`/api/events/${eventSlug}/attendees/${id}/badge`);
      return body.status === 'issued' && body.version >= version ? (body.qr as string) : undefined;
    });
  }

  beforeAll(async () => {
    running = await startThreeServices(5811);
    ({ registration, badges, checkin } = running);
    await createSampleCongress(registration, { ...SAMPLE_EVENT, slug }, null);
    await createSampleCongress(registration, { ...SAMPLE_EVENT, slug: otherSlug }, null);
  }, 90_000);

  afterAll(() => running.services.stopAll(), 30_000);

  it('rotates, retires and re-prints, and the door follows each step', async () => {
    const early = await register(slug, 'Früh');
    const alsoEarly = await register(slug, 'Zeitig');
    const oldKey = keyIdOf(early.qr);
    expect(keyIdOf(alsoEarly.qr)).toBe(oldKey);
    expect(await listKeys()).toEqual([
      { keyId: oldKey, createdAt: expect.any(String), active: true, retiredAt: null, badges: 2 },
    ]);

    // Rotate: a new active key; the old one stays valid.
    const rotated = await badges.post(`${keys}/rotate`, {});
    expect(rotated.status).toBe(201);
    const newKey = rotated.body.keyId as string;
    expect(newKey).toMatch(/^[0-9a-f]{8}$/);
    expect(newKey).not.toBe(oldKey);
    expect(rotated.body).toMatchObject({ active: true, retiredAt: null, badges: 0 });
    // Door devices hold the new public key with their next snapshot, before any badge is signed
    // with it (signing_key.activated).
    await waitFor('check-in to hold the new key', async () => {
      const { body } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
      return (body.keys as { keyId: string }[]).some((k) => k.keyId === newKey) ? true : undefined;
    });

    const late = await register(slug, 'Spät');
    expect(keyIdOf(late.qr)).toBe(newKey);
    expect(
      (
        await waitFor('the new badge admitted', async () => {
          const { body } = await scan(late.qr);
          return body.result === 'invalid' ? undefined : body;
        })
      ).result,
    ).toBe('admitted');
    expect((await scan(early.qr)).body.result).toBe('admitted');
    expect(await listKeys()).toEqual([
      expect.objectContaining({ keyId: oldKey, active: false, retiredAt: null, badges: 2 }),
      expect.objectContaining({ keyId: newKey, active: true, retiredAt: null, badges: 1 }),
    ]);

    // What cannot be retired.
    const active = await badges.request('DELETE', `${keys}/${newKey}`);
    expect(active.status).toBe(409);
    expect(active.body.message).toMatch(/active key.*Rotate first/s);
    expect((await badges.request('DELETE', `${keys}/0badc0de`)).status).toBe(404);
    const malformed = await badges.request('DELETE', `${keys}/not-a-key`);
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body.message)).toMatch(/8 hexadecimal digits/);
    const elsewhere = await register(otherSlug, 'Anderswo');
    const otherKey = keyIdOf(elsewhere.qr);
    const foreign = await badges.request('DELETE', `${keys}/${otherKey}`);
    expect(foreign.status).toBe(404);
    expect((await badges.get(`/api/events/${otherSlug}/signing-keys`)).body).toEqual([
      expect.objectContaining({ keyId: otherKey, active: true, retiredAt: null }),
    ]);

    // Retire the old key: its badges are refused, with a reason of their own.
    const retired = await badges.request('DELETE', `${keys}/${oldKey}`);
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ keyId: oldKey, active: false, badges: 2 });
    expect(retired.body.retiredAt).toEqual(expect.any(String));
    const again = await badges.request('DELETE', `${keys}/${oldKey}`);
    expect(again.body.retiredAt).toBe(retired.body.retiredAt);

    const refused = await waitFor('check-in to refuse the old key', async () => {
      const { body } = await scan(alsoEarly.qr);
      return body.result === 'revoked' ? body : undefined;
    });
    expect(refused).toMatchObject({ reason: 'key_retired' });
    expect(refused.message).toMatch(/re-printed badge/);
    expect((await scan(early.qr)).body).toMatchObject({ result: 'revoked', reason: 'key_retired' });
    expect((await scan(late.qr)).body.result).toBe('already_admitted');

    const { body: snapshot } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
    expect(snapshot.keys.map((k: { keyId: string }) => k.keyId)).toEqual([newKey]);
    expect(snapshot.retiredKeys).toEqual([oldKey]);

    // One click: the affected badges re-issued with the active key, and a print job of them.
    retiredKey = oldKey;
    retiredBadge = alsoEarly.qr;
    const printed = await badges.post(`${keys}/print-affected`, {});
    expect(printed.status).toBe(202);
    expect(printed.body.reissued).toBe(2);
    const reissued = await Promise.all([
      badgeQr(slug, early.id, 2),
      badgeQr(slug, alsoEarly.id, 2),
    ]);
    expect(reissued.map(keyIdOf)).toEqual([newKey, newKey]);
    expect(await listKeys()).toEqual([
      expect.objectContaining({ keyId: oldKey, badges: 0 }),
      expect.objectContaining({ keyId: newKey, badges: 3 }),
    ]);
    for (const qr of reissued) {
      const answer = await waitFor('the re-issued badge admitted', async () => {
        const { body } = await scan(qr);
        return body.result === 'revoked' || body.result === 'invalid' ? undefined : body;
      });
      expect(answer.result).toMatch(/^(admitted|already_admitted)$/);
    }
    expect((await scan(alsoEarly.qr)).body.result).toBe('revoked');

    const job = await waitFor(
      'the print job',
      async () => {
        const { body } = await badges.get(`/api/print-jobs/${printed.body.printJobId}`);
        if (body.status === 'failed') throw new Error(`the print job failed: ${body.error}`);
        return body.status === 'done' ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(job).toMatchObject({ total: 2, filter: { ids: expect.any(Array) } });
    const file = await badges.get(`/api/print-jobs/${printed.body.printJobId}/file`);
    expect((await decodeQrCodesInPdf(file.body as Buffer)).sort()).toEqual([...reissued].sort());

    // Nothing left to re-issue: the second click says so.
    const nothing = await badges.post(`${keys}/print-affected`, {});
    expect(nothing.status).toBe(409);
    expect(nothing.body.message).toMatch(/No current badge is signed with a retired key/);
  }, 180_000);

  it('repairs a retirement check-in missed, through the reconciliation', async () => {
    // Check-in loses the retirement (as if the message never reached it): the door would let the
    // key's badges in again, were they not re-issued.
    const db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      await db.query(`UPDATE checkin.signing_keys SET retired_at = NULL WHERE key_id = $1`, [
        retiredKey,
      ]);
    } finally {
      await db.end();
    }
    expect((await checkin.get(`/api/events/${slug}/scan-snapshot`)).body.retiredKeys).toEqual([]);

    // At start-up check-in compares its streams with badges' and asks for what it misses.
    await running.services.stop('checkin');
    await running.services.start('checkin');
    await waitFor(
      'the reconciliation to bring the retirement back',
      async () => {
        const { body } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
        return body.retiredKeys?.includes(retiredKey);
      },
      {
        timeoutMs: 60_000,
        intervalMs: 500,
        explain: async () =>
          JSON.stringify((await checkin.get(`/api/events/${slug}/pipeline`)).body),
      },
    );
    expect((await scan(retiredBadge)).body).toMatchObject({
      result: 'revoked',
      reason: 'key_retired',
    });
  }, 120_000);
});
