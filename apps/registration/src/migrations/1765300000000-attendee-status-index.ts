import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The attendee list filters by status on the server and says how many match. Cancellations are
 * few, so without this index "cancelled" walks the whole name index for a page and counts by
 * reading every row of the event; with it, both read only the cancelled entries (index-only).
 * It keeps the name order after the status, so keyset pages need no sort.
 */
export class AttendeeStatusIndex1765300000000 implements MigrationInterface {
  name = 'AttendeeStatusIndex1765300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX attendees_status_list_idx ON attendees (event_id, status, sort_name, id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX attendees_status_list_idx`);
  }
}
