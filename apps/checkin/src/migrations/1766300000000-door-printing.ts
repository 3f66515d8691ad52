import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Printing a badge at the door (issue 15): whether the event lets door devices re-issue and print
 * one (`devicesMayPrint`), and a revision of the door settings, so that the badges service, which
 * hears of them through `door_settings.changed`, keeps the newest.
 */
export class DoorPrinting1766300000000 implements MigrationInterface {
  name = 'DoorPrinting1766300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE door_settings
       ADD COLUMN devices_may_print boolean NOT NULL DEFAULT false,
       ADD COLUMN revision integer NOT NULL DEFAULT 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE door_settings DROP COLUMN devices_may_print, DROP COLUMN revision`);
  }
}
