import type { EntityManager } from 'typeorm';
import { queryRows } from '@einlass/database';

export interface SignupRequest {
  attendeeId: string;
  sessionId: string;
}

/** An attendee's sign-ups, by session code. */
export interface Places {
  /** Sessions the attendee has a place in. */
  sessions: string[];
  /** Workshops the attendee waits for, in no particular order. */
  waitlist: string[];
}

interface LockedSession {
  id: string;
  capacity: number;
  kind: 'talk' | 'workshop';
  confirmed: number;
}

/**
 * Workshop places and waiting lists. A workshop gives places while its capacity lasts; later
 * sign-ups wait in the order they came (the sign-up row's id), and a freed place goes to the first
 * one waiting. Talks have no sign-up limit (the room's capacity is kept at the door).
 *
 * Every operation locks the sessions it touches (in id order, so concurrent requests cannot
 * deadlock) for the rest of the transaction: counts cannot be overtaken.
 */
export const SignupBook = {
  /** Signs up in the order given. Pairs already signed up keep their place or position. */
  async signUp(manager: EntityManager, eventId: string, requests: SignupRequest[]): Promise<void> {
    if (requests.length === 0) return;
    const sessions = await lockSessions(manager, unique(requests.map((r) => r.sessionId)));
    const existing = await manager.query<{ key: string }[]>(
      `SELECT session_id || '/' || attendee_id AS key FROM session_signups
        WHERE (session_id, attendee_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
      [requests.map((r) => r.sessionId), requests.map((r) => r.attendeeId)],
    );
    const taken = new Set(existing.map((row) => row.key));
    const rows: { sessionId: string; attendeeId: string; status: 'confirmed' | 'waiting' }[] = [];
    for (const request of requests) {
      const key = `${request.sessionId}/${request.attendeeId}`;
      if (taken.has(key)) continue;
      taken.add(key);
      const session = sessions.get(request.sessionId)!;
      const hasPlace = session.kind === 'talk' || session.confirmed < session.capacity;
      if (hasPlace) session.confirmed += 1;
      rows.push({ ...request, status: hasPlace ? 'confirmed' : 'waiting' });
    }
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO session_signups (event_id, session_id, attendee_id, status)
       SELECT $1, s, a, st FROM unnest($2::uuid[], $3::uuid[], $4::text[]) WITH ORDINALITY AS t(s, a, st, n)
        ORDER BY n`,
      [
        eventId,
        rows.map((r) => r.sessionId),
        rows.map((r) => r.attendeeId),
        rows.map((r) => r.status),
      ],
    );
  },

  /** Withdraws sign-ups. Returns the attendees who moved up into a freed place. */
  async withdraw(manager: EntityManager, requests: SignupRequest[]): Promise<string[]> {
    if (requests.length === 0) return [];
    await lockSessions(manager, unique(requests.map((r) => r.sessionId)));
    const removed = await queryRows<{ session_id: string; status: string }>(
      manager,
      `DELETE FROM session_signups
        WHERE (session_id, attendee_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
       RETURNING session_id, status`,
      [requests.map((r) => r.sessionId), requests.map((r) => r.attendeeId)],
    );
    const freed = unique(removed.filter((r) => r.status === 'confirmed').map((r) => r.session_id));
    return SignupBook.fillFreePlaces(manager, freed);
  },

  /**
   * Hands every sign-up of one attendee to another who has none (a substitute): places and waiting
   * positions stay as they are, so nobody else can take a place in between. The sessions are
   * locked like every other operation here, so counts taken concurrently wait for the hand-over.
   */
  async handOver(manager: EntityManager, fromId: string, toId: string): Promise<void> {
    const sessions = await queryRows<{ session_id: string }>(
      manager,
      `SELECT session_id FROM session_signups WHERE attendee_id = $1`,
      [fromId],
    );
    if (sessions.length === 0) return;
    await lockSessions(
      manager,
      sessions.map((row) => row.session_id),
    );
    await manager.query(`UPDATE session_signups SET attendee_id = $2 WHERE attendee_id = $1`, [
      fromId,
      toId,
    ]);
  },

  /** Moves the first ones waiting into free places (after a withdrawal or a capacity increase). */
  async fillFreePlaces(manager: EntityManager, sessionIds: string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const sessions = await lockSessions(manager, sessionIds);
    const movedUp: string[] = [];
    for (const session of sessions.values()) {
      const free =
        session.kind === 'talk' ? Number.MAX_SAFE_INTEGER : session.capacity - session.confirmed;
      if (free <= 0) continue;
      const rows = await queryRows<{ attendee_id: string }>(
        manager,
        `UPDATE session_signups SET status = 'confirmed'
          WHERE id IN (SELECT id FROM session_signups WHERE session_id = $1 AND status = 'waiting'
                        ORDER BY id LIMIT $2)
         RETURNING attendee_id`,
        [session.id, Math.min(free, 1_000_000)],
      );
      movedUp.push(...rows.map((row) => row.attendee_id));
    }
    return unique(movedUp);
  },

  async placesOf(manager: EntityManager, attendeeIds: string[]): Promise<Map<string, Places>> {
    const places = new Map<string, Places>(
      attendeeIds.map((id) => [id, { sessions: [], waitlist: [] }]),
    );
    if (attendeeIds.length === 0) return places;
    const rows = await manager.query<{ attendee_id: string; code: string; status: string }[]>(
      `SELECT u.attendee_id, s.code, u.status FROM session_signups u JOIN sessions s ON s.id = u.session_id
        WHERE u.attendee_id = ANY($1::uuid[]) ORDER BY s.code`,
      [attendeeIds],
    );
    for (const row of rows) {
      const entry = places.get(row.attendee_id)!;
      (row.status === 'confirmed' ? entry.sessions : entry.waitlist).push(row.code);
    }
    return places;
  },
};

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

async function lockSessions(
  manager: EntityManager,
  ids: string[],
): Promise<Map<string, LockedSession>> {
  const sessions = await manager.query<Omit<LockedSession, 'confirmed'>[]>(
    `SELECT id, capacity, kind FROM sessions WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  // Counted after the lock is held (a statement of its own sees what the last holder committed).
  const counts = await manager.query<{ session_id: string; confirmed: number }[]>(
    `SELECT session_id, count(*)::int AS confirmed FROM session_signups
      WHERE session_id = ANY($1::uuid[]) AND status = 'confirmed' GROUP BY session_id`,
    [ids],
  );
  const confirmed = new Map(counts.map((row) => [row.session_id, row.confirmed]));
  return new Map(
    sessions.map((row) => [row.id, { ...row, confirmed: confirmed.get(row.id) ?? 0 }]),
  );
}
