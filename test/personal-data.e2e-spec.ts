import { join } from 'node:path';
import {
  ApiClient,
  checkinsPerGate,
  everythingStored,
  placesHolding,
  RunningServices,
  startThreeServices,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';

/**
 * Erasure of personal data (issue 13), across the three services as separate processes: after one
 * person's erasure and after the event's, nothing of the erased people is left anywhere (the
 * database's three schemas, the data directory, every Redis key), the counts stay, their badges
 * answer `revoked`. A service stopped during the erasure catches up when it starts; an event whose
 * retention date passes is erased without a request.
 */
describe('personal data erasure', () => {
  let running: RunningServices;
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;
  const slug = uniqueSlug('erasure');
  const dataDirectory = join(process.cwd(), '.einlass', 'print-jobs');

  /** A person whose name, email and organisation appear nowhere else. */
  const person = (label: string) => {
    const tag = `${label}${Math.random().toString(36).slice(2, 8)}`;
    return {
      firstName: `Vorname${tag}`,
      lastName: `Nachname${tag}`,
      email: `mail.${tag}@amt.example`,
      organisation: `Behörde${tag}`,
      externalId: `EXT-${tag}`,
    };
  };
  const needles = (p: ReturnType<typeof person>) => [
    p.firstName,
    p.lastName,
    p.email,
    p.organisation,
  ];
  const people = { erased: person('eins'), waiting: person('zwei'), third: person('drei') };
  const ids: Record<keyof typeof people, string> = { erased: '', waiting: '', third: '' };
  const qrs: Record<keyof typeof people, string> = { erased: '', waiting: '', third: '' };

  const scan = (qr: string, gate: string, direction: 'in' | 'out' = 'in') =>
    checkin.post(`/api/events/${slug}/scan`, { qr, gate, direction });
  const attendanceCounts = async () => {
    const { body } = await checkin.get(`/api/events/${slug}/attendance`);
    return { registered: body.registered, checkedIn: body.checkedIn, byGate: body.byGate };
  };

  beforeAll(async () => {
    // The default retention interval (10 minutes): erasures asked for must not wait for it.
    running = await startThreeServices(4341);
    ({ registration, badges, checkin } = running);
    const created = await registration.post('/api/events', {
      slug,
      name: 'Datenschutz-Test',
      startsAt: '2027-05-01T08:00:00Z',
      endsAt: '2027-05-02T17:00:00Z',
      timezone: 'Europe/Berlin',
    });
    expect(created.status).toBe(201);
    expect(created.body.erasePersonalDataAt).toBe('2027-07-31T17:00:00.000Z');
    expect(
      (
        await registration.post(`/api/events/${slug}/sessions`, [
          {
            code: 'W1',
            title: 'Workshop',
            startsAt: '2027-05-01T10:00:00Z',
            endsAt: '2027-05-01T12:00:00Z',
            capacity: 1,
            kind: 'workshop',
          },
        ])
      ).status,
    ).toBe(200);
    for (const key of Object.keys(people) as (keyof typeof people)[]) {
      const registered = await registration.post(`/api/events/${slug}/attendees`, {
        ...people[key],
        category: 'attendee',
        sessions: key === 'third' ? [] : ['W1'],
      });
      expect(registered.status).toBe(201);
      ids[key] = registered.body.id;
    }
    // A change of the name: a second badge, a second snapshot in every queue.
    const renamed = { ...people.erased, lastName: `${people.erased.lastName}Neu` };
    expect(
      (
        await registration.request('PATCH', `/api/events/${slug}/attendees/${ids.erased}`, {
          lastName: renamed.lastName,
        })
      ).status,
    ).toBe(200);
    for (const key of Object.keys(people) as (keyof typeof people)[]) {
      const { body } = await waitFor(`the badge of ${key}`, async () => {
        const response = await badges.get(`/api/events/${slug}/attendees/${ids[key]}/badge`);
        return response.body.status === 'issued' &&
          (key !== 'erased' || response.body.version === 2)
          ? response
          : undefined;
      });
      qrs[key] = body.qr;
    }
    await waitFor('check-in to know the new badge', async () => {
      const { body } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
      return body.badges[ids.erased]?.version === 2 ? true : undefined;
    });
    expect((await scan(qrs.erased, 'Nord')).body.result).toBe('admitted');
    expect((await scan(qrs.erased, 'Nord', 'out')).body.result).toBe('left');
    expect((await scan(qrs.waiting, 'Süd')).body.result).toBe('admitted');
    expect((await scan(qrs.third, 'Nord')).body.result).toBe('admitted');
    const job = await badges.post(`/api/events/${slug}/print-jobs`, { layout: 'a6' });
    expect(job.status).toBe(202);
    await waitFor('the print job', async () => {
      const { body } = await badges.get(`/api/print-jobs/${job.body.id}`);
      return body.status === 'done' ? true : undefined;
    });
    // Everything has travelled (the door's feed back to registration too) before the erasure.
    await waitFor('registration to hear of the admissions', async () => {
      const { body } = await registration.get(`/api/events/${slug}/attendees/${ids.third}`);
      return body.attendance.checkedInAt ? true : undefined;
    });
    expect(
      placesHolding(await everythingStored([dataDirectory]), needles(people.erased)),
    ).not.toEqual([]);
  }, 120_000);

  afterAll(() => running.services.stopAll(), 30_000);

  it("gives a person everything held about them as one document, to the event's organisers only", async () => {
    const { status, body } = await registration.get(
      `/api/events/${slug}/attendees/${ids.erased}/personal-data`,
    );
    expect(status).toBe(200);
    const renamedLastName = `${people.erased.lastName}Neu`;
    // Registration: the fields, the change, the workshop place, the door's feed.
    expect(body.registration.attendee).toMatchObject({
      ...people.erased,
      lastName: renamedLastName,
      status: 'registered',
    });
    expect(body.registration.changes.map((c: { type: string }) => c.type)).toEqual([
      'attendee.registered',
      'attendee.updated',
    ]);
    expect(body.registration.changes[0].snapshot.lastName).toBe(people.erased.lastName);
    expect(body.registration.signups).toMatchObject([{ session: 'W1', status: 'confirmed' }]);
    expect(body.registration.attendance.firstCheckedInAt).not.toBeNull();
    // Badges: both versions with what each printed, the print job; never the signing key.
    expect(body.badges.badge).toMatchObject({ status: 'issued', version: 2, qr: qrs.erased });
    expect(
      body.badges.versionsIssued.map((v: { version: number; printed: { lastName: string } }) => [
        v.version,
        v.printed.lastName,
      ]),
    ).toEqual([
      [1, people.erased.lastName],
      [2, renamedLastName],
    ]);
    expect(body.badges.printJobs).toHaveLength(1);
    expect(JSON.stringify(body)).not.toMatch(/privateKey|private_key/);
    // Check-in: in and out at Nord.
    expect(body.checkin.door).toMatchObject({ lastName: renamedLastName, badgeVersion: 2 });
    expect(
      body.checkin.scans.map((scan: { gate: string; direction: string; result: string }) => [
        scan.gate,
        scan.direction,
        scan.result,
      ]),
    ).toEqual([
      ['Nord', 'in', 'admitted'],
      ['Nord', 'out', 'left'],
    ]);

    // Asked for under another event's slug, no service gives anything of the person: 404.
    const elsewhere = uniqueSlug('elsewhere');
    await registration.post('/api/events', {
      slug: elsewhere,
      name: 'Anderswo',
      startsAt: '2027-05-01T08:00:00Z',
      endsAt: '2027-05-02T17:00:00Z',
      timezone: 'Europe/Berlin',
    });
    for (const service of [registration, badges, checkin]) {
      const { status } = await waitFor('the other event everywhere', async () => {
        const response = await service.get(
          `/api/events/${elsewhere}/attendees/${ids.erased}/personal-data`,
        );
        return /No event/.test(String(response.body.message)) ? undefined : response;
      });
      expect(status).toBe(404);
    }

    // Another event's organiser token, and a door token: 403; an unknown person: 404.
    const otherOrganiser = await registration.post('/api/tokens', {
      role: 'organiser',
      label: 'Orga anderes Event',
      events: ['some-other-event'],
    });
    const door = await registration.post('/api/tokens', { role: 'door', label: 'Tür Nord' });
    for (const token of [otherOrganiser.body.token as string, door.body.token as string]) {
      const refused = await registration
        .withToken(token)
        .get(`/api/events/${slug}/attendees/${ids.erased}/personal-data`);
      expect(refused.status).toBe(403);
      // Each service checks the token itself too (once the token has reached it).
      const direct = await waitFor('the token to reach the badges service', async () => {
        const response = await badges
          .withToken(token)
          .get(`/api/events/${slug}/attendees/${ids.erased}/personal-data`);
        return response.status === 401 ? undefined : response;
      });
      expect(direct.status).toBe(403);
    }
    expect(
      (
        await registration.get(
          `/api/events/${slug}/attendees/00000000-0000-4000-8000-000000000000/personal-data`,
        )
      ).status,
    ).toBe(404);
  }, 60_000);

  it('erases one person everywhere: the answer says what, their place goes to the one waiting, the counts stay', async () => {
    const countsBefore = await attendanceCounts();
    const logBefore = await checkinsPerGate(checkin, slug);

    const erased = await registration.request(
      'DELETE',
      `/api/events/${slug}/attendees/${ids.erased}`,
    );
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({
      id: ids.erased,
      registration: {
        fields: ['externalId', 'firstName', 'lastName', 'email', 'organisation'],
        workshopPlacesFreed: ['W1'],
        waitingListsLeft: [],
        movedUp: 1,
      },
    });
    const { body: signups } = await registration.get(`/api/events/${slug}/sessions/W1/signups`);
    expect(JSON.stringify(signups)).toContain(ids.waiting);
    expect(JSON.stringify(signups)).not.toContain(ids.erased);

    // Waiting by scanning would admit them again (they had left): ask the door's snapshot.
    await waitFor('check-in to erase the person', async () => {
      const { body } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
      return (body.revoked as string[]).includes(ids.erased) ? true : undefined;
    });
    const { body: refused } = await scan(qrs.erased, 'Nord');
    expect(refused.result).toBe('revoked');
    expect(refused.message).toMatch(/erased/);
    await waitFor('the badges service to erase its copy', async () => {
      const { body } = await badges.get(`/api/events/${slug}/attendees/${ids.erased}/badge`);
      return body.status === 'revoked' && body.erasedAt ? true : undefined;
    });
    const { body: jobs } = await badges.get(`/api/events/${slug}/print-jobs`);
    const printed = (jobs.items ?? jobs)[0] as { id: string };
    expect((await badges.get(`/api/print-jobs/${printed.id}/file`)).status).toBe(410);

    await waitFor(
      'nothing of the person left anywhere',
      async () => {
        const left = placesHolding(await everythingStored([dataDirectory]), needles(people.erased));
        return left.length === 0 ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 1000 },
    ).catch(async (error: unknown) => {
      const left = placesHolding(await everythingStored([dataDirectory]), needles(people.erased));
      throw new Error(`${String(error)}\n${left.slice(0, 10).join('\n')}`);
    });
    // The others are still there: the search finds what is stored.
    expect(
      placesHolding(await everythingStored([dataDirectory]), needles(people.third)),
    ).not.toEqual([]);

    expect((await scan(qrs.third, 'Nord')).body.result).toBe('already_admitted');
    const logAfter = await checkinsPerGate(checkin, slug);
    expect(logAfter).toEqual({
      ...logBefore,
      'Nord/revoked': 1,
      'Nord/already_admitted': 1,
    });
    expect(await attendanceCounts()).toEqual(countsBefore);

    // Erasing again is a conflict that changes nothing; an unknown person is a 404.
    const again = await registration.request(
      'DELETE',
      `/api/events/${slug}/attendees/${ids.erased}`,
    );
    expect(again.status).toBe(409);
    expect(
      (
        await registration.request(
          'DELETE',
          `/api/events/${slug}/attendees/00000000-0000-4000-8000-000000000000`,
        )
      ).status,
    ).toBe(404);
  }, 90_000);

  it('erases the event with its slug typed again, and a service stopped meanwhile catches up when it starts', async () => {
    const countsBefore = await attendanceCounts();
    const logBefore = await checkinsPerGate(checkin, slug);
    const wrong = await registration.post(`/api/events/${slug}/erase`, { confirm: 'other-event' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message.join(' ')).toContain(slug);
    expect((await registration.post(`/api/events/${slug}/erase`, {})).status).toBe(400);
    expect((await registration.get(`/api/events/${slug}`)).body.personalDataErasedAt).toBeNull();
    expect(
      (await registration.get(`/api/events/${slug}/attendees/${ids.third}`)).body.lastName,
    ).toBe(people.third.lastName);

    await running.services.stop('badges');
    const erased = await registration.post(`/api/events/${slug}/erase`, { confirm: slug });
    expect(erased.status).toBe(200);
    expect(erased.body.personalDataErasedAt).not.toBeNull();
    const { body: list } = await registration.get(`/api/events/${slug}/attendees`);
    expect(list.items.map((a: { lastName: string }) => a.lastName)).toEqual(['', '', '']);
    expect(
      (await registration.get(`/api/events/${slug}/attendees/${ids.third}`)).body.erasedAt,
    ).not.toBeNull();
    await waitFor('check-in to refuse the badges', async () => {
      const { body } = await scan(qrs.third, 'Nord');
      return body.result === 'revoked' ? true : undefined;
    });

    await running.services.start('badges');
    const everyone = [
      ...needles(people.waiting),
      ...needles(people.third),
      ...needles(people.erased),
    ];
    await waitFor(
      'nothing of anyone left anywhere',
      async () => {
        const left = placesHolding(await everythingStored([dataDirectory]), everyone);
        return left.length === 0 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    ).catch(async (error: unknown) => {
      const left = placesHolding(await everythingStored([dataDirectory]), everyone);
      throw new Error(`${String(error)}\n${left.slice(0, 10).join('\n')}`);
    });
    for (const key of ['waiting', 'third'] as const) {
      const { body } = await badges.get(`/api/events/${slug}/attendees/${ids[key]}/badge`);
      expect(body.status).toBe('revoked');
      expect((await scan(qrs[key], 'Süd')).body.result).toBe('revoked');
    }
    expect(await attendanceCounts()).toEqual(countsBefore);
    const logAfter = await checkinsPerGate(checkin, slug);
    expect(logAfter['Nord/admitted']).toBe(logBefore['Nord/admitted']);
    expect(logAfter['Süd/admitted']).toBe(logBefore['Süd/admitted']);
  }, 120_000);

  it('erases an event whose retention date passes, without a request', async () => {
    // Services that look every second, so the test need not wait ten minutes.
    await running.services.stopAll();
    running = await startThreeServices(4341, { RETENTION_CHECK_MS: '1000' });
    ({ registration, badges, checkin } = running);
    const other = uniqueSlug('retention');
    await registration.post('/api/events', {
      slug: other,
      name: 'Aufbewahrung',
      startsAt: '2027-05-01T08:00:00Z',
      endsAt: '2027-05-02T17:00:00Z',
      timezone: 'Europe/Berlin',
    });
    const someone = person('vier');
    const { body: registered } = await registration.post(`/api/events/${other}/attendees`, {
      ...someone,
      category: 'speaker',
    });
    const { body: badge } = await waitFor('the badge', async () => {
      const response = await badges.get(`/api/events/${other}/attendees/${registered.id}/badge`);
      return response.body.status === 'issued' ? response : undefined;
    });
    expect(
      (await registration.request('PATCH', `/api/events/${other}`, { erasePersonalDataAt: 'soon' }))
        .status,
    ).toBe(400);
    const soon = new Date(Date.now() + 3000).toISOString();
    const changed = await registration.request('PATCH', `/api/events/${other}`, {
      erasePersonalDataAt: soon,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.erasePersonalDataAt).toBe(soon);
    expect(changed.body.personalDataErasedAt).toBeNull();

    await waitFor(
      'the date to pass and every service to erase by itself',
      async () => {
        const left = placesHolding(await everythingStored([dataDirectory]), needles(someone));
        return left.length === 0 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    expect(
      (await registration.get(`/api/events/${other}`)).body.personalDataErasedAt,
    ).not.toBeNull();
    await waitFor('the badge to be refused', async () => {
      const { body } = await checkin.post(`/api/events/${other}/scan`, {
        qr: badge.qr,
        gate: 'Nord',
      });
      return body.result === 'revoked' ? true : undefined;
    });
  }, 90_000);

  it('keeps an audit log of every kind of action, naming the token, never holding an email', async () => {
    const audited = uniqueSlug('audit');
    const created = await registration.post('/api/events', {
      slug: audited,
      name: 'Audit',
      startsAt: '2027-06-01T08:00:00Z',
      endsAt: '2027-06-01T17:00:00Z',
      timezone: 'Europe/Berlin',
    });
    expect(created.status).toBe(201);
    await registration.post(`/api/events/${audited}/sessions`, [
      {
        code: 'S1',
        title: 'Talk',
        startsAt: '2027-06-01T10:00:00Z',
        endsAt: '2027-06-01T11:00:00Z',
        capacity: 10,
        kind: 'talk',
      },
    ]);
    const issued = await registration.post('/api/tokens', {
      role: 'organiser',
      label: 'Audit-Orga',
      events: [audited],
    });
    expect(issued.status).toBe(201);
    const orga = (client: ApiClient) => client.withToken(issued.body.token as string);
    await waitFor('the token to reach badges and check-in', async () =>
      (await orga(badges).get(`/api/events/${audited}/print-jobs`)).status === 200 &&
      (await orga(checkin).get(`/api/events/${audited}/door-settings`)).status === 200
        ? true
        : undefined,
    );

    const someone = person('fünf');
    const registered = await orga(registration).post(`/api/events/${audited}/attendees`, {
      ...someone,
      category: 'attendee',
    });
    const id = registered.body.id as string;
    await orga(registration).get(`/api/events/${audited}/attendees/${id}`);
    await orga(registration).request('PATCH', `/api/events/${audited}/attendees/${id}`, {
      organisation: `${someone.organisation}X`,
    });
    const imported = await orga(registration).request(
      'POST',
      `/api/events/${audited}/attendees/import`,
      'external_id,first_name,last_name,email,category\r\nA-1,Ida,Import,ida.import@amt.example,attendee\r\n',
      { 'content-type': 'text/csv', 'x-file-name': encodeURIComponent('Anmeldungen März.csv') },
    );
    expect(imported.status).toBe(200);
    const { body: badge } = await waitFor('the badge', async () => {
      const response = await orga(badges).get(`/api/events/${audited}/attendees/${id}/badge`);
      return response.body.status === 'issued' ? response : undefined;
    });
    expect(
      (await orga(badges).post(`/api/events/${audited}/attendees/${id}/badge/reissue`)).status,
    ).toBe(200);
    expect(
      (await orga(badges).get(`/api/events/${audited}/attendees/${id}/badge.pdf`)).status,
    ).toBe(200);
    const job = await orga(badges).post(`/api/events/${audited}/print-jobs`, { layout: 'a6' });
    await waitFor('the print job', async () => {
      const { body } = await orga(badges).get(`/api/print-jobs/${job.body.id}`);
      return body.status === 'done' ? true : undefined;
    });
    expect((await orga(badges).get(`/api/print-jobs/${job.body.id}/file`)).status).toBe(200);
    expect(badge.qr).toBeTruthy();
    await orga(checkin).request('PUT', `/api/events/${audited}/door-settings`, { gates: ['Nord'] });
    await orga(checkin).get(`/api/events/${audited}/exports/checkins.csv`);
    await orga(registration).get(`/api/events/${audited}/attendees/${id}/personal-data`);
    await orga(registration).request('PATCH', `/api/events/${audited}`, {
      erasePersonalDataAt: '2028-01-01T00:00:00Z',
    });
    const importedId = (
      await orga(registration).get(`/api/events/${audited}/attendees?q=ida.import`)
    ).body.items[0].id as string;
    await orga(registration).post(`/api/events/${audited}/attendees/${importedId}/cancel`);
    await orga(registration).request('DELETE', `/api/events/${audited}/attendees/${id}`);
    const revocable = await registration.post('/api/tokens', {
      role: 'door',
      label: 'Tür Audit',
      events: [audited],
    });
    await registration.request('DELETE', `/api/tokens/${revocable.body.id}`);
    await orga(registration).post(`/api/events/${audited}/erase`, { confirm: audited });

    const expected = [
      'attendee.registered',
      'attendee.read',
      'attendee.changed',
      'attendees.imported',
      'badge.reissued',
      'badge.downloaded',
      'print_job.created',
      'print_job.downloaded',
      'door_settings.changed',
      'export.downloaded',
      'attendee.personal_data_read',
      'event.retention_changed',
      'attendee.cancelled',
      'attendee.erased',
      'token.issued',
      'token.revoked',
      'event.erased',
    ];
    type Entry = {
      action: string;
      service: string;
      token: { id: string | null; label: string };
      attendeeId: string | null;
      details: Record<string, unknown>;
    };
    const entries = await waitFor('every entry in the audit log', async () => {
      const { body } = await orga(registration).get(`/api/events/${audited}/audit?limit=1000`);
      const items = body.items as Entry[];
      return expected.every((action) => items.some((e) => e.action === action)) ? items : undefined;
    });
    const byAction = (action: string) => entries.find((e) => e.action === action)!;
    expect(byAction('attendee.changed')).toMatchObject({
      service: 'registration',
      attendeeId: id,
      token: { id: issued.body.id, label: 'Audit-Orga' },
      details: { fields: ['organisation'] },
    });
    expect(byAction('attendees.imported').details).toMatchObject({
      fileName: 'Anmeldungen März.csv',
      created: 1,
    });
    expect(byAction('export.downloaded')).toMatchObject({
      service: 'checkin',
      details: { export: 'checkins' },
    });
    expect(byAction('print_job.downloaded')).toMatchObject({ service: 'badges' });
    expect(byAction('token.revoked').details).toMatchObject({ tokenLabel: 'Tür Audit' });
    const text = JSON.stringify(entries);
    expect(text).not.toContain('@');
    expect(text).not.toContain(issued.body.token as string);
    for (const needle of needles(someone)) expect(text).not.toContain(needle);

    // Paged, newest first; the whole log as CSV.
    const first = await orga(registration).get(`/api/events/${audited}/audit?limit=5`);
    expect(first.body.items).toHaveLength(5);
    const second = await orga(registration).get(
      `/api/events/${audited}/audit?limit=5&cursor=${first.body.nextCursor}`,
    );
    expect(Number(second.body.items[0].id)).toBeLessThan(Number(first.body.items[4].id));
    expect((await orga(registration).get(`/api/events/${audited}/audit?cursor=abc`)).status).toBe(
      400,
    );
    // Entries from badges and check-in travel over the queues and may still arrive: the CSV holds
    // exactly the entries the list shows once both are read at the same state.
    const csv = await waitFor('the CSV to hold the whole log', async () => {
      const answer = await orga(registration).get(`/api/events/${audited}/audit.csv`);
      const { body } = await orga(registration).get(`/api/events/${audited}/audit?limit=1000`);
      const lines = (answer.body as string).trim().split('\r\n');
      return lines.length === (body.items as Entry[]).length + 1 ? answer : undefined;
    });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((csv.body as string).trim().split('\r\n').length).toBeGreaterThanOrEqual(
      entries.length + 1,
    );

    // The log is another event's organisers' and the doors' business no more than the data is.
    const door = await registration.post('/api/tokens', { role: 'door', label: 'Tür' });
    expect(
      (await registration.withToken(door.body.token as string).get(`/api/events/${audited}/audit`))
        .status,
    ).toBe(403);
    expect((await orga(registration).get(`/api/events/${slug}/audit`)).status).toBe(403);
  }, 120_000);
});
