import { Client } from 'pg';
import {
  ApiClient,
  RunningServices,
  startThreeServices,
  TEST_DATABASE_URL,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';

interface Person {
  id: string;
  qr: string;
}

/**
 * Printing one badge at the door (issue 15), across the three services as processes on real
 * queues: check-in owns the door settings (`devicesMayPrint`), badges hears of them through
 * `door_settings.changed` and lets a door token of the event re-issue a badge and fetch its PDF
 * only while the event allows it; the old code then answers `revoked` at the door.
 */
describe('printing a badge at the door: door settings devicesMayPrint', () => {
  let running: RunningServices;
  const slug = uniqueSlug('doorprint');
  const otherSlug = uniqueSlug('doorprint-other');
  let door: { token: string; registration: ApiClient; badges: ApiClient; checkin: ApiClient };
  let otherDoor: ApiClient;
  /** Another device at the same event. */
  let secondDoor: ApiClient;
  let anna: Person;
  let bernd: Person;

  const badgePath = (id: string, rest = '') => `/api/events/${slug}/attendees/${id}${rest}`;
  const settingsPath = `/api/events/${slug}/door-settings`;
  const badgeOf = async (id: string) =>
    (await running.badges.get(badgePath(id, '/badge'))).body as { version: number; qr: string };
  const scan = (client: ApiClient, qr: string) =>
    client.post(`/api/events/${slug}/scan`, { qr, gate: 'Nord' });
  /**
   * Badges has heard the settings when a door token's PDF request of a badge it did not re-issue
   * is refused for that (allowed), or for the setting (not allowed).
   */
  const badgesLetsDoorPrint = (allowed: boolean, timeoutMs = 30_000) =>
    waitFor(
      `badges to ${allowed ? 'let' : 'stop'} door tokens print`,
      async () => {
        const { status, body } = await door.badges.get(badgePath(bernd.id, '/badge.pdf'));
        const forSetting = String(body.message).includes('devicesMayPrint');
        return status === 403 && forSetting === !allowed;
      },
      { timeoutMs },
    );

  beforeAll(async () => {
    running = await startThreeServices(6151);
    for (const s of [slug, otherSlug]) {
      const created = await running.registration.post('/api/events', {
        slug: s,
        name: 'Fachtag Druck',
        startsAt: '2030-10-24T06:00:00Z',
        endsAt: '2030-10-24T16:00:00Z',
        timezone: 'Europe/Berlin',
      });
      expect(created.status).toBe(201);
    }
    const register = async (firstName: string): Promise<Person> => {
      const { body } = await running.registration.post(`/api/events/${slug}/attendees`, {
        firstName,
        lastName: 'Verloren',
        organisation: 'Landratsamt Gotha',
        category: 'attendee',
      });
      const badge = await waitFor(`the badge of ${firstName}`, async () => {
        const b = await badgeOf(body.id);
        return b.version === 1 ? b : undefined;
      });
      return { id: body.id, qr: badge.qr };
    };
    anna = await register('Anna');
    bernd = await register('Bernd');
    const token = async (events: string[]) => {
      const made = await running.registration.post('/api/tokens', {
        role: 'door',
        label: 'Tablet Nord',
        events,
      });
      expect(made.status).toBe(201);
      return made.body.token as string;
    };
    const doorToken = await token([slug]);
    door = {
      token: doorToken,
      registration: running.registration.withToken(doorToken),
      badges: running.badges.withToken(doorToken),
      checkin: running.checkin.withToken(doorToken),
    };
    otherDoor = running.badges.withToken(await token([otherSlug]));
    secondDoor = running.badges.withToken(await token([slug]));
    await waitFor('check-in to know both badges and the door token', async () => {
      const { status, body } = await door.checkin.get(`/api/events/${slug}/scan-snapshot`);
      return status === 200 && [anna, bernd].every((p) => body.badges[p.id]?.version === 1);
    });
    // the other door token is known to badges too (its refusals below are not a 401)
    await waitFor('badges to know the door tokens', async () => {
      const statuses = await Promise.all(
        [otherDoor, secondDoor].map(
          async (client) => (await client.get(badgePath(anna.id, '/badge.pdf'))).status,
        ),
      );
      return statuses.every((status) => status === 403);
    });
  }, 180_000);

  afterAll(async () => {
    await running?.services.stopAll();
  }, 30_000);

  it('refuses a door token by default (403, saying why), and the badge stays as it was', async () => {
    const settings = await door.checkin.get(settingsPath);
    expect(settings.body).toEqual({ gates: [], devicesHoldNames: false, devicesMayPrint: false });
    const snapshot = await door.checkin.get(`/api/events/${slug}/scan-snapshot`);
    expect(snapshot.body.devicesMayPrint).toBe(false);

    const reissue = await door.badges.post(badgePath(anna.id, '/badge/reissue'));
    expect(reissue.status).toBe(403);
    expect(reissue.body.message).toContain('devicesMayPrint');
    const pdf = await door.badges.get(badgePath(anna.id, '/badge.pdf'));
    expect(pdf.status).toBe(403);
    expect(pdf.body.message).toContain('devicesMayPrint');
    expect((await badgeOf(anna.id)).version).toBe(1);
    // the door token may not change the door settings either
    const put = await door.checkin.request('PUT', settingsPath, { devicesMayPrint: true });
    expect(put.status).toBe(403);
  });

  it('refuses a bad door-settings body with 400 naming the field, and changes nothing', async () => {
    for (const body of [
      { devicesMayPrint: 'yes' },
      { gates: ['Nord'], devicesMayPrint: 1 },
      { devicesHoldNames: true, devicesMayPrint: null },
      { gates: ['Nord'], devicesMayPrint: true, unknown: 1 },
    ]) {
      const put = await running.checkin.request('PUT', settingsPath, body);
      expect([JSON.stringify(body), put.status]).toEqual([JSON.stringify(body), 400]);
      expect(JSON.stringify(put.body.message)).toMatch(/devicesMayPrint|unknown/);
    }
    const settings = await running.checkin.get(settingsPath);
    expect(settings.body).toEqual({ gates: [], devicesHoldNames: false, devicesMayPrint: false });
  });

  it('lets the door token of the event re-issue and fetch the PDF once the organisers allow it', async () => {
    const put = await running.checkin.request('PUT', settingsPath, { devicesMayPrint: true });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ gates: [], devicesHoldNames: false, devicesMayPrint: true });
    // devices learn it from the door settings and the snapshot they already fetch
    expect((await door.checkin.get(settingsPath)).body.devicesMayPrint).toBe(true);
    const snapshot = await door.checkin.get(`/api/events/${slug}/scan-snapshot`);
    expect(snapshot.body.devicesMayPrint).toBe(true);
    await badgesLetsDoorPrint(true);
    // Allowed to print, but not anyone's badge: only one this device has just re-issued.
    const before = await door.badges.get(badgePath(anna.id, '/badge.pdf'));
    expect(before.status).toBe(403);
    expect(before.body.message).toContain('re-issued itself');

    const reissue = await door.badges.post(badgePath(anna.id, '/badge/reissue'));
    expect(reissue.status).toBe(200);
    expect(reissue.body).toMatchObject({ status: 'issued', version: 2 });
    expect(reissue.body.qr).not.toBe(anna.qr);
    const pdf = await door.badges.get(badgePath(anna.id, '/badge.pdf'));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    // another device of the event did not re-issue it: refused; organisers may always
    expect((await secondDoor.get(badgePath(anna.id, '/badge.pdf'))).status).toBe(403);
    expect((await running.badges.get(badgePath(anna.id, '/badge.pdf'))).status).toBe(200);
    // the grant is for that version: once someone re-issues again, this device's is gone
    const again = await running.badges.post(badgePath(anna.id, '/badge/reissue'));
    expect(again.body.version).toBe(3);
    expect((await door.badges.get(badgePath(anna.id, '/badge.pdf'))).status).toBe(403);
    const mine = await door.badges.post(badgePath(anna.id, '/badge/reissue'));
    expect(mine.body.version).toBe(4);
    expect((await door.badges.get(badgePath(anna.id, '/badge.pdf'))).status).toBe(200);

    // At the door: the lost badge is revoked (a newer one exists), the new one admits.
    await waitFor('check-in to refuse the old badge', async () => {
      const { body } = await scan(door.checkin, anna.qr);
      return body.result === 'revoked' ? body : undefined;
    }).then((answer) => expect(answer.reason).toBe('newer'));
    const admitted = await scan(door.checkin, mine.body.qr);
    expect(admitted.body).toMatchObject({ result: 'admitted', attendee: { id: anna.id } });

    // The audit log names the door token for the re-issue and the download.
    await waitFor('the audit entries', async () => {
      const { body } = await running.registration.get(`/api/events/${slug}/audit?limit=100`);
      const mine = (body.items as any[]).filter(
        (item) => item.attendeeId === anna.id && item.token.label === 'Tablet Nord',
      );
      const actions = mine.map((item) => item.action);
      return actions.includes('badge.reissued') && actions.includes('badge.downloaded');
    });
  }, 60_000);

  it('lets a door device fetch its re-issued badge for 15 minutes only, and erasure takes the note of it', async () => {
    const db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      const reprints = async () =>
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM badges.door_reprints WHERE badge_id = $1`,
            [anna.id],
          )
        ).rows[0].n;
      expect((await door.badges.get(badgePath(anna.id, '/badge.pdf'))).status).toBe(200);
      // a quarter of an hour later, as far as badges can tell
      await db.query(
        `UPDATE badges.door_reprints SET reissued_at = now() - interval '16 minutes' WHERE badge_id = $1`,
        [anna.id],
      );
      const late = await door.badges.get(badgePath(anna.id, '/badge.pdf'));
      expect(late.status).toBe(403);
      expect(late.body.message).toContain('15 minutes');
      expect(Number(await reprints())).toBeGreaterThan(0);

      // Erasing the person takes the note (which device re-issued her badge) with it.
      const carl = await running.registration.post(`/api/events/${slug}/attendees`, {
        firstName: 'Carl',
        lastName: 'Verloren',
        category: 'attendee',
      });
      await waitFor('the badge of Carl', async () =>
        (await badgeOf(carl.body.id)).version === 1 ? true : undefined,
      );
      expect((await door.badges.post(badgePath(carl.body.id, '/badge/reissue'))).status).toBe(200);
      const erased = await running.registration.request(
        'DELETE',
        `/api/events/${slug}/attendees/${carl.body.id}`,
      );
      expect(erased.status).toBe(200);
      await waitFor('badges to forget who re-issued the badge', async () => {
        const { rows } = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM badges.door_reprints WHERE badge_id = $1`,
          [carl.body.id],
        );
        return rows[0].n === '0' ? true : undefined;
      });
    } finally {
      await db.end();
    }
  }, 60_000);

  it('refuses a door token of another event (403), and anything else new to door tokens', async () => {
    const reissue = await otherDoor.post(badgePath(anna.id, '/badge/reissue'));
    expect(reissue.status).toBe(403);
    const pdf = await otherDoor.get(badgePath(anna.id, '/badge.pdf'));
    expect(pdf.status).toBe(403);
    // under its own event, another event's attendee is not found, and printing is not allowed there
    const own = await otherDoor.post(`/api/events/${otherSlug}/attendees/${anna.id}/badge/reissue`);
    expect([403, 404]).toContain(own.status);
    expect((await badgeOf(anna.id)).version).toBe(4);
    // the badge answer and the print jobs stay the organisers' (and the desk's)
    expect((await door.badges.get(badgePath(anna.id, '/badge'))).status).toBe(403);
    const job = await door.badges.post(`/api/events/${slug}/print-jobs`, {});
    expect(job.status).toBe(403);
  });

  it('refuses door tokens again once the organisers turn it off', async () => {
    const put = await running.checkin.request('PUT', settingsPath, { devicesMayPrint: false });
    expect(put.status).toBe(200);
    expect(put.body.devicesMayPrint).toBe(false);
    await badgesLetsDoorPrint(false);
    const reissue = await door.badges.post(badgePath(bernd.id, '/badge/reissue'));
    expect(reissue.status).toBe(403);
    expect((await badgeOf(bernd.id)).version).toBe(1);
    // organisers re-issue as before
    const organiser = await running.badges.post(badgePath(bernd.id, '/badge/reissue'));
    expect(organiser.status).toBe(200);
    expect(organiser.body.version).toBe(2);
  });

  it('repairs a lost door_settings.changed through the reconciliation', async () => {
    const put = await running.checkin.request('PUT', settingsPath, { devicesMayPrint: true });
    expect(put.status).toBe(200);
    await badgesLetsDoorPrint(true);
    // What a message lost on the way looks like to badges: it holds nothing for the event.
    const { body: event } = await running.registration.get(`/api/events/${slug}`);
    const db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      await db.query(`DELETE FROM badges.door_printing WHERE event_id = $1`, [event.id]);
    } finally {
      await db.end();
    }
    await badgesLetsDoorPrint(false);
    // Badges' reconciliation at start-up finds the event's door settings short and asks again.
    await running.services.stop('badges');
    await running.services.start('badges');
    running.badges = new ApiClient(running.services.url('badges'), TEST_ORGANISER_TOKEN);
    door.badges = running.badges.withToken(door.token);
    await badgesLetsDoorPrint(true, 60_000);
    const { body: pipeline } = await running.badges.get(`/api/events/${slug}/pipeline`);
    expect(pipeline.reconciliation.repairs).toContainEqual(
      expect.objectContaining({ stream: 'door_settings', scope: event.id }),
    );
  }, 120_000);
});
