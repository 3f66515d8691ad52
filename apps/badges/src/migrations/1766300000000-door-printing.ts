import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Printing a badge at the door (issue 15): per event, whether its door settings (owned by
 * check-in, heard through `door_settings.changed`) let door tokens re-issue and print a badge,
 * with the revision of the settings that said so (the newest wins).
 */
export class DoorPrinting1766300000000 implements MigrationInterface {
  name = 'DoorPrinting1766300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE door_printing (
       event_id uuid PRIMARY KEY,
       devices_may_print boolean NOT NULL,
       revision integer NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE door_printing`);
  }
}
