import { Injectable } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import type { CsvCell } from './csv-writer';

/** Rows read per query: enough to keep round trips few, few enough to never fill the memory. */
export const EXPORT_BATCH = 1000;

export interface ExportTable {
  header: readonly string[];
  /** The rows in batches, read from one snapshot of the database. */
  batches: AsyncGenerator<CsvCell[][]>;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value));
const yesNo = (value: boolean | null) => (value ? 'yes' : 'no');

interface AttendeeRow {
  id: string;
  external_id: string | null;
  title: string | null;
  first_name: string;
  last_name: string;
  organisation: string | null;
  category: string;
  status: string;
  sort_name: string;
  first_admitted_at: Date | null;
  first_gate: string | null;
  inside: boolean | null;
  last_scan_at: Date | null;
  sessions: string[];
}

interface ScanRow {
  id: string;
  recorded_at: Date;
  scanned_at: Date | null;
  gate: string;
  list: string;
  device: string;
  direction: string;
  result: string;
  flag: string | null;
  message: string;
  attendee_id: string | null;
  name: string | null;
}

interface SessionRow {
  id: string;
  name: string;
  organisation: string | null;
  category: string;
  sort_name: string;
  first_admitted_at: Date;
  first_gate: string;
  inside: boolean;
}

/**
 * What the CSV exports hold, read in batches by keyset pagination inside one read-only,
 * repeatable-read transaction: 50,000 attendees or 200,000 scans never sit in memory, and every
 * batch sees the same moment, so the file agrees with itself and with the attendance counts of
 * that moment. The connection goes back to the pool when the last batch is read or the download
 * is abandoned.
 */
@Injectable()
export class ExportRows {
  constructor(private readonly dataSource: DataSource) {}

  /** One row per attendee of the event, whatever their status, in name order. */
  attendance(eventId: string): ExportTable {
    return {
      header: [
        'Attendee ID',
        'External ID',
        'Title',
        'First name',
        'Last name',
        'Organisation',
        'Category',
        'Status',
        'Checked in',
        'First admitted at (UTC)',
        'First gate',
        'On site now',
        'Last scan at (UTC)',
        'Sessions attended',
      ],
      batches: this.inSnapshot(async function* (db) {
        let after: { sortName: string; id: string } | null = null;
        for (;;) {
          const rows = (await db.query(
            `SELECT a.id, a.external_id, a.title, a.first_name, a.last_name, a.organisation, a.category,
                    a.status, a.sort_name, p.first_admitted_at, p.first_gate, p.inside,
                    (SELECT max(coalesce(s.scanned_at, s.recorded_at)) FROM scans s
                      WHERE s.event_id = a.event_id AND s.attendee_id = a.id) AS last_scan_at,
                    coalesce((SELECT array_agg(q.list ORDER BY q.list) FROM presence q
                               WHERE q.event_id = a.event_id AND q.attendee_id = a.id AND q.list <> 'main'),
                             '{}') AS sessions
               FROM attendees a
               LEFT JOIN presence p ON p.event_id = a.event_id AND p.list = 'main' AND p.attendee_id = a.id
              WHERE a.event_id = $1 AND ($2::text IS NULL OR (a.sort_name, a.id) > ($2, $3::uuid))
              ORDER BY a.sort_name, a.id LIMIT $4`,
            [eventId, after?.sortName ?? null, after?.id ?? null, EXPORT_BATCH],
          )) as AttendeeRow[];
          if (rows.length === 0) return;
          yield rows.map((r) => [
            r.id,
            r.external_id,
            r.title,
            r.first_name,
            r.last_name,
            r.organisation,
            r.category,
            r.status,
            yesNo(r.first_admitted_at !== null),
            iso(r.first_admitted_at),
            r.first_gate,
            yesNo(r.inside),
            iso(r.last_scan_at),
            r.sessions.join(' '),
          ]);
          if (rows.length < EXPORT_BATCH) return;
          const last = rows[rows.length - 1];
          after = { sortName: last.sort_name, id: last.id };
        }
      }),
    };
  }

  /** Every entry of the check-in log, oldest first: in the order the log recorded them. */
  checkins(eventId: string): ExportTable {
    return {
      header: [
        'Time (UTC)',
        'Scanned at (UTC)',
        'Gate',
        'List',
        'Device',
        'Direction',
        'Result',
        'Flag',
        'Message',
        'Attendee ID',
        'Attendee name',
      ],
      batches: this.inSnapshot(async function* (db) {
        let after = '0';
        for (;;) {
          const rows = (await db.query(
            `SELECT s.id, s.recorded_at, s.scanned_at, s.gate, s.list, s.device, s.direction, s.result,
                    s.flag, s.message, s.attendee_id, concat_ws(' ', a.title, a.first_name, a.last_name) AS name
               FROM scans s LEFT JOIN attendees a ON a.id = s.attendee_id
              WHERE s.event_id = $1 AND s.id > $2::bigint
              ORDER BY s.id LIMIT $3`,
            [eventId, after, EXPORT_BATCH],
          )) as ScanRow[];
          if (rows.length === 0) return;
          yield rows.map((r) => [
            iso(r.recorded_at),
            iso(r.scanned_at),
            r.gate,
            r.list,
            r.device,
            r.direction,
            r.result,
            r.flag,
            r.message,
            r.attendee_id,
            r.attendee_id ? r.name : null,
          ]);
          if (rows.length < EXPORT_BATCH) return;
          after = rows[rows.length - 1].id;
        }
      }),
    };
  }

  /** Who was admitted on a session's list, in name order. */
  session(eventId: string, code: string): ExportTable {
    return {
      header: [
        'Attendee ID',
        'Name',
        'Organisation',
        'Category',
        'First admitted at (UTC)',
        'Gate',
        'Inside now',
      ],
      batches: this.inSnapshot(async function* (db) {
        let after: { sortName: string; id: string } | null = null;
        for (;;) {
          const rows = (await db.query(
            `SELECT a.id, concat_ws(' ', a.title, a.first_name, a.last_name) AS name, a.organisation,
                    a.category, a.sort_name, p.first_admitted_at, p.first_gate, p.inside
               FROM presence p JOIN attendees a ON a.id = p.attendee_id
              WHERE p.event_id = $1 AND p.list = $2
                AND ($3::text IS NULL OR (a.sort_name, a.id) > ($3, $4::uuid))
              ORDER BY a.sort_name, a.id LIMIT $5`,
            [eventId, code, after?.sortName ?? null, after?.id ?? null, EXPORT_BATCH],
          )) as SessionRow[];
          if (rows.length === 0) return;
          yield rows.map((r) => [
            r.id,
            r.name,
            r.organisation,
            r.category,
            iso(r.first_admitted_at),
            r.first_gate,
            yesNo(r.inside),
          ]);
          if (rows.length < EXPORT_BATCH) return;
          const last = rows[rows.length - 1];
          after = { sortName: last.sort_name, id: last.id };
        }
      }),
    };
  }

  /**
   * Runs `read` in a read-only, repeatable-read transaction on a connection of its own, opened
   * when the first batch is asked for and released after the last (or when the reader stops).
   */
  private async *inSnapshot(
    read: (db: QueryRunner) => AsyncGenerator<CsvCell[][]>,
  ): AsyncGenerator<CsvCell[][]> {
    const runner = this.dataSource.createQueryRunner();
    let open = false;
    try {
      await runner.connect();
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      yield* read(runner);
      await runner.query('COMMIT');
      open = false;
    } finally {
      // A transaction still open (an error, or the download abandoned) is rolled back.
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }
}
