import { ConflictException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DoorDeviceView } from '@einlass/contracts';

/** What a scanner tells check-in about itself with each sync (POST …/devices/report). */
export interface DeviceReport {
  deviceId: string;
  gate: string;
  list: string;
  direction: 'in' | 'out';
  /** Scans decided offline and not yet sent. */
  queued: number;
  /** Answers that differed from the server's, still shown on the device. */
  conflicts: number;
  /** The device's clock when it sent the report. */
  clock: Date;
  /** The page version the device runs. */
  version: string | null;
}

/** A device that has not reported for this long is shown as offline. */
export const ONLINE_WITHIN_MS = 90_000;
/** Devices an event keeps track of: more are refused, so a script cannot fill the table. */
export const MAX_DEVICES_PER_EVENT = 5_000;
/**
 * Scans recorded this long ago are added to the devices' running totals; newer ones are counted
 * when the list is read. A scan's transaction is long over by then (they take milliseconds), so no
 * scan that commits later can carry an id below the counted ones.
 */
export const SETTLED_AFTER_SECONDS = 60;

/**
 * The door devices of an event as the organisers see them on the day: which ones are online, at
 * which gate, how many scans each still holds, and whether its clock is right (offline scans carry
 * the device's time). Scanners report with every sync and count their token's scans; devices that
 * only scan (a handheld on the API) appear from the scan log, under their token's label.
 */
@Injectable()
export class DoorDevices {
  constructor(private readonly dataSource: DataSource) {}

  /** Records a report; answers the server's time and how far the device's clock is off. */
  async report(
    eventId: string,
    tokenId: string | null,
    report: DeviceReport,
    receivedAt = new Date(),
  ): Promise<{ serverTime: string; clockOffsetMs: number }> {
    const clockOffsetMs = Math.round(report.clock.getTime() - receivedAt.getTime());
    const rows = await this.dataSource.query<{ device_id: string }[]>(
      `INSERT INTO door_devices (event_id, device_id, token_id, gate, list, direction, queued,
                                 conflicts, clock_offset_ms, version, last_seen_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now()
        WHERE EXISTS (SELECT 1 FROM door_devices WHERE event_id = $1 AND device_id = $2)
           OR (SELECT count(*) FROM door_devices WHERE event_id = $1) < $11
       ON CONFLICT (event_id, device_id) DO UPDATE SET token_id = excluded.token_id,
         gate = excluded.gate, list = excluded.list, direction = excluded.direction,
         queued = excluded.queued, conflicts = excluded.conflicts,
         clock_offset_ms = excluded.clock_offset_ms, version = excluded.version, last_seen_at = now()
       RETURNING device_id`,
      [
        eventId,
        report.deviceId,
        tokenId,
        report.gate,
        report.list,
        report.direction,
        report.queued,
        report.conflicts,
        clockOffsetMs,
        report.version,
        MAX_DEVICES_PER_EVENT,
      ],
    );
    if (rows.length === 0) {
      throw new ConflictException(
        `This event already has ${MAX_DEVICES_PER_EVENT} devices on record; a new one is not taken`,
      );
    }
    return { serverTime: receivedAt.toISOString(), clockOffsetMs };
  }

