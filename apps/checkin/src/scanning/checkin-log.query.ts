import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

interface LogRow {
  id: string;
  recorded_at: Date;
  scanned_at: Date | null;
  gate: string;
  list: string;
  device: string;
  direction: string;
  result: string;
  message: string;
  flag: string | null;
  attendee_id: string | null;
  name: string | null;
}

/** The check-in log, newest first, a page at a time: every scan, whatever its answer. */
@Injectable()
export class CheckinLogQuery {
  constructor(private readonly dataSource: DataSource) {}

  /** `attendeeId` narrows the log to one person's scans (their history). */
  async page(eventId: string, cursor: string | undefined, limit: number, attendeeId?: string) {
    if (cursor !== undefined && !/^\d{1,18}$/.test(cursor)) {
      throw new BadRequestException(['cursor is not a cursor this log returned']);
    }
    const rows = await this.dataSource.query<LogRow[]>(
      `SELECT s.id, s.recorded_at, s.scanned_at, s.gate, s.list, s.device, s.direction, s.result, s.message,
              s.flag, s.attendee_id, concat_ws(' ', a.title, a.first_name, a.last_name) AS name
         FROM scans s LEFT JOIN attendees a ON a.id = s.attendee_id
        WHERE s.event_id = $1 AND ($2::bigint IS NULL OR s.id < $2::bigint)
              ${attendeeId ? 'AND s.attendee_id = $4' : ''}
        ORDER BY s.id DESC LIMIT $3`,
      [eventId, cursor ?? null, limit + 1, ...(attendeeId ? [attendeeId] : [])],
    );
    const items = rows.slice(0, limit).map((row) => ({
      id: row.id,
      at: new Date(row.recorded_at).toISOString(),
      scannedAt: row.scanned_at ? new Date(row.scanned_at).toISOString() : null,
      gate: row.gate,
      list: row.list,
      device: row.device,
      direction: row.direction,
      result: row.result,
      message: row.message,
      flag: row.flag,
      attendee: row.attendee_id ? { id: row.attendee_id, name: row.name } : null,
    }));
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }
}
