import { Pool } from 'pg';
import {
  ApiClient,
  createSampleCongress,
  RunningServices,
  startThreeServices,
  TEST_DATABASE_URL,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * The door's live feed: every recorded admission and exit leaves check-in as attendee.checked_in /
 * attendee.left on the queue (through check-in's outbox), and registration, one of its consumers,
 * learns who came. Three processes, real queues.
 */
describe('the door feed reaches registration', () => {
  let running: RunningServices;
  const slug = uniqueSlug('feed');
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;

  const person = async (lastName: string, sessions: string[] = []) => {
    const response = await registration.post(`/api/events/${slug}/attendees`, {
      firstName: 'Jana',
      lastName,
      category: 'attendee',
      sessions,
    });
    expect(response.status).toBe(201);
    const id = response.body.id as string;
    const { body } = await waitFor(`${lastName}'s badge`, async () => {
      const badge = await badges.get(`/api/events/${slug}/attendees/${id}/badge`);
      return badge.body.status === 'issued' ? badge : undefined;
    });
    // The door decides from its own read model: wait until it knows this badge.
    await waitFor(`check-in to know ${lastName}'s badge`, async () => {
      const snapshot = await checkin.get(`/api/events/${slug}/scan-snapshot`);
      return snapshot.body.badges?.[id]?.version === body.version ? true : undefined;
    });
    return { id, qr: body.qr as string };
  };
  const attendanceOf = async (id: string) =>
    (await registration.get(`/api/events/${slug}/attendees/${id}`)).body.attendance;

  beforeAll(async () => {
    running = await startThreeServices(5201);
    ({ registration, badges, checkin } = running);
    await createSampleCongress(registration, { ...SAMPLE_EVENT, slug }, null);
  }, 90_000);

  afterAll(() => running.services.stopAll(), 30_000);

  it('tells registration who came in, who left, and which sessions they attended', async () => {
    const jana = await person('Feedmann', ['W01']);
    expect(await attendanceOf(jana.id)).toEqual({
      checkedInAt: null,
      onSite: false,
      sessionsAttended: [],
    });

    const admitted = await checkin.post(`/api/events/${slug}/scan`, { qr: jana.qr, gate: 'Nord' });
    expect(admitted.body.result).toBe('admitted');
    const inside = await waitFor('registration to hear of the admission', async () => {
      const attendance = await attendanceOf(jana.id);
      return attendance.onSite ? attendance : undefined;
    });
    expect(Date.parse(inside.checkedInAt)).toBeLessThanOrEqual(Date.now());

    // A repeat is not news: the first check-in time stays.
    const again = await checkin.post(`/api/events/${slug}/scan`, { qr: jana.qr, gate: 'Süd' });
    expect(again.body.result).toBe('already_admitted');

    const workshop = await checkin.post(`/api/events/${slug}/scan`, {
      qr: jana.qr,
      gate: 'Raum 3',
      list: 'W01',
    });
    expect(workshop.body.result).toBe('admitted');
    const out = await checkin.post(`/api/events/${slug}/scan`, {
      qr: jana.qr,
      gate: 'Nord',
      direction: 'out',
    });
    expect(out.body.result).toBe('left');
    const after = await waitFor('registration to hear of the exit and the workshop', async () => {
      const attendance = await attendanceOf(jana.id);
      return !attendance.onSite && attendance.sessionsAttended.length > 0 ? attendance : undefined;
    });
    expect(after).toEqual({
      checkedInAt: inside.checkedInAt,
      onSite: false,
      sessionsAttended: ['W01'],
    });

    // The attendee list carries it too (one round trip for the page).
    const listed = await registration.get(`/api/events/${slug}/attendees?q=Feedmann`);
    expect(listed.body.items[0].attendance).toEqual(after);
  });

  it('takes the earliest admission as the first check-in when an offline device syncs late', async () => {
    const piotr = await person('Offlinski');
    const online = await checkin.post(`/api/events/${slug}/scan`, { qr: piotr.qr, gate: 'Nord' });
    expect(online.body.result).toBe('admitted');
    const first = await waitFor('the online admission', async () => {
      const attendance = await attendanceOf(piotr.id);
      return attendance.checkedInAt ? attendance : undefined;
    });
    const earlier = new Date(Date.parse(first.checkedInAt) - 10 * 60_000).toISOString();
    const [synced] = (
      await checkin.post(`/api/events/${slug}/scans`, [
        { qr: piotr.qr, gate: 'Süd', scannedAt: earlier, nonce: 'tablet-3:17' },
      ])
    ).body;
    expect(synced.result).toBe('admitted');
    await waitFor('the earlier offline admission to become the first check-in', async () => {
      const attendance = await attendanceOf(piotr.id);
      return attendance.checkedInAt === earlier && attendance.onSite ? attendance : undefined;
    });
  });

  it('sends the admissions of a group written together as one message, and registration learns each of them', async () => {
    const people = await Promise.all(['Gruppe', 'Gruppner', 'Gruppmann'].map((n) => person(n)));
    const now = Date.now();
    // An offline queue's admissions are written as one group: one attendees.checked_in.
    const answers = (
      await checkin.post(
        `/api/events/${slug}/scans`,
        people.map((p, i) => ({
          qr: p.qr,
          gate: 'Ost',
          nonce: `tablet-9:${i}`,
          scannedAt: new Date(now - 60_000 + i * 1000).toISOString(),
        })),
      )
    ).body as { result: string }[];
    expect(answers.map((a) => a.result)).toEqual(['admitted', 'admitted', 'admitted']);
    for (const [i, p] of people.entries()) {
      await waitFor(`${p.id}'s admission at registration`, async () => {
        const attendance = await attendanceOf(p.id);
        return attendance.checkedInAt === new Date(now - 60_000 + i * 1000).toISOString()
          ? attendance
          : undefined;
      });
    }
    // Written as they were grouped (the first scan alone, the others together): each person once.
    const db = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
    const { rows } = await db.query<{ type: string; passages: { attendeeId: string }[] }>(
      `SELECT type, CASE type WHEN 'attendee.checked_in' THEN jsonb_build_array(payload)
                            ELSE payload->'passages' END AS passages
         FROM checkin.outbox
        WHERE (type = 'attendee.checked_in' AND payload->>'attendeeId' = ANY($1::text[]))
           OR (type = 'attendees.checked_in' AND EXISTS (
                 SELECT 1 FROM jsonb_array_elements(payload->'passages') p
                  WHERE p->>'attendeeId' = ANY($1::text[])))
        ORDER BY id`,
      [people.map((p) => p.id)],
    );
    await db.end();
    expect(rows.flatMap((row) => row.passages.map((p) => p.attendeeId))).toEqual(
      people.map((p) => p.id),
    );
    expect(rows.some((row) => row.type === 'attendees.checked_in')).toBe(true);
    expect(rows.length).toBeLessThan(people.length);
  });
});
