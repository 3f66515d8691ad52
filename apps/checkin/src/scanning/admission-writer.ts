import { ConflictException, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { hashToken } from '@einlass/auth';
import type { ScanAnswer } from '@einlass/contracts';
import { isDeadlock, isUniqueViolation, queryPrepared, queryRows } from '@einlass/database';
import { outboxWritten } from '@einlass/outbox';
import { doorAnswers, type ScanList } from '@einlass/door-rules';
import { attendanceChanged, markAttendanceChanged } from '../attendance/attendance-stream.signal';
import {
  attendeeLeft,
  attendeesCheckedIn,
  attendeesCheckedInStatement,
  doorPassage,
  ISO_TIMESTAMP_SQL,
} from '../published-events';
import { doorView } from '../read-model/read-model.entities';
import { DoorStatistics } from './door-statistics';
import { scanNonceIs } from './nonce-lookup';
import type { ScanContext } from './scan-context';

/** One entrance admission waiting to be written in a group, with what its log row needs. */
export interface PendingAdmission {
  eventId: string;
  attendeeId: string;
  badgeVersion: number | null;
  gate: string;
  device: string;
  tokenId: string | null;
  /** The device's nonce (a retry of the same scan is recorded once), or null. */
  nonce: string | null;
  /** When an offline device saw the badge (`scannedAt`); null: now. */
  seenAt: Date | null;
  qrHash: string;
  attendee: NonNullable<ScanAnswer['attendee']>;
  /**
   * The holder as decided on, when it came from the copy in memory (BadgeHolders.known): the scan
   * is admitted only if the read model still says so, else answered HOLDER_CHANGED. Null: the
   * holder was read for this scan (the same when absent).
   */
  expected?: { revision: number; status: string; erased: boolean } | null;
}

/**
 * The answer to an admission decided on a holder the read model no longer matches (re-issued,
 * cancelled, erased since the copy was made): nothing of the scan was written; decide it again
 * from a fresh read.
 */
export const HOLDER_CHANGED = Symbol('holder changed');

/** A scan of a group, answered (its log row written with the answer). */
interface Answered {
  answer: ScanAnswer;
}

/** A scan of a group with its log row: the answer, and the row's flag. */
interface Logged extends Answered {
  id: string;
  flag: 'duplicate' | null;
}

/** A scan of a group whose statement failed: nothing of it was written. */
interface Failed {
  failed: Error;
}

/** An answer as the scans log keeps it for its nonce: with the badge it was given for. */
type StoredAnswer = ScanAnswer & { qrHash: string };

/**
 * A scan of a group whose nonce was used before: its answer (the one given then, or 409 when that
 * was for another badge), and the answer and badge (qrHash) the nonce stands for.
 */
interface Earlier {
  earlier: ScanAnswer | ConflictException;
  stored: ScanAnswer;
  qrHash: string;
}

/** What the claim statements read of a scan. */
function claimRow(w: PendingAdmission, i: number) {
  return {
    i,
    event_id: w.eventId,
    attendee_id: w.attendeeId,
    badge_version: w.badgeVersion,
    gate: w.gate,
    device: w.device,
    token_id: w.tokenId,
    nonce: w.nonce,
    scanned_at: w.seenAt,
    revision: w.expected?.revision ?? null,
    status: w.expected?.status ?? null,
    erased: w.expected?.erased ?? null,
  };
}

/** The answer to a scan whose nonce was used before (`stored`): its answer, or 409 (another badge). */
function earlierAnswer(w: PendingAdmission, stored: StoredAnswer): Earlier {
  const { qrHash, ...answer } = stored;
  return { earlier: qrHash === w.qrHash ? answer : nonceReused(w.nonce!), stored: answer, qrHash };
}

/** Stands for the gate in the "already inside" wording handed to onlineGroupSql. */
const GATE_MARK = '⟨gate⟩';

/**
 * The statement of an online group (AdmissionWriter.admitOnline), with the feed's CTE (`feed`,
 * reading `admitted_now`). $1 the scans (claimRow, qr_hash, attendee); $2, $3 the wordings of an
 * admission and a re-entry; $4 that of "already inside" with $5 standing for the gate; from $6 the
 * feed's. Each scan comes back with its answer, or the earlier answer of its nonce, or neither:
 * `current` false, its holder changed since it was decided; true, its person's presence row was
 * committed by another transaction while the statement ran (to be answered by the next one).
 *
 * All CTEs read the snapshot taken when the statement began; the presence upsert waits for, and
 * sees, rows committed since. A person already inside is answered with their first admission as
 * of that snapshot (an offline device overtaking it in the same instant is the next answer's).
 */
function onlineGroupSql(feed: string): string {
  return `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(i int, event_id uuid, attendee_id uuid,
                badge_version int, gate text, device text, token_id uuid, nonce text,
                revision int, status text, erased boolean, qr_hash text, attendee jsonb)),
     -- A scan decided on the copy in memory only while its holder is still the one decided on.
     s AS (
       SELECT input.* FROM input
        WHERE input.revision IS NULL OR EXISTS (
          SELECT 1 FROM attendees a
           WHERE a.id = input.attendee_id AND a.revision = input.revision
             AND a.badge_version IS NOT DISTINCT FROM input.badge_version
             AND a.status = input.status AND (a.erased_at IS NOT NULL) = input.erased)),
     -- Lookups row by row (LATERAL ... LIMIT 1), never a join over the event's rows: the plan of
     -- this prepared statement must stay cheap whatever the statistics said when it was made.
     earlier AS (
       SELECT s.i, x.answer FROM s CROSS JOIN LATERAL (
         SELECT x.answer FROM scans x WHERE ${scanNonceIs('x', 's.event_id', 's.nonce')} LIMIT 1) x),
     fresh AS (SELECT s.* FROM s WHERE NOT EXISTS (SELECT 1 FROM earlier e WHERE e.i = s.i)),
     primaries AS (
       SELECT DISTINCT ON (event_id, attendee_id) i, event_id, attendee_id, gate
         FROM fresh ORDER BY event_id, attendee_id, i),
     entered AS (
       INSERT INTO presence (event_id, list, attendee_id, first_admitted_at, first_gate, inside, last_change_at)
       SELECT event_id, 'main', attendee_id, now(), gate, true, now() FROM primaries ORDER BY event_id, attendee_id
       ON CONFLICT (event_id, list, attendee_id) DO UPDATE SET inside = true, last_change_at = now()
         WHERE presence.inside = false
       RETURNING event_id, attendee_id, (xmax <> 0) AS reentered, first_admitted_at, first_gate),
     admitted_now AS (
       SELECT p.i, p.event_id, p.attendee_id, p.gate FROM primaries p
         JOIN entered e ON e.event_id = p.event_id AND e.attendee_id = p.attendee_id),
     known AS (
       SELECT pr.event_id, pr.attendee_id, p.first_admitted_at, p.first_gate FROM primaries pr
         CROSS JOIN LATERAL (
           SELECT p.first_admitted_at, p.first_gate FROM presence p
            WHERE p.event_id = pr.event_id AND p.list = 'main' AND p.attendee_id = pr.attendee_id
            LIMIT 1) p),
     answered AS (
       SELECT f.*, CASE
           WHEN a.i IS NOT NULL THEN
             (CASE WHEN e.reentered THEN $3::jsonb ELSE $2::jsonb END) || jsonb_build_object('attendee', f.attendee)
           WHEN coalesce(e.first_gate, k.first_gate) IS NOT NULL THEN
             $4::jsonb || jsonb_build_object(
               'message', replace($4::jsonb ->> 'message', $5, coalesce(e.first_gate, k.first_gate)),
               'firstScan', jsonb_build_object(
                  'at', ${ISO_TIMESTAMP_SQL('coalesce(e.first_admitted_at, k.first_admitted_at)')},
                  'gate', coalesce(e.first_gate, k.first_gate)),
               'attendee', f.attendee)
         END AS answer
         FROM fresh f
         LEFT JOIN admitted_now a ON a.i = f.i
         LEFT JOIN entered e ON e.event_id = f.event_id AND e.attendee_id = f.attendee_id
         LEFT JOIN known k ON k.event_id = f.event_id AND k.attendee_id = f.attendee_id),
     -- A plain insert: a nonce claimed meanwhile fails the statement (see admitOnline).
     logged AS (
       INSERT INTO scans (event_id, attendee_id, badge_version, gate, list, direction, device, token_id,
                          result, message, nonce, answer)
       SELECT event_id, attendee_id, badge_version, gate, 'main', 'in', device, token_id,
              answer ->> 'result', answer ->> 'message', nonce, answer || jsonb_build_object('qrHash', qr_hash)
         FROM answered WHERE answer IS NOT NULL ORDER BY event_id, nonce, i),
     feed AS (${feed})
     SELECT input.i, s.i IS NOT NULL AS current, a.answer, e.answer AS earlier
       FROM input LEFT JOIN s ON s.i = input.i
                  LEFT JOIN answered a ON a.i = input.i
                  LEFT JOIN earlier e ON e.i = input.i`;
}

/** The feed's part of the online group's statement (its parameters from $6). */
const ONLINE_FEED = attendeesCheckedInStatement('admitted_now', 6);

/**
 * The online group's statement, the same text every time: sent as a prepared statement (parsed
 * and planned once per connection, its 6 KB of text not sent again).
 */
export const ONLINE_GROUP = { name: 'checkin_online_group', sql: onlineGroupSql(ONLINE_FEED.sql) };

/** The answer to a nonce already used for another badge (409). */
export function nonceReused(nonce: string): ConflictException {
  return new ConflictException(`Nonce ${nonce} was already used for another badge`);
}

interface PresenceRow {
  first_admitted_at: Date;
  first_gate: string;
}

/**
 * The one writer of check-in's record of the door: who is inside (`presence`, with each person's
 * first admission per list), the scans log, and the live feed to registration (outbox), all three
 * in one transaction that commits before the answer leaves. Admit one (sessions with their
 * capacity, re-entry, offline scans), admit a group (the entrance under load: AdmissionBatcher),
 * exit; refusals are logged here too.
 *
 * The database decides who is first: a unique key per (event, list, person) and a conditional
 * upsert make concurrent scans of one badge yield one admission, whatever the number of gates.
 * Offline scans (`scannedAt`) are always recorded: the earliest admission of a badge wins, and a
 * later one that was already answered `admitted` is flagged as a duplicate, never dropped.
 */
@Injectable()
export class AdmissionWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly statistics: DoorStatistics,
  ) {}

  /**
   * Records one decided scan in a transaction of its own and answers it: a refusal is logged, an
   * exit ends the person's presence, an admission admits (or answers who was first). A nonce
   * already used fails on `scans_event_nonce_key` (the caller answers with the first one's answer).
   */
  record(scan: ScanContext): Promise<ScanAnswer> {
    this.statistics.wrote(1);
    return this.dataSource.transaction((manager) => this.recordIn(manager, scan));
  }

  /**
   * Admits a group of entrance scans (list `main`, online or offline, with or without a nonce);
   * answers each, in order, exactly as if they had been recorded one after the
   * other in that order (admitOne). Online scans (the door's rush) take one statement for the
   * whole group (admitOnline); a group with offline scans one transaction with a statement per
   * step (admitInOrder).
   *
   * A nonce already used admits nobody and is answered with the answer it got then (read back in
   * the same statement), or a ConflictException when it was used for another badge. The same
   * nonce twice in one group: the first one counts, the others get its answer (or the
   * ConflictException).
   */
  async admitGroup(
    group: PendingAdmission[],
  ): Promise<(ScanAnswer | Error | typeof HOLDER_CHANGED)[]> {
    this.statistics.wrote(group.length);
    // The same nonce twice in one group: only its first scan goes to the database.
    const nonceOwner = new Map<string, number>();
    const sent: number[] = [];
    group.forEach((w, i) => {
      if (w.nonce === null) return void sent.push(i);
      const key = `${w.eventId}/${w.nonce}`;
      if (nonceOwner.has(key)) return;
      nonceOwner.set(key, i);
      sent.push(i);
    });
    if (!group.some((w) => w.seenAt !== null)) {
      return this.answersOf(group, nonceOwner, await this.admitOnline(group, sent));
    }
    return this.dataSource.transaction(async (manager) => {
      const recorded = await this.admitInOrder(manager, group, sent);
      const logged = [...recorded].filter((entry): entry is [number, Logged] => 'id' in entry[1]);
      await manager.query(
        `UPDATE scans SET result = x.result, message = x.message, flag = x.flag, answer = x.answer
           FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, result text, message text, flag text, answer jsonb)
          WHERE scans.id = x.id`,
        [
          JSON.stringify(
            logged.map(([i, { id, answer, flag }]) => ({
              id,
              result: answer.result,
              message: answer.message,
              flag,
              answer: { ...answer, qrHash: group[i].qrHash },
            })),
          ),
        ],
      );
      // The live feed for consumers beyond the door, committed with the admissions (outbox).
      const now = new Date();
      await attendeesCheckedIn(
        manager,
        logged
          .filter(([, { answer }]) => answer.result === 'admitted')
          .map(([i, { answer }]) =>
            doorPassage(
              group[i].eventId,
              group[i].attendeeId,
              'main',
              group[i].gate,
              group[i].seenAt ?? now,
              answer.flagged ?? null,
            ),
          ),
      );
      for (const eventId of new Set(group.map((w) => w.eventId))) {
        markAttendanceChanged(manager, eventId);
      }
      return this.answersOf(group, nonceOwner, recorded);
    });
  }

  /**
   * Each scan's answer from what was recorded of the scans sent: a scan left out of them carries a
   * nonce already in the group (the answer it stands for, for the same badge, else 409); a scan
   * sent without an answer was decided on a holder that changed since (HOLDER_CHANGED).
   */
  private answersOf(
    group: PendingAdmission[],
    nonceOwner: Map<string, number>,
    recorded: Map<number, Answered | Earlier | Failed>,
  ): (ScanAnswer | Error | typeof HOLDER_CHANGED)[] {
    return group.map((w, i) => {
      const own = recorded.get(i);
      if (own) return 'failed' in own ? own.failed : 'answer' in own ? own.answer : own.earlier;
      if (w.nonce === null) return HOLDER_CHANGED;
      const ownerIndex = nonceOwner.get(`${w.eventId}/${w.nonce}`)!;
      const owner = recorded.get(ownerIndex);
      if (!owner) return HOLDER_CHANGED;
      if ('failed' in owner) return owner.failed;
      const [answer, qrHash] =
        'answer' in owner ? [owner.answer, group[ownerIndex].qrHash] : [owner.stored, owner.qrHash];
      return qrHash === w.qrHash ? answer : nonceReused(w.nonce);
    });
  }

  /**
   * Claims the nonces of the scans `sent` with their log rows (result 'pending' until answered):
   * each scan's row id, or the earlier answer of its nonce (ConflictException: another badge's).
   * Admits nobody; the caller does, for the scans that got a row.
   */
  private async claim(
    manager: EntityManager,
    group: PendingAdmission[],
    sent: number[],
  ): Promise<Map<number, { id: string } | Earlier>> {
    const rows = await queryRows<{ i: number; id: string | null; earlier: StoredAnswer | null }>(
      manager,
      `WITH s AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(i int, event_id uuid, attendee_id uuid,
                  badge_version int, gate text, device text, token_id uuid, nonce text, scanned_at timestamptz)),
       claimed AS (
         INSERT INTO scans (event_id, attendee_id, badge_version, gate, list, direction, device, token_id,
                            result, message, nonce, scanned_at, answer)
         SELECT event_id, attendee_id, badge_version, gate, 'main', 'in', device, token_id,
                'pending', '', nonce, scanned_at, jsonb_build_object('i', i)
           -- in one order for every group, so two groups claiming nonces cannot deadlock
           FROM s ORDER BY event_id, nonce, i
         ON CONFLICT (nonce, event_id) DO NOTHING
         RETURNING id, (answer->>'i')::int AS i)
       SELECT s.i, c.id,
              CASE WHEN c.id IS NULL THEN
                (SELECT answer FROM scans x WHERE ${scanNonceIs('x', 's.event_id', 's.nonce')}) END AS earlier
         FROM s LEFT JOIN claimed c USING (i)`,
      [JSON.stringify(sent.map((i) => claimRow(group[i], i)))],
    );
    // A nonce claimed by a transaction that committed while the claim waited for it: its answer
    // was not yet visible to the claim's statement; it is now.
    const unseen = rows.filter((row) => row.id === null && row.earlier === null);
    if (unseen.length > 0) {
      const found = await manager.query<
        { event_id: string; nonce: string; answer: StoredAnswer }[]
      >(
        `SELECT x.event_id, x.nonce, x.answer FROM scans x
           JOIN unnest($1::uuid[], $2::text[]) AS t(e, n) ON ${scanNonceIs('x', 't.e', 't.n')}`,
        [unseen.map((row) => group[row.i].eventId), unseen.map((row) => group[row.i].nonce)],
      );
      const byNonce = new Map(found.map((row) => [`${row.event_id}/${row.nonce}`, row.answer]));
      for (const row of unseen) {
        row.earlier = byNonce.get(`${group[row.i].eventId}/${group[row.i].nonce}`) ?? null;
        if (!row.earlier) throw new Error(`nonce ${group[row.i].nonce} neither claimed nor found`);
      }
    }
    return new Map(
      rows.map((row): [number, { id: string } | Earlier] => {
        if (row.id !== null) return [row.i, { id: row.id }];
        return [row.i, earlierAnswer(group[row.i], row.earlier!)];
      }),
    );
  }

  /**
   * Online scans, one statement per group (ONLINE_GROUP, prepared), sent on its own: one round
   * trip, its own transaction (no BEGIN, no COMMIT). Nonces used before are answered with their answer;
   * each person's first scan of the group is admitted unless inside; every other scan answered
   * with the person's first admission; the log rows, with their answers, and the feed written;
   * all committed before any answer leaves. A scan decided on a holder that changed since
   * (`expected`) is left out: nothing written, no answer here.
   *
   * What the statement cannot answer it leaves to a next one: a person whose presence row another
   * transaction committed while the statement ran (invisible to its snapshot; the scan was not
   * admitted, so nothing of it was written). A nonce another transaction claimed meanwhile (a
   * retry sent while its original was still being written) fails the statement on
   * scans_event_nonce_key: nothing of it was written, and it is sent again, now seeing that
   * nonce's answer. Likewise a deadlock with an offline group over one nonce. A statement that
   * still fails leaves its scans with the error (nothing of them written); those answered by an
   * earlier one keep their answers.
   */
  private async admitOnline(
    group: PendingAdmission[],
    sent: number[],
  ): Promise<Map<number, Answered | Earlier | Failed>> {
    const recorded = new Map<number, Answered | Earlier | Failed>();
    let waiting = sent;
    let rounds = 0;
    let failures = 0;
    const fail = (failed: Error) => waiting.forEach((i) => recorded.set(i, { failed }));
    while (waiting.length > 0) {
      if (rounds === 5) {
        fail(new Error('online admissions left unanswered after 5 rounds'));
        break;
      }
      let rows: {
        i: number;
        current: boolean;
        answer: ScanAnswer | null;
        earlier: StoredAnswer | null;
      }[];
      try {
        rows = await queryPrepared(this.dataSource, ONLINE_GROUP.name, ONLINE_GROUP.sql, [
          JSON.stringify(
            waiting.map((i) => ({
              ...claimRow(group[i], i),
              qr_hash: group[i].qrHash,
              attendee: group[i].attendee,
            })),
          ),
          doorAnswers.admitted(false),
          doorAnswers.admitted(true),
          doorAnswers.alreadyInside(GATE_MARK),
          GATE_MARK,
          ...ONLINE_FEED.parameters,
        ]);
      } catch (error) {
        failures += 1;
        const again = isUniqueViolation(error, 'scans_event_nonce_key') || isDeadlock(error);
        if (again && failures < 5) continue;
        // Nothing of these was written; what earlier rounds wrote keeps its answers.
        fail(error instanceof Error ? error : new Error(String(error)));
        break;
      }
      rounds += 1;
      const answered = rows.some((row) => row.answer);
      waiting = [];
      for (const row of rows) {
        if (row.answer) recorded.set(row.i, { answer: row.answer });
        else if (row.earlier) recorded.set(row.i, earlierAnswer(group[row.i], row.earlier));
        else if (row.current) waiting.push(row.i);
      }
      if (answered) {
        outboxWritten();
        attendanceChanged([...new Set(group.map((w) => w.eventId))]);
      }
    }
    return recorded;
  }

  /**
   * A group with offline scans (`scannedAt`): the presence rows of its people are locked (or
   * created by their first scan), the group is worked through in its order with admitOne's rules
   * (the earliest admission wins, later ones flagged as duplicates), then what changed is written.
   */
  private async admitInOrder(
    manager: EntityManager,
    group: PendingAdmission[],
    sent: number[],
  ): Promise<Map<number, Logged | Earlier>> {
    const claims = await this.claim(manager, group, sent);
    const firstOf = new Map<string, number>();
    for (const i of sent) {
      const key = `${group[i].eventId}/${group[i].attendeeId}`;
      if ('id' in claims.get(i)! && !firstOf.has(key)) firstOf.set(key, i);
    }
    const locked = await manager.query<
      {
        event_id: string;
        attendee_id: string;
        first_admitted_at: Date;
        first_gate: string;
        inside: boolean;
        inserted: boolean;
        now: Date;
      }[]
    >(
      `INSERT INTO presence (event_id, list, attendee_id, first_admitted_at, first_gate, inside, last_change_at)
       SELECT e, 'main', a, coalesce(t, now()), g, true, coalesce(t, now())
         FROM jsonb_to_recordset($1::jsonb) AS x(e uuid, a uuid, g text, t timestamptz) ORDER BY e, a
       ON CONFLICT (event_id, list, attendee_id) DO UPDATE SET inside = presence.inside
       RETURNING event_id, attendee_id, first_admitted_at, first_gate, inside, (xmax = 0) AS inserted, now() AS now`,
      [
        JSON.stringify(
          [...firstOf.values()].map((i) => ({
            e: group[i].eventId,
            a: group[i].attendeeId,
            g: group[i].gate,
            t: group[i].seenAt,
          })),
        ),
      ],
    );
    interface State {
      inside: boolean;
      firstAt: Date;
      firstGate: string;
      changed: boolean;
      lastChange: Date | null;
      /** This group's admissions of the person, with when they were seen. */
      admissions: { i: number; at: Date }[];
      /** The earliest time an earlier admission on record was overtaken (flags those after it). */
      overtakenAt: Date | null;
    }
    const states = new Map<string, State & { fresh: boolean }>();
    let now = new Date();
    for (const row of locked) {
      now = new Date(row.now);
      states.set(`${row.event_id}/${row.attendee_id}`, {
        inside: row.inserted ? false : row.inside,
        firstAt: new Date(row.first_admitted_at),
        firstGate: row.first_gate,
        changed: false,
        lastChange: null,
        admissions: [],
        overtakenAt: null,
        fresh: row.inserted,
      });
    }
    const recorded = new Map<number, Logged | Earlier>();
    for (const i of sent) {
      const claimed = claims.get(i)!;
      if (!('id' in claimed)) {
        recorded.set(i, claimed);
        continue;
      }
      const w = group[i];
      const state = states.get(`${w.eventId}/${w.attendeeId}`)!;
      const at = w.seenAt ?? now;
      const logged: Logged = {
        id: claimed.id,
        flag: null,
        answer: { result: 'admitted' } as ScanAnswer,
      };
      if (state.fresh) {
        // Created by this scan's row above: the first admission ever.
        state.fresh = false;
        state.inside = true;
        logged.answer = { ...doorAnswers.admitted(false), attendee: w.attendee };
        state.admissions.push({ i, at });
      } else if (!state.inside) {
        state.inside = true;
        state.changed = true;
        state.lastChange = at;
        logged.answer = { ...doorAnswers.admitted(true), attendee: w.attendee };
        state.admissions.push({ i, at });
      } else if (w.seenAt && w.seenAt < state.firstAt) {
        // An offline device saw the badge before the admission on record: this one is the first,
        // and the admissions seen after it are flagged as duplicates.
        logged.answer = { ...doorAnswers.admittedFirst(state.firstGate), attendee: w.attendee };
        state.firstAt = w.seenAt;
        state.firstGate = w.gate;
        state.changed = true;
        state.overtakenAt = w.seenAt;
        for (const earlier of state.admissions) {
          if (earlier.at > w.seenAt) (recorded.get(earlier.i) as Logged).flag = 'duplicate';
        }
        state.admissions.push({ i, at });
      } else {
        const firstScan = { at: state.firstAt.toISOString(), gate: state.firstGate };
        logged.answer = w.seenAt
          ? {
              ...doorAnswers.duplicateOffline(state.firstGate),
              firstScan,
              flagged: 'duplicate',
              attendee: w.attendee,
            }
          : { ...doorAnswers.alreadyInside(state.firstGate), firstScan, attendee: w.attendee };
      }
      logged.flag = logged.answer.flagged ?? null;
      recorded.set(i, logged);
    }

    const changed = [...states].filter(([, state]) => state.changed);
    if (changed.length > 0) {
      await manager.query(
        `UPDATE presence p SET first_admitted_at = x.f, first_gate = x.g, inside = x.inside,
                last_change_at = coalesce(x.l, p.last_change_at)
           FROM jsonb_to_recordset($1::jsonb) AS x(e uuid, a uuid, f timestamptz, g text, inside boolean, l timestamptz)
          WHERE p.event_id = x.e AND p.list = 'main' AND p.attendee_id = x.a`,
        [
          JSON.stringify(
            changed.map(([key, state]) => ({
              e: key.slice(0, 36),
              a: key.slice(37),
              f: state.firstAt,
              g: state.firstGate,
              inside: state.inside,
              l: state.lastChange,
            })),
          ),
        ],
      );
    }
    // Admissions on record before this group, seen after one of its scans that came first.
    const overtaken = [...states].filter(([, state]) => state.overtakenAt !== null);
    if (overtaken.length > 0) {
      await manager.query(
        `UPDATE scans SET flag = 'duplicate'
           FROM jsonb_to_recordset($1::jsonb) AS x(e uuid, a uuid, t timestamptz)
          WHERE scans.event_id = x.e AND scans.list = 'main' AND scans.attendee_id = x.a
            AND scans.result = 'admitted' AND coalesce(scans.scanned_at, scans.recorded_at) > x.t`,
        [
          JSON.stringify(
            overtaken.map(([key, state]) => ({
              e: key.slice(0, 36),
              a: key.slice(37),
              t: state.overtakenAt,
            })),
          ),
        ],
      );
    }
    return recorded;
  }

  private async recordIn(manager: EntityManager, scan: ScanContext): Promise<ScanAnswer> {
    const { event, list, decision, holder, direction } = scan;
    const listName = list.kind === 'main' ? 'main' : list.code;
    const who = holder ? doorView(holder) : undefined;

    let answer: ScanAnswer;
    if (decision.action === 'refuse') {
      const showPerson = decision.result !== 'invalid' && decision.result !== 'wrong_event';
      answer = {
        result: decision.result,
        reason: decision.reason,
        ...(showPerson ? { attendee: who } : {}),
        message: decision.message,
      };
    } else if (decision.action === 'exit') {
      answer = {
        ...(await this.exit(manager, event.id, listName, holder!.id, scan.seenAt)),
        attendee: who,
      };
    } else {
      answer = {
        ...(await this.admitOne(manager, event.id, list, listName, holder!.id, scan)),
        attendee: who,
      };
    }

    await manager.query(
      `INSERT INTO scans (event_id, attendee_id, badge_version, gate, list, direction, device, token_id,
                          result, message, nonce, scanned_at, flag, answer)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        event.id,
        holder?.id ?? null,
        holder?.badgeVersion ?? null,
        scan.gate,
        listName,
        direction,
        scan.principal.label,
        scan.principal.tokenId,
        answer.result,
        answer.message,
        scan.nonce ?? null,
        scan.seenAt,
        answer.flagged ?? null,
        JSON.stringify({ ...answer, qrHash: hashToken(scan.identity) }),
      ],
    );
    markAttendanceChanged(manager, event.id);
    // The live feed for consumers beyond the door, committed with the scan (outbox).
    if (holder && (answer.result === 'admitted' || answer.result === 'left')) {
      const passage = doorPassage(
        event.id,
        holder.id,
        listName,
        scan.gate,
        scan.seenAt ?? new Date(),
        answer.flagged ?? null,
      );
      if (answer.result === 'admitted') await attendeesCheckedIn(manager, [passage]);
      else await attendeeLeft(manager, passage);
    }
    return answer;
  }

  /** Ends the person's presence on the list (if inside). */
  private async exit(
    manager: EntityManager,
    eventId: string,
    listName: string,
    attendeeId: string,
    seenAt: Date | null,
  ): Promise<Omit<ScanAnswer, 'attendee'>> {
    const left = await queryRows<unknown>(
      manager,
      `UPDATE presence SET inside = false, last_change_at = coalesce($4, now())
        WHERE event_id = $1 AND list = $2 AND attendee_id = $3 AND inside RETURNING 1`,
      [eventId, listName, attendeeId, seenAt],
    );
    return doorAnswers.left(left.length > 0);
  }

  /** Admits one person to the entrance or a session, or answers who was first. */
  private async admitOne(
    manager: EntityManager,
    eventId: string,
    list: ScanList,
    listName: string,
    attendeeId: string,
    scan: ScanContext,
  ): Promise<Omit<ScanAnswer, 'attendee'>> {
    if (list.kind === 'session') {
      // One admission at a time per session: the count below cannot be overtaken.
      const [session] = await manager.query<{ capacity: number }[]>(
        `SELECT capacity FROM sessions WHERE event_id = $1 AND code = $2 FOR UPDATE`,
        [eventId, list.code],
      );
      const [{ inside, present }] = await manager.query<{ inside: boolean; present: number }[]>(
        `SELECT coalesce(bool_or(attendee_id = $3), false) AS inside, count(*)::int AS present
           FROM presence WHERE event_id = $1 AND list = $2 AND inside`,
        [eventId, listName, attendeeId],
      );
      if (!inside && present >= session.capacity) {
        return doorAnswers.capacityFull(list.code, session.capacity);
      }
    }
    const entered = await manager.query<(PresenceRow & { reentered: boolean })[]>(
      `INSERT INTO presence (event_id, list, attendee_id, first_admitted_at, first_gate, inside, last_change_at)
       VALUES ($1, $2, $3, coalesce($5, now()), $4, true, coalesce($5, now()))
       ON CONFLICT (event_id, list, attendee_id) DO UPDATE SET inside = true, last_change_at = excluded.last_change_at
         WHERE presence.inside = false
       RETURNING first_admitted_at, first_gate, (xmax <> 0) AS reentered`,
      [eventId, listName, attendeeId, scan.gate, scan.seenAt],
    );
    if (entered[0]) {
      return doorAnswers.admitted(entered[0].reentered);
    }
    // Already inside. Locked by the upsert above, so the comparison below cannot be overtaken.
    const [first] = await manager.query<PresenceRow[]>(
      `SELECT first_admitted_at, first_gate FROM presence WHERE event_id = $1 AND list = $2 AND attendee_id = $3`,
      [eventId, listName, attendeeId],
    );
    const seenAt = scan.seenAt;
    if (seenAt && seenAt < new Date(first.first_admitted_at)) {
      // An offline device saw the badge before the admission on record: this one is the first.
      await manager.query(
        `UPDATE presence SET first_admitted_at = $4, first_gate = $5
          WHERE event_id = $1 AND list = $2 AND attendee_id = $3`,
        [eventId, listName, attendeeId, seenAt, scan.gate],
      );
      await manager.query(
        `UPDATE scans SET flag = 'duplicate'
          WHERE event_id = $1 AND list = $2 AND attendee_id = $3 AND result = 'admitted'
            AND coalesce(scanned_at, recorded_at) > $4`,
        [eventId, listName, attendeeId, seenAt],
      );
      return doorAnswers.admittedFirst(first.first_gate);
    }
    const firstScan = {
      at: new Date(first.first_admitted_at).toISOString(),
      gate: first.first_gate,
    };
    if (seenAt) {
      // The offline device already let the person in: recorded, and flagged for the organisers.
      return { ...doorAnswers.duplicateOffline(first.first_gate), firstScan, flagged: 'duplicate' };
    }
    return { ...doorAnswers.alreadyInside(first.first_gate), firstScan };
  }
}
