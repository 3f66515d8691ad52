import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each door device's scan count, kept as a running total (apps/checkin/src/devices): the organisers'
 * device list read the whole scan log per request (100-270 ms at 300,000 scans, polled by every
 * open organisers' page on the day). `door_device_scan_totals` holds the scans up to an event's
 * `counted_through` scan id; only the scans after it are counted at read time. Counted per token
 * (and its label as the log names it): two tokens that carry the same label are two devices.
 */
export class DeviceScanTotals1766400000000 implements MigrationInterface {
  name = 'DeviceScanTotals1766400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE door_device_scan_totals (
       event_id uuid NOT NULL,
       token_id uuid,
       device text NOT NULL,
       scans integer NOT NULL,
       last_scan_id bigint NOT NULL,
       last_scan_at timestamptz NOT NULL,
       last_scan_gate text NOT NULL,
       CONSTRAINT door_device_scan_totals_key UNIQUE NULLS NOT DISTINCT (event_id, token_id, device)
     )`);
    await db.query(`CREATE TABLE door_device_scans_counted (
       event_id uuid PRIMARY KEY,
       counted_through bigint NOT NULL
     )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE door_device_scans_counted`);
    await db.query(`DROP TABLE door_device_scan_totals`);
  }
}
