import { MigrationInterface, QueryRunner } from 'typeorm';
import { API_TOKENS_DDL } from '@einlass/auth';
import { OUTBOX_AND_INBOX_DDL } from '@einlass/outbox';

export class Initial1764400000000 implements MigrationInterface {
  name = 'Initial1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE events (
      id uuid PRIMARY KEY,
      slug text NOT NULL UNIQUE,
      name text NOT NULL,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      timezone text NOT NULL
    )`);
    await db.query(`CREATE TABLE sessions (
      event_id uuid NOT NULL,
      code text NOT NULL,
      title text NOT NULL,
      capacity int NOT NULL,
      kind text NOT NULL,
      PRIMARY KEY (event_id, code)
    )`);
    await db.query(`CREATE TABLE signing_keys (
      key_id text PRIMARY KEY,
      event_id uuid NOT NULL,
      public_key text NOT NULL
    )`);
    await db.query(`CREATE TABLE attendees (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL,
      title text,
      first_name text NOT NULL,
      last_name text NOT NULL,
      organisation text,
      category text NOT NULL,
      sessions text[] NOT NULL DEFAULT '{}',
      status text NOT NULL,
      revision int NOT NULL,
      badge_version int
    )`);
    await db.query(`CREATE INDEX attendees_event_idx ON attendees (event_id, category)`);
    // Who is (or was) admitted on which list: one row per person and list, the first admission kept.
    await db.query(`CREATE TABLE presence (
      event_id uuid NOT NULL,
      list text NOT NULL,
      attendee_id uuid NOT NULL,
      first_admitted_at timestamptz NOT NULL,
      first_gate text NOT NULL,
      inside boolean NOT NULL,
      last_change_at timestamptz NOT NULL,
      PRIMARY KEY (event_id, list, attendee_id)
    )`);
    // Every scan, whatever its answer: the check-in log.
    await db.query(`CREATE TABLE scans (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL,
      attendee_id uuid,
      badge_version int,
      gate text NOT NULL,
      list text NOT NULL,
      direction text NOT NULL,
      device text NOT NULL,
      token_id uuid,
      result text NOT NULL,
      message text NOT NULL,
      nonce text,
      scanned_at timestamptz,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      answer jsonb NOT NULL,
      CONSTRAINT scans_event_nonce_key UNIQUE (event_id, nonce)
    )`);
    await db.query(`CREATE INDEX scans_event_idx ON scans (event_id, id)`);
    for (const statement of [...API_TOKENS_DDL, ...OUTBOX_AND_INBOX_DDL]) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'inbox',
      'outbox',
      'api_tokens',
      'scans',
      'presence',
      'attendees',
      'signing_keys',
      'sessions',
      'events',
    ]) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
