import { generateSigningKey, privateKeyFrom, signTicket, decodeTicket } from '@einlass/tickets';
import {
  ApiClient,
  decodeQrCodesInPdf,
  inParallel,
  ServiceProcesses,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT, sampleAttendees, sampleProgrammeCsv } from '../apps/registration/testing';

/**
 * The whole path, across three separate processes on real PostgreSQL and Redis:
 * register → badge issued → QR printed → scanned at the door.
 */
describe('register → badge → scan, across the three services', () => {
  const services = new ServiceProcesses(4101);
  const slug = uniqueSlug('pipeline');
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;
  const attendeeIds: string[] = [];

  const badgeOf = (id: string) => badges.get(`/api/events/${slug}/attendees/${id}/badge`);
  const scan = (qr: string, gate = 'Nord') =>
    checkin.post(`/api/events/${slug}/scan`, { qr, gate });
  const allIssued = (ids: string[]) =>
    waitFor(
      `${ids.length} badges to be issued`,
      async () => {
        const states = await inParallel(
          ids,
          20,
          async (id) => (await badgeOf(id)).body.status as string,
        );
        return states.every((status) => status === 'issued');
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

  beforeAll(async () => {
    await services.startAll();
    registration = new ApiClient(services.url('registration'), TEST_ORGANISER_TOKEN);
    badges = new ApiClient(services.url('badges'), TEST_ORGANISER_TOKEN);
    checkin = new ApiClient(services.url('checkin'), TEST_ORGANISER_TOKEN);
  }, 90_000);

  afterAll(() => services.stopAll(), 30_000);

  it('registers the 500 sample attendees and issues every badge', async () => {
    expect((await registration.post('/api/events', { ...SAMPLE_EVENT, slug })).status).toBe(201);
    const programme = await registration.post(
      `/api/events/${slug}/sessions`,
      sampleProgrammeCsv(),
      {
        'content-type': 'text/csv',
      },
    );
    expect(programme.body).toEqual({ created: 28, updated: 0 });

    const people = sampleAttendees();
    expect(people).toHaveLength(500);
    const answers = await inParallel(people, 10, (person) =>
      registration.post(`/api/events/${slug}/attendees`, person),
    );
    expect(answers.map((a) => a.status)).toEqual(people.map(() => 201));
    attendeeIds.push(...answers.map((a) => a.body.id as string));

    await allIssued(attendeeIds);
    const attendance = await waitFor('check-in to know all 500', async () => {
      const { body } = await checkin.get(`/api/events/${slug}/attendance`);
      return body.registered === 500 ? body : undefined;
    });
    expect(attendance.checkedIn).toBe(0);
    expect(attendance.byCategory.speaker.registered).toBeGreaterThan(0);
  }, 120_000);

  it('prints a badge whose QR code, read from the rendered page, admits once', async () => {
    const id = attendeeIds[0];
    const { body: badge } = await badgeOf(id);
    const pdf = await badges.get(`/api/events/${slug}/attendees/${id}/badge.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');

    const [decoded] = await decodeQrCodesInPdf(pdf.body as Buffer);
    expect(decoded).toBe(badge.qr);
    // The QR code names the event and the badge, never the person.
    expect(decoded).not.toMatch(/sauer|björn|nordhausen/i);
    expect(decodeTicket(decoded).claims.badgeId).toBe(id);

    const first = await scan(decoded, 'Nord');
    expect(first.body).toMatchObject({ result: 'admitted', attendee: { id, name: 'Björn Sauer' } });
    const second = await scan(decoded, 'Süd');
    expect(second.body.result).toBe('already_admitted');
    expect(second.body.firstScan.gate).toBe('Nord');
    expect(Date.parse(second.body.firstScan.at)).not.toBeNaN();
  }, 60_000);

  it('answers invalid for an altered token, a token signed with another key, and random text', async () => {
    const { body: badge } = await badgeOf(attendeeIds[1]);
    const qr: string = badge.qr;
    const altered = qr.slice(0, 40) + (qr[40] === 'A' ? 'B' : 'A') + qr.slice(41);
    const claims = decodeTicket(qr).claims;
    const otherKey = generateSigningKey();
    const forged = signTicket(
      { ...claims, keyId: otherKey.keyId },
      privateKeyFrom(otherKey.privateKey),
    );
    const forgedSameKeyId = signTicket(claims, privateKeyFrom(otherKey.privateKey));

    for (const text of [altered, forged, forgedSameKeyId, 'hello world', 'A'.repeat(165), '']) {
      const answer = await scan(text);
      if (text === '') {
        expect(answer.status).toBe(200);
      }
      expect(answer.body.result).toBe('invalid');
      expect(answer.body.attendee).toBeUndefined();
    }
    // The genuine badge still admits: nothing above touched it.
    expect((await scan(qr)).body.result).toBe('admitted');
  }, 30_000);

  it('admits exactly once when fifty gates scan one badge at the same instant', async () => {
    const { body: badge } = await badgeOf(attendeeIds[2]);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, gate) => scan(badge.qr as string, `Tor ${gate + 1}`)),
    );
    const results = answers.map((a) => a.body.result as string);
    expect(results.filter((r) => r === 'admitted')).toHaveLength(1);
    expect(results.filter((r) => r === 'already_admitted')).toHaveLength(49);
    const winner = answers.find((a) => a.body.result === 'admitted')!;
    const gates = new Set(
      answers.filter((a) => a.body.result === 'already_admitted').map((a) => a.body.firstScan.gate),
    );
    expect(gates.size).toBe(1); // every other gate names the same first admission
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(winner.body.attendee.id).toBe(attendeeIds[2]);

    const { body: attendance } = await checkin.get(`/api/events/${slug}/attendance`);
    expect(attendance.checkedIn).toBe(3); // the three badges admitted so far
  }, 30_000);

  it('lets a door token made at registration scan at its gate in check-in, and nothing more', async () => {
    const issued = await registration.post('/api/tokens', {
      role: 'door',
      label: 'Eingang Nord, Gerät 1',
      gates: ['Nord'],
      events: [slug],
    });
    expect(issued.status).toBe(201);
    const door = new ApiClient(services.url('checkin'), issued.body.token as string);
    const { body: badge } = await badgeOf(attendeeIds[3]);
    // The token reaches check-in through the queue, as a hash.
    const answer = await waitFor('check-in to accept the door token', async () => {
      const response = await door.post(`/api/events/${slug}/scan`, { qr: badge.qr, gate: 'Nord' });
      return response.status === 200 ? response.body : undefined;
    });
    expect(answer.result).toBe('admitted');
    expect(
      (await door.post(`/api/events/${slug}/scan`, { qr: badge.qr, gate: 'Süd' })).status,
    ).toBe(403);
    expect((await door.get(`/api/events/${slug}/attendance`)).status).toBe(403);
    const attendees = await new ApiClient(
      services.url('registration'),
      issued.body.token as string,
    ).get(`/api/events/${slug}/attendees?limit=5`);
    expect(attendees.status).toBe(200);
    expect(attendees.body.items[0]).not.toHaveProperty('email');

    expect((await registration.request('DELETE', `/api/tokens/${issued.body.id}`)).status).toBe(
      200,
    );
    await waitFor('check-in to refuse the revoked token', async () => {
      const response = await door.post(`/api/events/${slug}/scan`, { qr: badge.qr, gate: 'Nord' });
      return response.status === 401;
    });
  }, 30_000);

  it('issues the badges of people registered while the badges service was down, once it is back', async () => {
    await services.stop('badges');
    const people = Array.from({ length: 10 }, (_, i) => ({
      firstName: `Nachzügler ${i + 1}`,
      lastName: 'Später',
      organisation: 'Landratsamt Ilm-Kreis',
      category: 'attendee',
    }));
    const answers = await inParallel(people, 5, (p) =>
      registration.post(`/api/events/${slug}/attendees`, p),
    );
    expect(answers.map((a) => a.status)).toEqual(people.map(() => 201));

    await services.start('badges');
    const ids = answers.map((a) => a.body.id as string);
    await allIssued(ids);
    const { body: badge } = await badgeOf(ids[9]);
    const answer = await waitFor('check-in to know the late badge', async () => {
      const { body } = await scan(badge.qr as string, 'Süd');
      return body.result === 'admitted' ? body : undefined;
    });
    expect(answer.attendee.name).toBe('Nachzügler 10 Später');
  }, 90_000);
});
