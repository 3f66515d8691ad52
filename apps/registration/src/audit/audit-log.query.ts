import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Event } from '../events/event.entity';

interface AuditRow {
  id: string;
  at: Date;
  service: string;
  token_id: string | null;
  token_label: string;
  action: string;
  attendee_id: string | null;
  details: Record<string, unknown>;
}

/** The entries of an event, and those about every event (tokens without event limits). */
const OF_EVENT = `(event_id = $1 OR (event_id IS NULL
  AND (NOT details ? 'events' OR details->'events' = '[]'::jsonb OR details->'events' ? $2)))`;

const view = (row: AuditRow) => ({
  id: row.id,
  at: row.at.toISOString(),
  service: row.service,
  token: { id: row.token_id, label: row.token_label },
  action: row.action,
  attendeeId: row.attendee_id,
  details: row.details,
});

/** Reads the audit log (registration keeps it for all three services). */
@Injectable()
export class AuditLogQuery {
  constructor(private readonly dataSource: DataSource) {}

  async page(event: Event, limit: number, cursor?: string) {
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT id, at, service, token_id, token_label, action, attendee_id, details FROM audit_log
        WHERE ${OF_EVENT} AND ($3::bigint IS NULL OR id < $3::bigint)
        ORDER BY id DESC LIMIT $4`,
      [event.id, event.slug, cursor ?? null, limit + 1],
    );
    const items = rows.slice(0, limit).map(view);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }

  async csv(event: Event): Promise<string> {
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT id, at, service, token_id, token_label, action, attendee_id, details FROM audit_log
        WHERE ${OF_EVENT} ORDER BY id`,
      [event.id, event.slug],
    );
    const lines = [
      ['time', 'service', 'token id', 'token label', 'action', 'attendee id', 'details'],
      ...rows.map((row) => [
        row.at.toISOString(),
        row.service,
        row.token_id ?? '',
        row.token_label,
        row.action,
        row.attendee_id ?? '',
        JSON.stringify(row.details),
      ]),
    ];
    return `\ufeff${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
  }
}

/** RFC 4180, and a cell a spreadsheet would evaluate (`=`, `+`, `-`, `@` first) kept as text. */
function csvCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
