import { ConflictException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { hashToken } from '@einlass/auth';
import { EVENT_ROUTES, EventType, payloadSchemas } from '@einlass/contracts';
import { bearer, startInProcess, TEST_ORGANISER_TOKEN } from '@einlass/testing';
import { DoorFixture } from '../test/door-fixture';
import { CheckinModule } from './checkin.module';
import { AdmissionWriter, type PendingAdmission } from './scanning/admission-writer';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Offline devices, lost badges, the snapshot, the log and the limits of door tokens. */
describe('door API', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  let door: DoorFixture;
  const organiser = bearer(TEST_ORGANISER_TOKEN);
  const post = (path: string, payload: unknown, headers = organiser) =>
    app.inject({
      method: 'POST',
      url: `/api/events/${door.slug}${path}`,
      payload: payload as object,
      headers,
    });
  const get = (path: string, headers = organiser) =>
    app.inject({ method: 'GET', url: `/api/events/${door.slug}${path}`, headers });

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
    db = app.get(DataSource);
    door = await new DoorFixture(db).create();
  });

  afterAll(() => app.close());

  describe('offline scans', () => {
    it('lets the earliest scan win: an offline scan from before an online admission becomes the first', async () => {
      const id = await door.person();
      const online = await post('/scan', { qr: door.qr(id), gate: 'Nord' });
      expect(online.json().result).toBe('admitted');
      const [offline] = (
        await post('/scans', [
          { qr: door.qr(id), gate: 'Süd', scannedAt: minutesAgo(10), nonce: 'tab-7:1' },
        ])
      ).json();
      expect(offline.result).toBe('admitted');
      expect(offline.message).toMatch(/flagged as a duplicate/);
      const again = (await post('/scan', { qr: door.qr(id), gate: 'Ost' })).json();
      expect(again.firstScan.gate).toBe('Süd');
      const log = (await get('/checkins'))
        .json()
        .items.filter((item: { attendee: { id: string } | null }) => item.attendee?.id === id);
      expect(log).toHaveLength(3); // nothing dropped
      expect(log.find((item: { gate: string }) => item.gate === 'Nord').flag).toBe('duplicate');
    });

    it('answers a queue longer than the slices it is resolved in (50) in the order sent, each for its badge', async () => {
      const ids = await door.people(110);
      const queue = [
        ...ids.map((id, i) => ({
          qr: door.qr(id),
          gate: 'Nord',
          scannedAt: minutesAgo(60 - i * 0.1),
          nonce: `tab-slices:${i}`,
        })),
        { qr: 'NOT-A-BADGE', gate: 'Nord', scannedAt: minutesAgo(2), nonce: 'tab-slices:110' },
        { qr: door.qr(ids[3]), gate: 'Süd', scannedAt: minutesAgo(1), nonce: 'tab-slices:111' },
      ];
      const synced = await post('/scans', queue);
      expect(synced.statusCode).toBe(200);
      const answers = synced.json();
      expect(answers).toHaveLength(112);
      ids.forEach((id, i) =>
        expect(answers[i]).toMatchObject({ result: 'admitted', attendee: { id } }),
      );
      expect(answers[110].result).not.toMatch(/admitted/);
      expect(answers[111]).toMatchObject({
        result: 'already_admitted',
        attendee: { id: ids[3] },
        firstScan: { gate: 'Nord' },
      });
    });

    it('records a later offline duplicate as already admitted and flags it', async () => {
      const id = await door.person();
      const answers = (
        await post('/scans', [
          { qr: door.qr(id), gate: 'West', scannedAt: minutesAgo(3), nonce: 'tab-2:9' },
          { qr: door.qr(id), gate: 'Ost', scannedAt: minutesAgo(5), nonce: 'tab-1:4' },
        ])
      ).json();
      // Answered in the order sent, decided earliest first.
      expect(answers[1].result).toBe('admitted');
      expect(answers[0]).toMatchObject({
        result: 'already_admitted',
        flagged: 'duplicate',
        firstScan: { gate: 'Ost' },
      });
      // The device sends its queue again after a timeout: the same answers, nothing recorded twice.
      const resent = (
        await post('/scans', [
          { qr: door.qr(id), gate: 'West', scannedAt: minutesAgo(3), nonce: 'tab-2:9' },
          { qr: door.qr(id), gate: 'Ost', scannedAt: minutesAgo(5), nonce: 'tab-1:4' },
        ])
      ).json();
      expect(resent).toEqual(answers);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM checkin.scans WHERE attendee_id = $1`,
        [id],
      );
      expect(n).toBe(2);
    });

    it.each([
      ['in the future', new Date(Date.now() + 3_600_000).toISOString(), /future/],
      ['years in the past', '2019-05-01T10:00:00Z', /72 hours/],
    ])('refuses a scannedAt %s with 400', async (_, scannedAt, message) => {
      const response = await post('/scan', { qr: 'X', gate: 'Nord', scannedAt });
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toMatch(message);
    });

    it('refuses a queue that is not a list of scans, or too long', async () => {
      expect((await post('/scans', { qr: 'X', gate: 'Nord' })).statusCode).toBe(400);
      expect((await post('/scans', [{ qr: 'X' }])).statusCode).toBe(400);
      const tooMany = Array.from({ length: 1001 }, () => ({ qr: 'X', gate: 'Nord' }));
      expect((await post('/scans', tooMany)).statusCode).toBe(400);
    });
  });

  describe('many scans at once', () => {
    /** An entrance scan as the AdmissionBatcher hands it to the AdmissionWriter. */
    const pendingAdmission = (
      attendeeId: string,
      scan: { gate?: string; nonce?: string | null; seenAt?: Date | null; device?: string } = {},
    ): PendingAdmission => ({
      eventId: door.eventId,
      attendeeId,
      badgeVersion: 1,
      gate: scan.gate ?? 'Nord',
      device: scan.device ?? 'test',
      tokenId: null,
      nonce: scan.nonce ?? null,
      seenAt: scan.seenAt ?? null,
      qrHash: hashToken(door.qr(attendeeId)),
      attendee: { id: attendeeId, firstName: 'Erika', lastName: 'Mustermann' } as never,
    });

    it('admits each badge once when a rush of scans is written in groups, and logs every scan', async () => {
      const ids = await Promise.all(Array.from({ length: 20 }, () => door.person()));
      const scans = ids.flatMap((id, i) =>
        Array.from({ length: 5 }, (_, k) => ({ qr: door.qr(id), gate: `Tor ${(i + k) % 4}` })),
      );
      const answers = (await Promise.all(scans.map((scan) => post('/scan', scan)))).map((r) =>
        r.json(),
      );
      expect(answers.filter((a) => a.result === 'admitted')).toHaveLength(20);
      expect(answers.filter((a) => a.result === 'already_admitted')).toHaveLength(80);
      for (const id of ids) {
        // Every refused scan names the gate of the one that was admitted.
        const winner = answers.findIndex((a) => a.attendee.id === id && a.result === 'admitted');
        const others = answers.filter(
          (a) => a.attendee.id === id && a.result === 'already_admitted',
        );
        expect(others).toHaveLength(4);
        expect(new Set(others.map((a) => a.firstScan.gate))).toEqual(new Set([scans[winner].gate]));
      }
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM checkin.scans WHERE attendee_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(n).toBe(100);
      const [{ m }] = await db.query(
        `SELECT count(*)::int AS m FROM checkin.presence WHERE attendee_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(m).toBe(20);
    });

    it('settles nonces in the grouped write: one nonce twice in a group is one scan, reused for another badge 409', async () => {
      const [a, b] = await Promise.all([door.person(), door.person()]);
      const pending = (attendeeId: string, nonce: string | null, gate = 'Nord') =>
        pendingAdmission(attendeeId, { nonce, gate });
      const writer = app.get(AdmissionWriter);
      const answers = await writer.admitGroup([
        pending(a, 'grp-1:1'),
        pending(a, 'grp-1:1', 'Süd'), // the same scan sent twice: the first one's answer
        pending(b, 'grp-1:1'), // the same nonce for another badge: 409
        pending(a, 'grp-1:2'), // the same badge, another scan: already inside
        pending(b, null),
      ]);
      expect(answers[0]).toMatchObject({ result: 'admitted', reason: 'welcome' });
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toBeInstanceOf(ConflictException);
      expect(answers[3]).toMatchObject({ result: 'already_admitted', firstScan: { gate: 'Nord' } });
      expect(answers[4]).toMatchObject({ result: 'admitted' });
      const logged = await db.query(
        `SELECT nonce, result FROM checkin.scans WHERE attendee_id = ANY($1::uuid[]) ORDER BY id`,
        [[a, b]],
      );
      expect(logged).toHaveLength(3);
      expect(logged.filter((row: { result: string }) => row.result === 'pending')).toHaveLength(0);

      // Sent again in a later group: the answers given then, nothing new recorded.
      const again = await writer.admitGroup([
        pending(b, 'grp-1:2'),
        pending(a, 'grp-1:2'),
        pending(a, 'grp-1:1', 'Ost'),
      ]);
      expect(again[0]).toBeInstanceOf(ConflictException);
      expect(again[1]).toEqual(answers[3]);
      expect(again[2]).toEqual(answers[0]);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM checkin.scans WHERE attendee_id = ANY($1::uuid[])`,
        [[a, b]],
      );
      expect(n).toBe(3);
    });

    it('works an offline group through in its order: the earliest admission wins, later ones flagged', async () => {
      const [a, b] = await Promise.all([door.person(), door.person()]);
      const pending = (attendeeId: string, gate: string, seenAt: string | null, nonce: string) =>
        pendingAdmission(attendeeId, {
          gate,
          nonce,
          seenAt: seenAt === null ? null : new Date(seenAt),
        });
      const answers = await app
        .get(AdmissionWriter)
        .admitGroup([
          pending(a, 'West', minutesAgo(3), 'ord-1:1'),
          pending(a, 'Ost', minutesAgo(5), 'ord-2:1'),
          pending(a, 'Nord', null, 'ord-3:1'),
          pending(b, 'West', minutesAgo(4), 'ord-1:2'),
          pending(b, 'Süd', minutesAgo(2), 'ord-2:2'),
        ]);
      expect(answers.map((answer) => (answer as { reason: string }).reason)).toEqual([
        'welcome',
        'admitted_first',
        'already_inside',
        'welcome',
        'duplicate_offline',
      ]);
      expect(answers[2]).toMatchObject({ firstScan: { gate: 'Ost' } });
      const rows = await db.query(
        `SELECT nonce, result, flag FROM checkin.scans WHERE attendee_id = ANY($1::uuid[]) ORDER BY nonce`,
        [[a, b]],
      );
      expect(rows).toEqual([
        { nonce: 'ord-1:1', result: 'admitted', flag: 'duplicate' },
        { nonce: 'ord-1:2', result: 'admitted', flag: null },
        { nonce: 'ord-2:1', result: 'admitted', flag: null },
        { nonce: 'ord-2:2', result: 'already_admitted', flag: 'duplicate' },
        { nonce: 'ord-3:1', result: 'already_admitted', flag: null },
      ]);
      const [presence] = await db.query(
        `SELECT first_gate FROM checkin.presence WHERE attendee_id = $1 AND list = 'main'`,
        [a],
      );
      expect(presence.first_gate).toBe('Ost');
    });

    it('keeps a queue in order when exits come between admissions of one badge', async () => {
      const id = await door.person();
      const qr = door.qr(id);
      const answers = (
        await post('/scans', [
          { qr, gate: 'Nord', scannedAt: minutesAgo(6), nonce: 'tab-8:3' },
          { qr, gate: 'Nord', scannedAt: minutesAgo(10), nonce: 'tab-8:1' },
          { qr, gate: 'Nord', scannedAt: minutesAgo(8), nonce: 'tab-8:2', direction: 'out' },
          { qr, gate: 'Nord', scannedAt: minutesAgo(4), nonce: 'tab-8:4' },
        ])
      ).json();
      expect(answers.map((answer: { reason: string }) => answer.reason)).toEqual([
        'welcome_back',
        'welcome',
        'left',
        'duplicate_offline',
      ]);
      // Sent again (the device did not get the answers): the same answers, nothing new recorded.
      const again = (
        await post('/scans', [
          { qr, gate: 'Nord', scannedAt: minutesAgo(6), nonce: 'tab-8:3' },
          { qr, gate: 'Nord', scannedAt: minutesAgo(10), nonce: 'tab-8:1' },
          { qr, gate: 'Nord', scannedAt: minutesAgo(8), nonce: 'tab-8:2', direction: 'out' },
          { qr, gate: 'Nord', scannedAt: minutesAgo(4), nonce: 'tab-8:4' },
        ])
      ).json();
      expect(again).toEqual(answers);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM checkin.scans WHERE attendee_id = $1`,
        [id],
      );
      expect(n).toBe(4);
    });

    it('answers a rush of retried nonces once each, over HTTP, whatever groups they fall into', async () => {
      const ids = await Promise.all(Array.from({ length: 10 }, () => door.person()));
      const scans = ids.flatMap((id, i) =>
        Array.from({ length: 4 }, (_, k) => ({
          qr: door.qr(id),
          gate: `Tor ${k}`,
          nonce: `rush-${i}:${k >> 1}`, // every scan sent twice
        })),
      );
      const answers = await Promise.all(scans.map((scan) => post('/scan', scan)));
      expect(answers.every((r) => r.statusCode === 200)).toBe(true);
      for (let i = 0; i < scans.length; i += 2) {
        expect(answers[i + 1].json()).toEqual(answers[i].json());
      }
      expect(answers.filter((r) => r.json().result === 'admitted')).toHaveLength(20);
      const reused = await post('/scan', { qr: door.qr(ids[1]), gate: 'Tor 0', nonce: 'rush-0:0' });
      expect(reused.statusCode).toBe(409);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM checkin.scans WHERE attendee_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(n).toBe(20);
    });

    it("writes an online group's door feed as attendeesCheckedIn would: one message per event, passages in order, by the contract", async () => {
      const [a, b, c] = await Promise.all([door.person(), door.person(), door.person()]);
      const pending = (attendeeId: string, gate: string) => pendingAdmission(attendeeId, { gate });
      const feedOf = async (attendeeId: string) =>
        db.query(
          `SELECT type, queues, payload FROM checkin.outbox
            WHERE payload::text LIKE '%' || $1 || '%' ORDER BY id`,
          [attendeeId],
        );
      const before = Date.now();
      const writer = app.get(AdmissionWriter);
      await writer.admitGroup([
        pending(b, 'Nord'),
        pending(a, 'Süd'),
        pending(b, 'Ost'),
        pending(c, 'West'),
      ]);
      const [group] = await feedOf(a);
      expect(group.type).toBe(EventType.AttendeesCheckedIn);
      expect(group.queues).toEqual([...EVENT_ROUTES[EventType.AttendeesCheckedIn]]);
      const payload = payloadSchemas[EventType.AttendeesCheckedIn].parse(group.payload);
      expect(payload.eventId).toBe(door.eventId);
      expect(payload.passages.map((p) => [p.attendeeId, p.gate, p.list, p.flag])).toEqual([
        [b, 'Nord', 'main', null],
        [a, 'Süd', 'main', null],
        [c, 'West', 'main', null],
      ]);
      for (const passage of payload.passages) {
        expect(new Date(passage.at).getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(new Date(passage.at).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      }
      expect(await feedOf(b)).toHaveLength(1); // one message for the group, none for the repeat

      // One admission alone: attendee.checked_in, as a single admission has always been sent.
      const d = await door.person();
      await writer.admitGroup([pending(d, 'Nord')]);
      const [alone] = await feedOf(d);
      expect(alone.type).toBe(EventType.AttendeeCheckedIn);
      expect(payloadSchemas[EventType.AttendeeCheckedIn].parse(alone.payload)).toMatchObject({
        eventId: door.eventId,
        attendeeId: d,
        gate: 'Nord',
      });
    });

    describe('an online group racing another writer (another check-in instance, an offline queue)', () => {
      const online = (attendeeId: string, nonce: string) => pendingAdmission(attendeeId, { nonce });
      /** Waits until a statement of another session waits for a row lock ours holds. */
      const blocked = async () => {
        for (let tries = 0; tries < 200; tries += 1) {
          const [{ n }] = await db.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%jsonb_to_recordset%'`,
          );
          if (n > 0) return;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error('the group never waited for the other writer');
      };
      const claimNonce = (
        other: { query: (sql: string, p: unknown[]) => Promise<unknown> },
        id: string,
        nonce: string,
      ) =>
        other.query(
          `INSERT INTO checkin.scans (event_id, attendee_id, badge_version, gate, list, direction, device,
                                      result, message, nonce, answer)
           VALUES ($1, $2, 1, 'Süd', 'main', 'in', 'other', 'admitted', 'Welcome', $3, $4)`,
          [
            door.eventId,
            id,
            nonce,
            {
              result: 'admitted',
              reason: 'welcome',
              message: 'Welcome',
              qrHash: hashToken(door.qr(id)),
            },
          ],
        );

      it('answers a nonce another writer claimed while the group was written with that answer, and admits no one twice', async () => {
        const id = await door.person();
        const other = db.createQueryRunner();
        await other.startTransaction();
        try {
          await claimNonce(other, id, 'race-1:1');
          const answer = app.get(AdmissionWriter).admitGroup([online(id, 'race-1:1')]);
          await blocked(); // the group admitted the person and waits for the nonce
          await other.commitTransaction();
          // The group was written again, seeing the nonce: its answer, and no admission of this one.
          expect((await answer)[0]).toEqual({
            result: 'admitted',
            reason: 'welcome',
            message: 'Welcome',
          });
        } finally {
          await other.release();
        }
        const presence = await db.query(
          `SELECT 1 FROM checkin.presence WHERE event_id = $1 AND attendee_id = $2`,
          [door.eventId, id],
        );
        expect(presence).toHaveLength(0);
        const [{ n }] = await db.query(
          `SELECT count(*)::int AS n FROM checkin.scans WHERE attendee_id = $1`,
          [id],
        );
        expect(n).toBe(1);
      });

      it('answers a person admitted by another writer while the group was written as already inside, with that admission', async () => {
        const id = await door.person();
        const other = db.createQueryRunner();
        await other.startTransaction();
        try {
          await other.query(
            `INSERT INTO checkin.presence (event_id, list, attendee_id, first_admitted_at, first_gate, inside, last_change_at)
             VALUES ($1, 'main', $2, now(), 'West', true, now())`,
            [door.eventId, id],
          );
          const answer = app.get(AdmissionWriter).admitGroup([online(id, 'race-2:1')]);
          await blocked(); // the group's snapshot has no presence row for the person; it waits for this one
          await other.commitTransaction();
          expect((await answer)[0]).toMatchObject({
            result: 'already_admitted',
            reason: 'already_inside',
            message: 'Already checked in at West',
            firstScan: { gate: 'West' },
          });
        } finally {
          await other.release();
        }
        const logged = await db.query(
          `SELECT result, answer->'firstScan'->>'gate' AS gate FROM checkin.scans WHERE attendee_id = $1`,
          [id],
        );
        expect(logged).toEqual([{ result: 'already_admitted', gate: 'West' }]);
      });

      it('is written again when it deadlocks with an offline queue over one nonce and one person', async () => {
        const id = await door.person();
        const other = db.createQueryRunner();
        await other.startTransaction();
        try {
          await claimNonce(other, id, 'race-3:1');
          const answer = app.get(AdmissionWriter).admitGroup([online(id, 'race-3:1')]);
          await blocked(); // the group holds the person's new presence row and waits for the nonce
          // The other writer now wants the person's presence row: a deadlock, which PostgreSQL
          // breaks by failing one of the two; either way the group's answer is the nonce's.
          const admitting = other
            .query(
              `INSERT INTO checkin.presence (event_id, list, attendee_id, first_admitted_at, first_gate, inside, last_change_at)
               VALUES ($1, 'main', $2, now(), 'Süd', true, now())
               ON CONFLICT (event_id, list, attendee_id) DO NOTHING`,
              [door.eventId, id],
            )
            .then(
              () => other.commitTransaction(),
              () => other.rollbackTransaction(),
            );
          const [first] = await answer;
          await admitting;
          const [{ n }] = await db.query(
            `SELECT count(*)::int AS n FROM checkin.presence WHERE event_id = $1 AND attendee_id = $2`,
            [door.eventId, id],
          );
          expect(n).toBe(1);
          expect(first).toMatchObject({ result: 'admitted' });
        } finally {
          await other.release();
        }
      });

      it('keeps the answers of what it wrote when a later statement for the rest of the group fails', async () => {
        const [first, second] = [await door.person(), await door.person()];
        // The log row of the second person's scan cannot be written (a stand-in for any failure
        // that is not a race: a full disk, a dropped connection).
        await db.query(`CREATE FUNCTION public.einlass_test_refuse_scan() RETURNS trigger
                          LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
        await db.query(`CREATE TRIGGER einlass_test_refuse_scan BEFORE INSERT ON checkin.scans
                          FOR EACH ROW WHEN (NEW.device = 'failing') EXECUTE FUNCTION public.einlass_test_refuse_scan()`);
        const other = db.createQueryRunner();
        await other.startTransaction();
        try {
          await other.query(
            `INSERT INTO checkin.presence (event_id, list, attendee_id, first_admitted_at, first_gate, inside, last_change_at)
             VALUES ($1, 'main', $2, now(), 'West', true, now())`,
            [door.eventId, second],
          );
          const answers = app
            .get(AdmissionWriter)
            .admitGroup([
              online(first, 'race-4:1'),
              pendingAdmission(second, { nonce: 'race-4:2', device: 'failing' }),
            ]);
          await blocked(); // the group waits for the second person's presence row
          await other.commitTransaction();
          // The second person is answered by a next statement, which fails: nothing of it is
          // written and its scan gets the error; the first person's admission stands, answered.
          const [admitted, failed] = await answers;
          expect(admitted).toMatchObject({ result: 'admitted' });
          expect(failed).toBeInstanceOf(Error);
          expect((failed as Error).message).toContain('disk full');
        } finally {
          await other.release();
          await db.query(`DROP TRIGGER einlass_test_refuse_scan ON checkin.scans`);
          await db.query(`DROP FUNCTION public.einlass_test_refuse_scan()`);
        }
        const logged = await db.query(
          `SELECT attendee_id, result FROM checkin.scans WHERE nonce IN ('race-4:1', 'race-4:2')`,
        );
        expect(logged).toEqual([{ attendee_id: first, result: 'admitted' }]);
      });
    });
  });

  describe('manual check-in for a lost badge', () => {
    it('admits by attendee id, once, and answers like a scan', async () => {
      const id = await door.person({ firstName: 'Max' });
      const first = (await post(`/attendees/${id}/checkin`, { gate: 'Info' })).json();
      expect(first).toMatchObject({ result: 'admitted', attendee: { id, name: 'Max Mustermann' } });
      expect((await post(`/attendees/${id}/checkin`, { gate: 'Info' })).json().result).toBe(
        'already_admitted',
      );
      expect((await post('/scan', { qr: door.qr(id), gate: 'Nord' })).json().result).toBe(
        'already_admitted',
      );
    });

    it('refuses a cancelled registration, an unknown person and a gate the token may not use', async () => {
      const cancelled = await door.person({ status: 'cancelled' });
      expect((await post(`/attendees/${cancelled}/checkin`, { gate: 'Info' })).json().result).toBe(
        'revoked',
      );
      expect(
        (await post('/attendees/7d4f3a43-55a5-4b7f-8c39-1ef7d6d0b0b1/checkin', { gate: 'Info' }))
          .statusCode,
      ).toBe(404);
      const north = bearer(await door.token('door', { gates: ['Nord'] }));
      const id = await door.person();
      expect((await post(`/attendees/${id}/checkin`, { gate: 'Süd' }, north)).statusCode).toBe(403);
      expect((await post(`/attendees/${id}/checkin`, {}, north)).statusCode).toBe(400);
    });
  });

  describe('the scan snapshot', () => {
    it('gives a door device keys, badge versions, cancellations and admissions, without names by default', async () => {
      const cancelled = await door.person({ status: 'cancelled' });
      const reprinted = await door.person({}, 3);
      const doorToken = bearer(await door.token('door'));
      const snapshot = (await get('/scan-snapshot', doorToken)).json();
      expect(snapshot.keys).toEqual([{ keyId: door.key.keyId, publicKey: door.key.publicKey }]);
      expect(snapshot.revoked).toContain(cancelled);
      expect(snapshot.badges[reprinted]).toMatchObject({
        version: 3,
        status: 'registered',
        category: 'attendee',
      });
      expect(snapshot.badges[reprinted]).not.toHaveProperty('name');
      expect(Object.keys(snapshot.admitted.main ?? {}).length).toBeGreaterThan(0);
      expect(snapshot.lists.map((l: { code: string }) => l.code)).toEqual(['main', 'W01']);
    });

    it('holds names only when the organisers allow it, and only organisers may allow it', async () => {
      const doorToken = bearer(await door.token('door'));
      expect(
        (
          await app.inject({
            method: 'PUT',
            url: `/api/events/${door.slug}/door-settings`,
            payload: { devicesHoldNames: true },
            headers: doorToken,
          })
        ).statusCode,
      ).toBe(403);
      const saved = await app.inject({
        method: 'PUT',
        url: `/api/events/${door.slug}/door-settings`,
        payload: { devicesHoldNames: true },
        headers: organiser,
      });
      expect(saved.json()).toMatchObject({ devicesHoldNames: true });
      const id = await door.person({ firstName: 'Zoë', lastName: 'Ångström' });
      expect((await get('/scan-snapshot', doorToken)).json().badges[id]).toMatchObject({
        name: 'Zoë Ångström',
        organisation: 'Stadt Jena',
      });
    });
  });

  describe('the check-in log', () => {
    it('shows organisers every scan with gate, device and result, a page at a time', async () => {
      await post('/scan', { qr: 'not a badge', gate: 'Nord' });
      const first = (await get('/checkins?limit=2')).json();
      expect(first.items).toHaveLength(2);
      expect(first.items[0]).toMatchObject({
        result: 'invalid',
        gate: 'Nord',
        device: 'ORGANISER_TOKEN',
        direction: 'in',
      });
      const next = (await get(`/checkins?limit=2&cursor=${first.nextCursor}`)).json();
      expect(Number(next.items[0].id)).toBeLessThan(Number(first.items[1].id));
    });

    it('is closed to door tokens and refuses a bad cursor', async () => {
      expect((await get('/checkins', bearer(await door.token('door')))).statusCode).toBe(403);
      expect((await get('/checkins?cursor=abc')).statusCode).toBe(400);
    });
  });

  describe('limits', () => {
    it('refuses a gate the event does not have, once its gates are set', async () => {
      await app.inject({
        method: 'PUT',
        url: `/api/events/${door.slug}/door-settings`,
        payload: { gates: ['Nord', 'Süd', 'Ost', 'West', 'Info'] },
        headers: organiser,
      });
      const response = await post('/scan', { qr: 'X', gate: 'Atlantis' });
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toContain('Atlantis');
      expect((await post('/scan', { qr: 'X', gate: 'Nord' })).statusCode).toBe(200);
    });

    it('answers a door token hammering random codes with 429 and Retry-After, but not an organiser', async () => {
      const hammer = bearer(await door.token('door'));
      // All at once: the budget refills at 10 a second (a token bucket), so scans sent one after
      // another on a slow machine may never outrun it; 40 at once are a burst of 30 and then more.
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          post('/scan', { qr: `random-${i}`, gate: 'Nord' }, hammer),
        ),
      );
      const statuses = responses.map((response) => response.statusCode);
      const retryAfter = responses.find((r) => r.statusCode === 429)?.headers['retry-after'];
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(30);
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      const organiserStatuses = [];
      for (let i = 0; i < 40; i++)
        organiserStatuses.push(
          (await post('/scan', { qr: `random-${i}`, gate: 'Nord' })).statusCode,
        );
      expect(organiserStatuses.every((s) => s === 200)).toBe(true);
    });

    it("counts a device's queue and its single scans against one budget", async () => {
      const device = bearer(await door.token('door'));
      // A queue of 60 goes through once the budget holds a burst (30), and is then paid for.
      const queue = Array.from({ length: 60 }, (_, i) => ({ qr: `queued-${i}`, gate: 'Nord' }));
      expect((await post('/scans', queue, device)).statusCode).toBe(200);
      const next = await post('/scan', { qr: 'after-the-queue', gate: 'Nord' }, device);
      expect(next.statusCode).toBe(429);
      expect(Number(next.headers['retry-after'])).toBeGreaterThan(0);
    });
  });
});
