import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Key rotation: a signing key can be retired (it leaked), after which badges signed with it are
 * refused; the badges of a key are found by its id (counts per key, re-issuing a retired key's).
 */
export class KeyRotation1766016000000 implements MigrationInterface {
  name = 'KeyRotation1766016000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE signing_keys ADD COLUMN retired_at timestamptz`);
    await db.query(
      `ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_active_not_retired
         CHECK (NOT (active AND retired_at IS NOT NULL))`,
    );
    await db.query(`CREATE INDEX badges_key_idx ON badges (key_id, status)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS badges_key_idx`);
    await db.query(`ALTER TABLE signing_keys DROP COLUMN retired_at`);
  }
}
