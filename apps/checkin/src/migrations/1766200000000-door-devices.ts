import { MigrationInterface, QueryRunner } from 'typeorm';

/** What each door device last reported of itself (apps/checkin/src/devices). */
export class DoorDevices1766200000000 implements MigrationInterface {
  name = 'DoorDevices1766200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE door_devices (
       event_id uuid NOT NULL,
       device_id text NOT NULL,
       token_id uuid,
       gate text NOT NULL,
       list text NOT NULL,
       direction text NOT NULL,
       queued integer NOT NULL,
       conflicts integer NOT NULL,
       clock_offset_ms integer NOT NULL,
       version text,
       first_seen_at timestamptz NOT NULL DEFAULT now(),
       last_seen_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (event_id, device_id)
     )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE door_devices`);
  }
}
