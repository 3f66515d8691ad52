import type { EntityManager } from 'typeorm';
import type { DoorPassage, SessionSnapshot } from '@einlass/contracts';
import type { Admission, ProgrammeSession } from './attended-sessions';

/**
 * What badges keeps of the programme and the door for attendance certificates, fed by the queue
 * (programme.updated from registration, attendee.checked_in from check-in), never read from
 * another service's tables. Both writes are idempotent (a repeated message changes nothing).
 */
export const CertificateAttendance = {
  async recordProgramme(
    manager: EntityManager,
    eventId: string,
    sessions: SessionSnapshot[],
  ): Promise<void> {
    for (const s of sessions) {
      await manager.query(
        `INSERT INTO certificate_sessions (event_id, code, title, room, starts_at, ends_at, kind)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (event_id, code) DO UPDATE SET title = $3, room = $4, starts_at = $5,
           ends_at = $6, kind = $7`,
        [eventId, s.code, s.title, s.room, s.startsAt, s.endsAt, s.kind],
      );
    }
  },

  async recordAdmission(manager: EntityManager, passage: DoorPassage): Promise<void> {
    await manager.query(
      `INSERT INTO certificate_admissions (event_id, attendee_id, list, admitted_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [passage.eventId, passage.attendeeId, passage.list, passage.at],
    );
  },

  /** Everyone admitted anywhere at the event whose data is not erased, by name. */
  async attendees(manager: EntityManager, eventId: string): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT b.id FROM badges b
        WHERE b.event_id = $1 AND b.erased_at IS NULL
          AND EXISTS (SELECT 1 FROM certificate_admissions a
                       WHERE a.event_id = b.event_id AND a.attendee_id = b.id)
        ORDER BY lower(b.attendee->>'lastName'), lower(b.attendee->>'firstName'), b.id`,
      [eventId],
    );
    return rows.map((row) => row.id);
  },

  async programme(
    manager: EntityManager,
    eventId: string,
  ): Promise<{ programme: ProgrammeSession[]; sessionsWithDoorList: Set<string> }> {
    const sessions = await manager.query<
      { code: string; title: string; starts_at: Date; ends_at: Date; kind: 'talk' | 'workshop' }[]
    >(
      `SELECT code, title, starts_at, ends_at, kind FROM certificate_sessions WHERE event_id = $1`,
      [eventId],
    );
    const withList = await manager.query<{ list: string }[]>(
      `SELECT DISTINCT list FROM certificate_admissions WHERE event_id = $1 AND list <> 'main'`,
      [eventId],
    );
    return {
      programme: sessions.map((s) => ({
        code: s.code,
        title: s.title,
        startsAt: s.starts_at,
        endsAt: s.ends_at,
        kind: s.kind,
      })),
      sessionsWithDoorList: new Set(withList.map((row) => row.list)),
    };
  },

  /** Each person's admissions. */
  async admissions(
    manager: EntityManager,
    eventId: string,
    attendeeIds: string[],
  ): Promise<Map<string, Admission[]>> {
    const rows = await manager.query<{ attendee_id: string; list: string; admitted_at: Date }[]>(
      `SELECT attendee_id, list, admitted_at FROM certificate_admissions
        WHERE event_id = $1 AND attendee_id = ANY($2::uuid[])`,
      [eventId, attendeeIds],
    );
    const byPerson = new Map<string, Admission[]>();
    for (const row of rows) {
      const list = byPerson.get(row.attendee_id) ?? [];
      list.push({ list: row.list, at: row.admitted_at });
      byPerson.set(row.attendee_id, list);
    }
    return byPerson;
  },
};
