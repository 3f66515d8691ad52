import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Desk tokens (issue 17): the `api_tokens` copy of every service accepts the role `desk`. Shared by
 * the three services, like the table's DDL (API_TOKENS_DDL).
 */
export class DeskTokens1765900000000 implements MigrationInterface {
  name = 'DeskTokens1765900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE api_tokens DROP CONSTRAINT IF EXISTS api_tokens_role_check`);
    await db.query(
      `ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check
         CHECK (role IN ('organiser', 'door', 'desk'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM api_tokens WHERE role = 'desk'`);
    await db.query(`ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check`);
    await db.query(
      `ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('organiser', 'door'))`,
    );
  }
}
