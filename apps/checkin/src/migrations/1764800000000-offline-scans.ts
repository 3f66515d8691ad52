import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Offline devices: a scan can be flagged (a duplicate admission found when a device synchronised),
 * and each event has door settings: its gates, and whether devices may hold names offline.
 */
export class OfflineScans1764800000000 implements MigrationInterface {
  name = 'OfflineScans1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE scans ADD COLUMN flag text CHECK (flag IN ('duplicate'))`);
    await db.query(`CREATE INDEX scans_badge_idx ON scans (event_id, attendee_id, list)`);
    await db.query(`CREATE TABLE door_settings (
      event_id uuid PRIMARY KEY,
      gates text[] NOT NULL DEFAULT '{}',
      devices_hold_names boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE door_settings`);
    await db.query(`DROP INDEX scans_badge_idx`);
    await db.query(`ALTER TABLE scans DROP COLUMN flag`);
  }
}
