import { MigrationInterface, QueryRunner } from 'typeorm';
import { API_TOKENS_DDL } from '@einlass/auth';
import { OUTBOX_AND_INBOX_DDL } from '@einlass/outbox';

export class Initial1764400000000 implements MigrationInterface {
  name = 'Initial1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await db.query(`CREATE TABLE events (
      id uuid PRIMARY KEY,
      slug text NOT NULL UNIQUE,
      name text NOT NULL,
      venue text,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      timezone text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE TABLE sessions (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      code text NOT NULL,
      title text NOT NULL,
      room text,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      capacity int NOT NULL CHECK (capacity >= 0),
      kind text NOT NULL CHECK (kind IN ('talk', 'workshop')),
      CONSTRAINT sessions_event_code_key UNIQUE (event_id, code)
    )`);
    await db.query(`CREATE TABLE attendees (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      external_id text,
      title text,
      first_name text NOT NULL,
      last_name text NOT NULL,
      email text,
      organisation text,
      category text NOT NULL,
      sessions text[] NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'cancelled')),
      revision int NOT NULL DEFAULT 1,
      search_text text NOT NULL,
      sort_name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT attendees_event_external_id_key UNIQUE (event_id, external_id)
    )`);
    await db.query(`CREATE INDEX attendees_list_idx ON attendees (event_id, sort_name, id)`);
    await db.query(
      `CREATE INDEX attendees_search_idx ON attendees USING gin (search_text public.gin_trgm_ops)`,
    );
    for (const statement of [...API_TOKENS_DDL, ...OUTBOX_AND_INBOX_DDL]) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['inbox', 'outbox', 'api_tokens', 'attendees', 'sessions', 'events']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
