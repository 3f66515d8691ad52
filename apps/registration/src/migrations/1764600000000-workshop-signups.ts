import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-ups move from an array on the attendee to rows of their own: a workshop holds at most its
 * capacity, later sign-ups wait in order, and the order must survive (a bigserial id keeps it).
 */
export class WorkshopSignups1764600000000 implements MigrationInterface {
  name = 'WorkshopSignups1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE session_signups (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      attendee_id uuid NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('confirmed', 'waiting')),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT session_signups_session_attendee_key UNIQUE (session_id, attendee_id)
    )`);
    await db.query(
      `CREATE INDEX session_signups_queue_idx ON session_signups (session_id, status, id)`,
    );
    await db.query(`CREATE INDEX session_signups_attendee_idx ON session_signups (attendee_id)`);
    await db.query(`INSERT INTO session_signups (event_id, session_id, attendee_id, status)
      SELECT a.event_id, s.id, a.id, 'confirmed'
        FROM attendees a CROSS JOIN LATERAL unnest(a.sessions) AS wanted(code)
        JOIN sessions s ON s.event_id = a.event_id AND s.code = wanted.code
       ORDER BY a.created_at`);
    await db.query(`ALTER TABLE attendees DROP COLUMN sessions`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE attendees ADD COLUMN sessions text[] NOT NULL DEFAULT '{}'`);
    await db.query(`UPDATE attendees a SET sessions = coalesce((
      SELECT array_agg(s.code ORDER BY s.code) FROM session_signups u JOIN sessions s ON s.id = u.session_id
       WHERE u.attendee_id = a.id AND u.status = 'confirmed'), '{}')`);
    await db.query(`DROP TABLE session_signups`);
  }
}
