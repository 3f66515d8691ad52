import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal data as a public body must handle it (docs/DATENSCHUTZ.md):
 * - each event has a retention date (by default 90 days after it ends, for events that ended
 *   already 90 days after the upgrade) and, once passed, the time
 *   its personal data was erased; a revision, so consumers keep the newest snapshot of the event;
 * - an erased attendee keeps their row (id, category, status: the counts stay) without the data;
 * - the audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE), no personal data.
 */
export class PersonalData1765613000000 implements MigrationInterface {
  name = 'PersonalData1765613000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE events
      ADD COLUMN erase_personal_data_at timestamptz,
      ADD COLUMN personal_data_erased_at timestamptz,
      ADD COLUMN revision int NOT NULL DEFAULT 1`);
    // Events that ended long ago keep their data 90 days from the upgrade, not a moment: erasing
    // them must be decided (POST /erase, or an earlier date), not a side effect of an upgrade.
    await db.query(
      `UPDATE events SET erase_personal_data_at = greatest(ends_at, now()) + interval '90 days'`,
    );
    await db.query(`ALTER TABLE events ALTER COLUMN erase_personal_data_at SET NOT NULL`);
    await db.query(`ALTER TABLE attendees ADD COLUMN erased_at timestamptz`);
    // What an event's erasure still has to do: the attendees not yet erased.
    await db.query(
      `CREATE INDEX attendees_not_erased_idx ON attendees (event_id) WHERE erased_at IS NULL`,
    );
    await db.query(`CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      message_id text NOT NULL UNIQUE,
      -- null for what concerns no one event (a token for every event)
      event_id uuid,
      at timestamptz NOT NULL,
      service text NOT NULL,
      token_id uuid,
      token_label text NOT NULL,
      action text NOT NULL,
      attendee_id uuid,
      details jsonb NOT NULL DEFAULT '{}'
    )`);
    await db.query(`CREATE INDEX audit_log_event_idx ON audit_log (event_id, at, id)`);
    await db.query(
      `CREATE INDEX audit_log_attendee_idx ON audit_log (attendee_id) WHERE attendee_id IS NOT NULL`,
    );
    await db.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql`);
    await db.query(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await db.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_log`);
    await db.query(`DROP FUNCTION audit_log_append_only()`);
    await db.query(`DROP INDEX attendees_not_erased_idx`);
    await db.query(`ALTER TABLE attendees DROP COLUMN erased_at`);
    await db.query(`ALTER TABLE events DROP COLUMN erase_personal_data_at,
      DROP COLUMN personal_data_erased_at, DROP COLUMN revision`);
  }
}
