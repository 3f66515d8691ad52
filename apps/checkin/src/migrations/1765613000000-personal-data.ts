import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure on check-in's side (docs/DATENSCHUTZ.md): the event's retention date and revision as
 * registration sends them, and when an attendee's data was erased (the row stays: the counts,
 * the presence and the check-in log keep their times and gates).
 */
export class PersonalData1765613000000 implements MigrationInterface {
  name = 'PersonalData1765613000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE events
      ADD COLUMN erase_personal_data_at timestamptz,
      ADD COLUMN personal_data_erased_at timestamptz,
      ADD COLUMN revision int NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE attendees ADD COLUMN erased_at timestamptz`);
    await db.query(
      `CREATE INDEX attendees_not_erased_idx ON attendees (event_id) WHERE erased_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX attendees_not_erased_idx`);
    await db.query(`ALTER TABLE attendees DROP COLUMN erased_at`);
    await db.query(`ALTER TABLE events DROP COLUMN erase_personal_data_at,
      DROP COLUMN personal_data_erased_at, DROP COLUMN revision`);
  }
}
