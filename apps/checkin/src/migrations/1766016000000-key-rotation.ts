import { MigrationInterface, QueryRunner } from 'typeorm';

/** Key rotation: when the organisers retired a key, its badges are refused (`key_retired`). */
export class KeyRotation1766016000000 implements MigrationInterface {
  name = 'KeyRotation1766016000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE signing_keys ADD COLUMN retired_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE signing_keys DROP COLUMN retired_at`);
  }
}
