import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages republished after Redis lost data travel in replay batches (outbox-relay.ts): a row
 * records the job id of the batch that carried it, so an erasure finds its copy in Redis.
 */
export class ReplayBatches1765700000000 implements MigrationInterface {
  name = 'ReplayBatches1765700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox ADD COLUMN job_id text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox DROP COLUMN job_id`);
  }
}
