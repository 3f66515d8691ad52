import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a producer needs to republish after Redis lost data (see redis-mark.ts): sent outbox rows
 * are kept for OUTBOX_RETENTION_DAYS (found by when they were sent), each row counts its
 * republications (its job id), and `redis_mark` records, per queue prefix, the last mark seen in
 * Redis, the point up to which everything was delivered, and a replay still to be done.
 */
export class RedisLoss1765600000000 implements MigrationInterface {
  name = 'RedisLoss1765600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox ADD COLUMN republished integer NOT NULL DEFAULT 0`);
    await db.query(`CREATE INDEX outbox_sent_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL`);
    await db.query(`CREATE TABLE redis_mark (
       queue_prefix text PRIMARY KEY,
       mark bigint NOT NULL,
       confirmed_before timestamptz NOT NULL,
       replay_from timestamptz,
       losses integer NOT NULL DEFAULT 0,
       last_loss_at timestamptz,
       last_replay_at timestamptz,
       last_replay_count integer,
       checked_at timestamptz NOT NULL DEFAULT now()
     )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE redis_mark`);
    await db.query(`DROP INDEX outbox_sent_idx`);
    await db.query(`ALTER TABLE outbox DROP COLUMN republished`);
  }
}
