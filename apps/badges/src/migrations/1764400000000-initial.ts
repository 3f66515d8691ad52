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
      venue text,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      timezone text NOT NULL
    )`);
    await db.query(`CREATE TABLE signing_keys (
      key_id text PRIMARY KEY,
      event_id uuid NOT NULL REFERENCES events (id),
      public_key text NOT NULL,
      private_key text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(
      `CREATE UNIQUE INDEX signing_keys_one_active_idx ON signing_keys (event_id) WHERE active`,
    );
    await db.query(`CREATE TABLE badges (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL REFERENCES events (id),
      version int NOT NULL CHECK (version > 0),
      status text NOT NULL CHECK (status IN ('issued', 'revoked')),
      qr text NOT NULL,
      key_id text NOT NULL REFERENCES signing_keys (key_id),
      attendee jsonb NOT NULL,
      attendee_revision int NOT NULL,
      issued_at timestamptz NOT NULL,
      printed_at timestamptz
    )`);
    await db.query(`CREATE INDEX badges_event_idx ON badges (event_id, status)`);
    for (const statement of [...API_TOKENS_DDL, ...OUTBOX_AND_INBOX_DDL]) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['inbox', 'outbox', 'api_tokens', 'badges', 'signing_keys', 'events']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
