import { MigrationInterface, QueryRunner } from 'typeorm';

/** API tokens may carry an end: past `expires_at` every service refuses them (issue 11). */
export class TokenExpiry1765611000000 implements MigrationInterface {
  name = 'TokenExpiry1765611000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE api_tokens DROP COLUMN expires_at`);
  }
}
