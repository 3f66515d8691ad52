import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure on the badges service's side (docs/DATENSCHUTZ.md): the event's retention date and
 * revision as registration sends them; when a badge's holder was erased; which badges each print
 * job printed (so a person's erasure deletes the files that hold them) and when a file was deleted.
 */
export class PersonalData1765613000000 implements MigrationInterface {
  name = 'PersonalData1765613000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE events
      ADD COLUMN erase_personal_data_at timestamptz,
      ADD COLUMN personal_data_erased_at timestamptz,
      ADD COLUMN revision int NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE badges ADD COLUMN erased_at timestamptz`);
    await db.query(
      `CREATE INDEX badges_not_erased_idx ON badges (event_id) WHERE erased_at IS NULL`,
    );
    await db.query(`ALTER TABLE print_jobs
      ADD COLUMN badge_ids uuid[] NOT NULL DEFAULT '{}',
      ADD COLUMN file_erased_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE print_jobs DROP COLUMN badge_ids, DROP COLUMN file_erased_at`);
    await db.query(`DROP INDEX badges_not_erased_idx`);
    await db.query(`ALTER TABLE badges DROP COLUMN erased_at`);
    await db.query(`ALTER TABLE events DROP COLUMN erase_personal_data_at,
      DROP COLUMN personal_data_erased_at, DROP COLUMN revision`);
  }
}