  /**
   * Adds the event's settled scans (recorded over a minute ago) to each device's running total, so
   * that reading the list counts only the scans of the last minute or so, not the whole log. One
   * reader at a time per event does it; a reader that finds another at it goes on without.
   */
  async countSettledScans(eventId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query<{ locked: boolean }[]>(
        `SELECT pg_try_advisory_xact_lock(hashtext('door-device-scan-totals'), hashtext($1)) AS locked`,
        [eventId],
      );
      if (!locked) return;
      await manager.query(
        `WITH counted AS (
           SELECT coalesce((SELECT counted_through FROM door_device_scans_counted
                             WHERE event_id = $1), 0) AS through),
         settled AS (
           SELECT s.id, s.token_id, s.device, s.gate, s.recorded_at FROM scans s, counted c
            WHERE s.event_id = $1 AND s.id > c.through
              AND s.id <= (SELECT max(id) FROM scans s2, counted c2
                            WHERE s2.event_id = $1 AND s2.id > c2.through
                              AND s2.recorded_at < now() - make_interval(secs => $2))),
         totals AS (
           INSERT INTO door_device_scan_totals AS t
                  (event_id, token_id, device, scans, last_scan_id, last_scan_at, last_scan_gate)
           SELECT $1, token_id, device, count(*), max(id), max(recorded_at),
                  (array_agg(gate ORDER BY id DESC))[1]
             FROM settled GROUP BY token_id, device
           ON CONFLICT ON CONSTRAINT door_device_scan_totals_key DO UPDATE SET
             scans = t.scans + excluded.scans,
             last_scan_at = greatest(t.last_scan_at, excluded.last_scan_at),
             last_scan_gate = CASE WHEN excluded.last_scan_id > t.last_scan_id
                                   THEN excluded.last_scan_gate ELSE t.last_scan_gate END,
             last_scan_id = greatest(t.last_scan_id, excluded.last_scan_id))
         INSERT INTO door_device_scans_counted (event_id, counted_through)
         SELECT $1, max(id) FROM settled HAVING count(*) > 0
         ON CONFLICT (event_id) DO UPDATE SET counted_through = excluded.counted_through`,
        [eventId, SETTLED_AFTER_SECONDS],
      );
    });
  }

  /** Every device of the event: reported ones and those seen only in the scan log. */
  async of(eventId: string, now = new Date()): Promise<DoorDeviceView[]> {
    await this.countSettledScans(eventId);
    const rows = await this.dataSource.query<
      {
        device_id: string;
        token_name: string | null;
        gate: string | null;
        list: string | null;
        direction: 'in' | 'out' | null;
        queued: number | null;
        conflicts: number | null;
        clock_offset_ms: number | null;
        version: string | null;
        last_seen_at: Date | null;
        last_scan_at: Date | null;
        last_scan_gate: string | null;
        scans: number;
      }[]
    >(
      // A reporting device gets the scans of its token; scans of a token no reporting device
      // uses are a device known from its scans only, under the token's label as the log names it.
      // The running totals hold the scans up to `counted_through`; the newer ones are counted here.
      `WITH recent AS (
         SELECT token_id, device, count(*)::int AS scans, max(id) AS last_scan_id,
                max(recorded_at) AS last_scan_at, (array_agg(gate ORDER BY id DESC))[1] AS last_scan_gate
           FROM scans WHERE event_id = $1
            AND id > coalesce((SELECT counted_through FROM door_device_scans_counted
                                WHERE event_id = $1), 0)
          GROUP BY token_id, device),
       both_parts AS (
         SELECT token_id, device, scans, last_scan_id, last_scan_at, last_scan_gate
           FROM door_device_scan_totals WHERE event_id = $1
         UNION ALL SELECT * FROM recent),
       per_device AS (
         SELECT token_id, device, sum(scans)::int AS scans, max(last_scan_id) AS last_scan_id,
                max(last_scan_at) AS last_scan_at,
                (array_agg(last_scan_gate ORDER BY last_scan_id DESC))[1] AS last_scan_gate
           FROM both_parts GROUP BY token_id, device),
       per_token AS (
         SELECT token_id, sum(scans)::int AS scans, max(last_scan_at) AS last_scan_at,
                (array_agg(last_scan_gate ORDER BY last_scan_id DESC))[1] AS last_scan_gate
           FROM per_device WHERE token_id IS NOT NULL GROUP BY token_id),
       reported AS (
         SELECT d.*, t.label AS token_name FROM door_devices d
           LEFT JOIN api_tokens t ON t.id = d.token_id WHERE d.event_id = $1)
       SELECT r.device_id, r.token_name, r.gate, r.list, r.direction, r.queued, r.conflicts,
              r.clock_offset_ms, r.version, r.last_seen_at, l.last_scan_at, l.last_scan_gate,
              coalesce(l.scans, 0) AS scans
         FROM reported r LEFT JOIN per_token l ON l.token_id = r.token_id
       UNION ALL
       SELECT l.device, l.device, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
              l.last_scan_at, l.last_scan_gate, l.scans
         FROM per_device l
        WHERE l.token_id IS NULL OR NOT EXISTS (SELECT 1 FROM reported r WHERE r.token_id = l.token_id)
        ORDER BY 3, 1`,
      [eventId],
    );
    return rows.map((row) => {
      const lastSeen = latest(row.last_seen_at, row.last_scan_at);
      return {
        deviceId: row.device_id,
        token: row.token_name,
        gate: row.gate ?? row.last_scan_gate,
        list: row.list,
        direction: row.direction,
        online: lastSeen !== null && now.getTime() - lastSeen.getTime() <= ONLINE_WITHIN_MS,
        lastSeenAt: lastSeen?.toISOString() ?? null,
        lastScanAt: row.last_scan_at ? new Date(row.last_scan_at).toISOString() : null,
        scans: row.scans,
        queued: row.queued,
        conflicts: row.conflicts,
        clockOffsetMs: row.clock_offset_ms,
        version: row.version,
        reports: row.last_seen_at !== null,
      };
    });
  }
}

function latest(a: Date | null, b: Date | null): Date | null {
  const times = [a, b].filter((d): d is Date => d !== null).map((d) => new Date(d).getTime());
  return times.length === 0 ? null : new Date(Math.max(...times));
}
