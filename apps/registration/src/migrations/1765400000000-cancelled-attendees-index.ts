import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The status index of 1765300000000 held every attendee, so every imported or edited person
 * meant one more entry in one more index of the whole table. Only the few cancelled people need
 * one: "cancelled" reads just their entries, in name order (and counts them from the index);
 * "registered" walks the name index past the few cancelled ones.
 */
export class CancelledAttendeesIndex1765400000000 implements MigrationInterface {
  name = 'CancelledAttendeesIndex1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX attendees_cancelled_list_idx ON attendees (event_id, sort_name, id)
        WHERE status = 'cancelled'`,
    );
    await db.query(`DROP INDEX attendees_status_list_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX attendees_status_list_idx ON attendees (event_id, status, sort_name, id)`,
    );
    await db.query(`DROP INDEX attendees_cancelled_list_idx`);
  }
}
