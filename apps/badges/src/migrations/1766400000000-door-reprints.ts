import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Door printing, narrowed: a door token fetches the PDF only of a badge it has just re-issued
 * itself. Each re-issue by a door token is kept here for a while (ids only; pruned after a day,
 * deleted with the person's or the event's erasure).
 */
export class DoorReprints1766400000000 implements MigrationInterface {
  name = 'DoorReprints1766400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE door_reprints (
       badge_id uuid NOT NULL,
       token_id uuid NOT NULL,
       version integer NOT NULL,
       event_id uuid NOT NULL,
       reissued_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (badge_id, token_id, version)
     )`);
    await db.query(`CREATE INDEX door_reprints_event_idx ON door_reprints (event_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE door_reprints`);
  }
}
