import { type DoorAttendanceView, doorAttendanceView } from '../attendance/door-attendance';
import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Category } from '@einlass/contracts';
import type { Places } from '../sessions/signup-book';
import { Attendee } from './attendee.entity';
import { foldForSearch } from './search-text';

export interface AttendeeListFilter {
  eventId: string;
  q?: string;
  category?: Category;
  limit: number;
  cursor?: string;
}

interface Cursor {
  sortName: string;
  id: string;
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      typeof value.sortName === 'string' &&
      typeof value.id === 'string' &&
      /^[0-9a-f-]{36}$/.test(value.id)
    ) {
      return { sortName: value.sortName, id: value.id };
    }
  } catch {
    // fall through
  }
  throw new BadRequestException(['cursor is not a cursor this list returned']);
}

/** Escapes LIKE's wildcards in what a user typed. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Attendees of an event in name order, a page at a time (keyset pagination, stable while people
 * are added). `q` matches any part of the names, organisation, email or external id, ignoring case
 * and accents; a trigram index keeps it fast on large events.
 */
@Injectable()
export class AttendeeListQuery {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One round trip: the page and its people's workshop places. The places are looked up for the
   * page only (the subqueries sit outside the inner, limited query).
   */
  async run(filter: AttendeeListFilter): Promise<{
    items: { attendee: Attendee; places: Places; attendance: DoorAttendanceView }[];
    nextCursor: string | null;
  }> {
    const conditions = ['event_id = $1'];
    const parameters: unknown[] = [filter.eventId];
    const q = filter.q ? foldForSearch(filter.q) : '';
    if (q) {
      parameters.push(`%${likeEscape(q)}%`);
      conditions.push(`search_text LIKE $${parameters.length} ESCAPE '\\'`);
    }
    if (filter.category) {
      parameters.push(filter.category);
      conditions.push(`category = $${parameters.length}`);
    }
    if (filter.cursor) {
      const after = decodeCursor(filter.cursor);
      parameters.push(after.sortName, after.id);
      conditions.push(`(sort_name, id) > ($${parameters.length - 1}, $${parameters.length}::uuid)`);
    }
    parameters.push(filter.limit + 1);
    const places = (status: string) =>
      `coalesce((SELECT array_agg(s.code ORDER BY s.code) FROM session_signups u JOIN sessions s ON s.id = u.session_id
                  WHERE u.attendee_id = page.id AND u.status = '${status}'), '{}') AS ${status === 'confirmed' ? 'sessions' : 'waitlist'}`;
    const rows = await this.dataSource.query<
      (AttendeeRow & {
        sessions: string[];
        waitlist: string[];
        first_checked_in_at: Date | null;
        on_site: boolean | null;
        sessions_attended: string[] | null;
      })[]
    >(
      `SELECT page.*, ${places('confirmed')}, ${places('waiting')},
              d.first_checked_in_at, d.on_site, d.sessions_attended
         FROM (SELECT id, event_id, external_id, title, first_name, last_name, email, organisation, category,
                      status, revision, sort_name, created_at, updated_at
                 FROM attendees WHERE ${conditions.join(' AND ')}
                ORDER BY sort_name, id LIMIT $${parameters.length}) AS page
         LEFT JOIN door_attendance d ON d.attendee_id = page.id
        ORDER BY page.sort_name, page.id`,
      parameters,
    );
    const items = rows.slice(0, filter.limit).map((row) => ({
      attendee: attendeeFromRow(row),
      places: { sessions: row.sessions, waitlist: row.waitlist },
      attendance: doorAttendanceView(
        row.on_site === null
          ? null
          : {
              first_checked_in_at: row.first_checked_in_at,
              on_site: row.on_site,
              sessions_attended: row.sessions_attended ?? [],
            },
      ),
    }));
    const last = items[items.length - 1]?.attendee;
    return {
      items,
      nextCursor:
        rows.length > filter.limit && last
          ? encodeCursor({ sortName: last.sortName, id: last.id })
          : null,
    };
  }
}

interface AttendeeRow {
  id: string;
  event_id: string;
  external_id: string | null;
  title: string | null;
  first_name: string;
  last_name: string;
  email: string | null;
  organisation: string | null;
  category: Attendee['category'];
  status: Attendee['status'];
  revision: number;
  sort_name: string;
  created_at: Date;
  updated_at: Date;
}

function attendeeFromRow(row: AttendeeRow): Attendee {
  return Object.assign(new Attendee(), {
    id: row.id,
    eventId: row.event_id,
    externalId: row.external_id,
    title: row.title,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    organisation: row.organisation,
    category: row.category,
    status: row.status,
    revision: row.revision,
    sortName: row.sort_name,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
}
