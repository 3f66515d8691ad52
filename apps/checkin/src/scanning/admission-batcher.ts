import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventType, type ScanAnswer } from '@einlass/contracts';
import { GroupedWork, queryRows } from '@einlass/database';
import { writeManyToOutbox } from '@einlass/outbox';
import { markAttendanceChanged } from '../attendance/attendance-stream.signal';
import { doorAnswers } from '@einlass/door-rules';

/** One entrance admission waiting to be written, with what its log row needs. */
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

/**
 * Writes entrance admissions in groups: the scans that arrive while a group is being written are
 * decided and committed together in one transaction, with one statement per step for the whole
 * group. Every answer still leaves only after its own write is committed, and the database still
 * decides who is first (a badge scanned twice in one group: the first is admitted, the second
 * answered already_admitted). Under load this turns hundreds of small transactions into a few
 * large ones; with a single scan in flight it costs nothing extra.
 */
@Injectable()
export class AdmissionBatcher {
  /** Groups are written at once on up to four connections, leaving the rest for everything else. */
  private readonly groups = new GroupedWork<PendingAdmission, ScanAnswer>(
    (group) => this.write(group),
    { parallel: 1, maxGroup: 500 },
  );

  constructor(private readonly dataSource: DataSource) {}

  admit(admission: PendingAdmission): Promise<ScanAnswer> {
    return this.groups.run(admission);
  }

  private async write(group: PendingAdmission[]): Promise<ScanAnswer[]> {
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
      const at = new Date().toISOString();
      await writeManyToOutbox(
        manager,
        EventType.AttendeeCheckedIn,
        group
          .filter((_, i) => result[i].result === 'admitted')
          .map((w) => ({
            eventId: w.eventId,
            attendeeId: w.attendeeId,
            list: 'main',
            gate: w.gate,
            at,
            flag: null,
          })),
      );
      for (const eventId of new Set(group.map((w) => w.eventId))) {
        markAttendanceChanged(manager, eventId);
      }
      return result;
    });
  }
}
