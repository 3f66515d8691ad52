import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gives every outbox row a UUID message id (its job id and inbox key). Part of every service's
 * migrations: each schema has its own outbox.
 */
export class OutboxMessageId1764500000000 implements MigrationInterface {
  name = 'OutboxMessageId1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE outbox ADD COLUMN message_id uuid NOT NULL DEFAULT gen_random_uuid()`,
    );
    await db.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_message_id_key UNIQUE (message_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox DROP COLUMN message_id`);
  }
}
