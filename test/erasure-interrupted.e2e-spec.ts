import { join } from 'node:path';
import { Pool } from 'pg';
import {
  ApiClient,
  checkinsPerGate,
  everythingStored,
  placesHolding,
  RunningServices,
  startThreeServices,
  TEST_DATABASE_URL,
  uniqueSlug,
  waitFor,
  type ServiceName,
} from '@einlass/testing';

/**
 * An event's erasure cut short (issue 13): each of the three services is killed (SIGKILL, as a
 * crash) while it is halfway through erasing an event of some thousand attendees, and started
 * again. The erasure goes on at its start-up retention check: afterwards nothing of the people is
 * left anywhere (the three schemas, the data directory, every Redis key), each service has marked
 * the event erased, and the door's counts per gate are those from before.
 */
describe('an event erasure cut short', () => {
  const COUNT = 1500;
  let running: RunningServices;
  let registration: ApiClient;
  let checkin: ApiClient;
  let db: Pool;
  const slug = uniqueSlug('interrupted');
  let eventId = '';
  const dataDirectory = join(process.cwd(), '.einlass', 'print-jobs');
  // Every name, email and organisation holds this tag, and nothing else does.
  const tag = `Zq${Math.random().toString(36).slice(2, 10)}`;
  const qrs: string[] = [];

  const count = async (sql: string) =>
    Number((await db.query<{ n: string }>(sql, [eventId])).rows[0].n);

  /** Where each service keeps the people, and the event's mark once its side is erased. */
  const stores: Record<ServiceName, { rows: string; event: string }> = {
    registration: { rows: 'registration.attendees', event: 'registration.events' },
    badges: { rows: 'badges.badges', event: 'badges.events' },
    checkin: { rows: 'checkin.attendees', event: 'checkin.events' },
  };
  const erasedRows = (name: ServiceName) =>
    count(`SELECT count(*) AS n FROM ${stores[name].rows}
            WHERE event_id = $1 AND erased_at IS NOT NULL`);
  const markedErased = async (name: ServiceName) =>
    (await count(`SELECT count(*) AS n FROM ${stores[name].event}
                   WHERE id = $1 AND personal_data_erased_at IS NOT NULL`)) === 1;

  const knowsErasureDate = async (name: ServiceName) =>
    (await count(`SELECT count(*) AS n FROM ${stores[name].event}
                   WHERE id = $1 AND erase_personal_data_at <= now()`)) === 1;

  beforeAll(async () => {
    // Small batches with pauses, so the erasure takes long enough to be cut in the middle.
    running = await startThreeServices(5701, {
      ERASURE_BATCH_SIZE: '50',
      ERASURE_PAUSE_MS: '200',
    });
    ({ registration, checkin } = running);
    db = new Pool({ connectionString: TEST_DATABASE_URL, max: 4 });
    const created = await registration.post('/api/events', {
      slug,
      name: 'Abbruch-Test',
      startsAt: '2027-05-01T08:00:00Z',
      endsAt: '2027-05-02T17:00:00Z',
      timezone: 'Europe/Berlin',
    });
    expect(created.status).toBe(201);
    eventId = created.body.id;
    const lines = ['external_id,first_name,last_name,email,organisation,category'];
    for (let i = 0; i < COUNT; i += 1) {
      lines.push(
        `X-${i},Vorname${tag}n${i},Nachname${tag}n${i},p${i}.${tag}@amt.example,Amt${tag}n${i},attendee`,
      );
    }
    const imported = await registration.post(
      `/api/events/${slug}/attendees/import`,
      `${lines.join('\r\n')}\r\n`,
      { 'content-type': 'text/csv' },
    );
    expect(imported.body.created).toBe(COUNT);
    await waitFor(
      'every badge known at the door',
      async () =>
        (await count(`SELECT count(*) AS n FROM checkin.attendees
                       WHERE event_id = $1 AND badge_version IS NOT NULL`)) === COUNT
          ? true
          : undefined,
      { timeoutMs: 240_000, intervalMs: 1000 },
    );
    // A few admissions: the check-in log's answers show their names.
    const { body: snapshot } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
    const holders = Object.keys(snapshot.badges as Record<string, unknown>).slice(0, 3);
    for (const id of holders) {
      const { body: badge } = await running.badges.get(`/api/events/${slug}/attendees/${id}/badge`);
      qrs.push(badge.qr);
      const { body } = await checkin.post(`/api/events/${slug}/scan`, {
        qr: badge.qr,
        gate: 'Nord',
      });
      expect(body.result).toBe('admitted');
    }
    expect(placesHolding(await everythingStored([dataDirectory]), [tag])).not.toEqual([]);
  }, 300_000);

  afterAll(async () => {
    await db?.end();
    await running?.services.stopAll();
  }, 30_000);

  it('goes on where it stopped when each killed service starts again', async () => {
    const before = await checkinsPerGate(checkin, slug);
    expect(before['Nord/admitted']).toBe(3);
    // Registration answers once its side is done: killed before, the request fails.
    const asked = registration
      .post(`/api/events/${slug}/erase`, { confirm: slug })
      .catch(() => undefined);

    /** Kills the service once some, not all, of its rows are erased; answers how many were. */
    const killHalfway = async (name: ServiceName) => {
      await waitFor(
        `${name} to be halfway`,
        async () => ((await erasedRows(name)) > 0 ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 50 },
      );
      // Registration goes down only once the other two know the date: killed before its relay
      // sent the message, they would wait for its restart (that case is the outbox's tests').
      if (name === 'registration') {
        await waitFor(
          'badges and check-in to know the erasure date',
          async () =>
            (await knowsErasureDate('badges')) && (await knowsErasureDate('checkin'))
              ? true
              : undefined,
          { timeoutMs: 30_000, intervalMs: 20 },
        );
      }
      await running.services.stop(name, 'SIGKILL');
      return erasedRows(name);
    };
    const erasedWhenKilled = await Promise.all(
      (['registration', 'badges', 'checkin'] as const).map(killHalfway),
    );
    await asked;
    // Each was cut short: some rows erased, not all, and the event not marked erased.
    for (const [i, name] of (['registration', 'badges', 'checkin'] as const).entries()) {
      expect([name, erasedWhenKilled[i] > 0 && erasedWhenKilled[i] < COUNT]).toEqual([name, true]);
      expect([name, await markedErased(name)]).toEqual([name, false]);
    }

    for (const name of ['registration', 'badges', 'checkin'] as const) {
      await running.services.start(name);
    }
    await waitFor(
      'each service to finish the erasure it started',
      async () => {
        for (const name of ['registration', 'badges', 'checkin'] as const) {
          if ((await erasedRows(name)) < COUNT || !(await markedErased(name))) return undefined;
        }
        return true;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    await waitFor(
      'nothing of anyone left anywhere',
      async () => {
        const left = placesHolding(await everythingStored([dataDirectory]), [tag]);
        return left.length === 0 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    ).catch(async (error: unknown) => {
      const left = placesHolding(await everythingStored([dataDirectory]), [tag]);
      throw new Error(`${String(error)}\n${left.slice(0, 10).join('\n')}`);
    });
    expect(await checkinsPerGate(checkin, slug)).toEqual(before);
    expect(
      (await checkin.post(`/api/events/${slug}/scan`, { qr: qrs[0], gate: 'Süd' })).body.result,
    ).toBe('revoked');
    const { body: audit } = await registration.get(`/api/events/${slug}/audit?limit=100`);
    // The request's entry, and the one the erasure writes once it is done.
    expect(
      (audit.items as { action: string; token: { label: string } }[]).some(
        (entry) => entry.action === 'event.erased' && entry.token.label === 'retention date',
      ),
    ).toBe(true);
  }, 240_000);
});
