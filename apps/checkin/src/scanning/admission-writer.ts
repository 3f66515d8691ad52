import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { hashToken } from '@einlass/auth';
import type { ScanAnswer } from '@einlass/contracts';
import { queryRows } from '@einlass/database';
import { doorAnswers, type ScanList } from '@einlass/door-rules';
import { markAttendanceChanged } from '../attendance/attendance-stream.signal';
import { attendeeLeft, attendeesCheckedIn, doorPassage } from '../published-events';
import { doorView } from '../read-model/read-model.entities';
import type { ScanContext } from './scan-context';

/** One entrance admission waiting to be written in a group, with what its log row needs. */
export interface PendingAdmission {
  eventId: string;
  attendeeId: string;
  badgeVersion: number | null;
  gate: string;
  device: string;
  tokenId: string | null;
  qrHash: string;
  attendee: NonNullable<ScanAnswer['attendee']>;
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
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records one decided scan in a transaction of its own and answers it: a refusal is logged, an
   * exit ends the person's presence, an admission admits (or answers who was first). A nonce
   * already used fails on `scans_event_nonce_key` (the caller answers with the first one's answer).
   */
  record(scan: ScanContext): Promise<ScanAnswer> {
    return this.dataSource.transaction((manager) => this.recordIn(manager, scan));
  }

  /**
   * Admits a group of entrance scans (list `main`, online, no nonce) in one transaction, with one
   * statement per step for the whole group; answers each, in order. A badge twice in one group: its
   * first scan is admitted, the others answered already_admitted.
   */
  async admitGroup(group: PendingAdmission[]): Promise<ScanAnswer[]> {
    // A badge twice in one group: only its first scan goes to the database as an admission.
    const firsts = new Map<string, PendingAdmission>();
    for (const w of group) {
      const key = `${w.eventId}/${w.attendeeId}`;
      if (!firsts.has(key)) firsts.set(key, w);
    }
    // In one order for every group, so two groups locking the same rows cannot deadlock.
    const primaries = [...firsts.values()].sort(
      (a, b) => a.eventId.localeCompare(b.eventId) || a.attendeeId.localeCompare(b.attendeeId),
    );
    return this.dataSource.transaction(async (manager) => {
      const entered = await queryRows<{
        event_id: string;
        attendee_id: string;
        reentered: boolean;
      }>(
        manager,
        `INSERT INTO presence (event_id, list, attendee_id, first_admitted_at, first_gate, inside, last_change_at)
         SELECT e, 'main', a, now(), g, true, now() FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(e, a, g)
         ON CONFLICT (event_id, list, attendee_id) DO UPDATE SET inside = true, last_change_at = now()
           WHERE presence.inside = false
         RETURNING event_id, attendee_id, (xmax <> 0) AS reentered`,
        [
          primaries.map((p) => p.eventId),
          primaries.map((p) => p.attendeeId),
          primaries.map((p) => p.gate),
        ],
      );
      const admitted = new Map(
        entered.map((row) => [`${row.event_id}/${row.attendee_id}`, row.reentered]),
      );
      // Everyone's first admission, as committed or just written (locked by the upsert above).
      const firstRows = await manager.query<
        { event_id: string; attendee_id: string; first_admitted_at: Date; first_gate: string }[]
      >(
        `SELECT p.event_id, p.attendee_id, p.first_admitted_at, p.first_gate
           FROM presence p JOIN unnest($1::uuid[], $2::uuid[]) AS t(e, a) ON p.event_id = t.e AND p.attendee_id = t.a
          WHERE p.list = 'main'`,
        [primaries.map((p) => p.eventId), primaries.map((p) => p.attendeeId)],
      );
      const first = new Map(firstRows.map((row) => [`${row.event_id}/${row.attendee_id}`, row]));

      const result: ScanAnswer[] = group.map((w) => {
        const key = `${w.eventId}/${w.attendeeId}`;
        const isFirstInGroup = firsts.get(key) === w;
        if (isFirstInGroup && admitted.has(key)) {
          return { ...doorAnswers.admitted(admitted.get(key) === true), attendee: w.attendee };
        }
        const row = first.get(key)!;
        return {
          ...doorAnswers.alreadyInside(row.first_gate),
          firstScan: { at: new Date(row.first_admitted_at).toISOString(), gate: row.first_gate },
          attendee: w.attendee,
        };
      });
      await manager.query(
        `INSERT INTO scans (event_id, attendee_id, badge_version, gate, list, direction, device, token_id,
                            result, message, answer)
         SELECT event_id, attendee_id, badge_version, gate, 'main', 'in', device, token_id, result, message, answer
           FROM jsonb_to_recordset($1::jsonb) AS x(event_id uuid, attendee_id uuid, badge_version int, gate text,
                device text, token_id uuid, result text, message text, answer jsonb)`,
        [
          JSON.stringify(
            group.map((w, i) => ({
              event_id: w.eventId,
              attendee_id: w.attendeeId,
              badge_version: w.badgeVersion,
              gate: w.gate,
              device: w.device,
              token_id: w.tokenId,
              result: result[i].result,
              message: result[i].message,
              answer: { ...result[i], qrHash: w.qrHash },
            })),
          ),
        ],
      );
      // The live feed for consumers beyond the door, committed with the admissions (outbox).
      const at = new Date();
      await attendeesCheckedIn(
        manager,
        group
          .filter((_, i) => result[i].result === 'admitted')
          .map((w) => doorPassage(w.eventId, w.attendeeId, 'main', w.gate, at)),
      );
      for (const eventId of new Set(group.map((w) => w.eventId))) {
        markAttendanceChanged(manager, eventId);
      }
      return result;
    });
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
