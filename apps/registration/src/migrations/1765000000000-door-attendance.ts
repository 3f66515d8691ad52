import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What registration learns from the door (attendee.checked_in / attendee.left): when someone first
 * came, whether they are inside now, and which sessions they attended. Registration keeps it for
 * the attendee list and for attendance certificates after the event.
 */
export class DoorAttendance1765000000000 implements MigrationInterface {
  name = 'DoorAttendance1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE door_attendance (
      attendee_id uuid PRIMARY KEY REFERENCES attendees (id) ON DELETE CASCADE,
      event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      first_checked_in_at timestamptz,
      on_site boolean NOT NULL DEFAULT false,
      last_entrance_at timestamptz,
      sessions_attended text[] NOT NULL DEFAULT '{}'
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE door_attendance`);
  }
}
