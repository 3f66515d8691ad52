import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One outbox row per message, naming all its destination queues, instead of one row per queue:
 * half the rows for the same news (imports write tens of thousands at once).
 */
export class OutboxQueues1764700000000 implements MigrationInterface {
  name = 'OutboxQueues1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox ADD COLUMN queues text[]`);
    await db.query(`UPDATE outbox SET queues = ARRAY[queue]`);
    await db.query(`ALTER TABLE outbox ALTER COLUMN queues SET NOT NULL, DROP COLUMN queue`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox ADD COLUMN queue text`);
    await db.query(`INSERT INTO outbox (message_id, queue, queues, type, payload, created_at, sent_at)
                    SELECT gen_random_uuid(), q, queues, type, payload, created_at, sent_at
                      FROM outbox CROSS JOIN unnest(queues) AS q WHERE cardinality(queues) > 1`);
    await db.query(`UPDATE outbox SET queue = queues[1] WHERE queue IS NULL`);
    await db.query(`ALTER TABLE outbox ALTER COLUMN queue SET NOT NULL, DROP COLUMN queues`);
  }
}
