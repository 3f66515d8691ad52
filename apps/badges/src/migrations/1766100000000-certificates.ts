import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attendance certificates (certificates/): what badges hears of the door (admissions, from
 * check-in's attendee.checked_in) and of the programme (programme.updated), the certificates
 * issued (one per person and event, its signed code) and the batch jobs that render them.
 */
export class Certificates1766100000000 implements MigrationInterface {
  name = 'Certificates1766100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE certificate_sessions (
      event_id uuid NOT NULL,
      code text NOT NULL,
      title text NOT NULL,
      room text,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      kind text NOT NULL,
      PRIMARY KEY (event_id, code))`);
    await db.query(`CREATE TABLE certificate_admissions (
      event_id uuid NOT NULL,
      attendee_id uuid NOT NULL,
      list text NOT NULL,
      admitted_at timestamptz NOT NULL,
      PRIMARY KEY (event_id, attendee_id, list, admitted_at))`);
    await db.query(`CREATE TABLE certificates (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL,
      attendee_id uuid NOT NULL,
      key_id text NOT NULL,
      code text NOT NULL,
      language text NOT NULL,
      rule text NOT NULL,
      issuer text,
      holder_name text NOT NULL,
      sessions jsonb NOT NULL,
      issued_at timestamptz NOT NULL,
      erased_at timestamptz,
      UNIQUE (event_id, attendee_id))`);
    await db.query(`CREATE TABLE certificate_jobs (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL,
      format text NOT NULL,
      language text NOT NULL,
      rule text NOT NULL,
      issuer text,
      status text NOT NULL,
      done int NOT NULL DEFAULT 0,
      total int NOT NULL DEFAULT 0,
      error text,
      file_path text,
      attendee_ids uuid[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      file_erased_at timestamptz)`);
    await db.query(
      `CREATE INDEX certificate_jobs_event_idx ON certificate_jobs (event_id, created_at)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE certificate_jobs`);
    await db.query(`DROP TABLE certificates`);
    await db.query(`DROP TABLE certificate_admissions`);
    await db.query(`DROP TABLE certificate_sessions`);
  }
}
