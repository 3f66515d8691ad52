import { type DoorAttendanceView, doorAttendanceView } from '../attendance/door-attendance';
import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Category } from '@einlass/contracts';
import { decodeKeysetCursor, encodeKeysetCursor, likeEscape } from '@einlass/database';
import type { Places } from '../sessions/signup-book';
import type { Attendee, AttendeeStatus } from './attendee.entity';
import { type AttendeeRow, attendeeFromRow } from './attendee-row';
import { foldName, foldNameSql } from '@einlass/door-rules';

export interface AttendeeListFilter {
  eventId: string;
  q?: string;
  /** Whether `q` also matches emails and external ids (organisers); door tokens: names and organisation only. */
  searchEmails?: boolean;
  category?: Category;
  status?: AttendeeStatus;
  /** A session code: only people holding a confirmed place in it (not those waiting). */
  session?: string;
  limit: number;
  cursor?: string;
}

/**
 * Title, names and organisation folded in SQL exactly as `foldName` folds what is typed: what a
 * door token's search may match (API.md: never emails).
 */
function foldedNamesSql(alias: string): string {
  return foldNameSql(
    `concat_ws(' ', ${alias}.title, ${alias}.first_name, ${alias}.last_name, ${alias}.organisation)`,
  );
}

/**
 * Attendees of an event in name order, a page at a time (keyset pagination, stable while people
 * are added), with how many match in all. `q` matches any part of the names, organisation, email
 * or external id, ignoring case and accents; a trigram index keeps it fast on large events.
 * `category`, `status` and `session` narrow the list on the server, so a filtered page is as full
 * as an unfiltered one and the total counts the whole event, not what the browser has loaded.
 */
@Injectable()
export class AttendeeListQuery {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One statement: the number of matches and the page with its people's workshop places and door
   * attendance, read in one snapshot so the total agrees with the page. The places are looked up
   * for the page only (the subqueries sit outside the inner, limited query).
   */
  async run(filter: AttendeeListFilter): Promise<{
    items: { attendee: Attendee; places: Places; attendance: DoorAttendanceView }[];
    nextCursor: string | null;
    total: number;
  }> {
    // A bad cursor is a 400 before any work is done.
    const after = filter.cursor ? decodeKeysetCursor(filter.cursor) : null;
    const conditions = ['a.event_id = $1'];
    const parameters: unknown[] = [filter.eventId];
    const q = filter.q ? foldName(filter.q) : '';
    if (q) {
      parameters.push(`%${likeEscape(q)}%`);
      conditions.push(`a.search_text LIKE $${parameters.length} ESCAPE '\\'`);
      if (!filter.searchEmails) {
        // The trigram index finds the candidates; this keeps those matching by name or organisation.
        conditions.push(`${foldedNamesSql('a')} LIKE $${parameters.length} ESCAPE '\\'`);
      }
    }
    if (filter.category) {
      parameters.push(filter.category);
      conditions.push(`a.category = $${parameters.length}`);
    }
    if (filter.status) {
      parameters.push(filter.status);
      conditions.push(`a.status = $${parameters.length}`);
    }
    if (filter.session) {
      parameters.push(await this.sessionId(filter.eventId, filter.session));
      // The sign-ups' (session_id, status) index finds a workshop's few places; for a session
      // most people hold, the planner walks the name index and probes each person instead.
      conditions.push(`EXISTS (SELECT 1 FROM session_signups u
                        WHERE u.attendee_id = a.id AND u.session_id = $${parameters.length}
                          AND u.status = 'confirmed')`);
    }
    // The total counts every match; only the page starts after the cursor.
    const matching = conditions.join(' AND ');
    const countParameters = [...parameters];
    // Past the cursor, on the alias of the inner query below (`m` for a search, `a` for a list).
    const alias = q ? 'm' : 'a';
    let afterCursor = 'true';
    if (after) {
      parameters.push(after.sortName, after.id);
      afterCursor = `(${alias}.sort_name, ${alias}.id) > ($${parameters.length - 1}, $${parameters.length}::uuid)`;
    }
    parameters.push(filter.limit + 1);
    const limit = `$${parameters.length}`;
    // The page's ids in name order, each with the total. A search reads its matches once through
    // the trigram index and counts them on the way (a second scan for the count doubled a
    // search's time); a list without `q` walks the name index for the page and counts through
    // the indexes of its filters.
    const selection = q
      ? `SELECT m.id, m.sort_name, m.total
           FROM (SELECT a.id, a.sort_name, count(*) OVER ()::int AS total
                   FROM attendees a WHERE ${matching}) AS m
          WHERE ${afterCursor}
          ORDER BY m.sort_name, m.id LIMIT ${limit}`
      : `SELECT a.id, a.sort_name, (SELECT count(*)::int FROM attendees a WHERE ${matching}) AS total
           FROM attendees a WHERE ${matching} AND ${afterCursor}
          ORDER BY a.sort_name, a.id LIMIT ${limit}`;
    const places = (status: string) =>
      `coalesce((SELECT array_agg(s.code ORDER BY s.code) FROM session_signups u JOIN sessions s ON s.id = u.session_id
                  WHERE u.attendee_id = page.id AND u.status = '${status}'), '{}') AS ${status === 'confirmed' ? 'sessions' : 'waitlist'}`;
    const rows = await this.dataSource.query<
      (AttendeeRow & {
        total: number;
        sessions: string[];
        waitlist: string[];
        first_checked_in_at: Date | null;
        on_site: boolean | null;
        sessions_attended: string[] | null;
      })[]
    >(
      `SELECT selected.total, page.id, page.event_id, page.external_id, page.title, page.first_name,
              page.last_name, page.email, page.organisation, page.category, page.status, page.revision,
              page.sort_name, page.created_at, page.updated_at,
              ${places('confirmed')}, ${places('waiting')},
              d.first_checked_in_at, d.on_site, d.sessions_attended
         FROM (${selection}) AS selected
         JOIN attendees page ON page.id = selected.id
         LEFT JOIN door_attendance d ON d.attendee_id = page.id
        ORDER BY selected.sort_name, selected.id`,
      parameters,
    );
    // No page: nothing matches at all, or the cursor is past the last match (the people after
    // it were removed meanwhile); only then is the total counted on its own.
    const total = rows[0]?.total ?? (after ? await this.count(matching, countParameters) : 0);
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
          ? encodeKeysetCursor({ sortName: last.sortName, id: last.id })
          : null,
      total,
    };
  }

  private async count(matching: string, parameters: unknown[]): Promise<number> {
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM attendees a WHERE ${matching}`,
      parameters,
    );
    return total;
  }

  /** The id of the event's session with this code; an unknown code is the caller's mistake. */
  private async sessionId(eventId: string, code: string): Promise<string> {
    const [session] = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM sessions WHERE event_id = $1 AND code = $2`,
      [eventId, code],
    );
    if (!session) throw new BadRequestException([`session: unknown session code ${code}`]);
    return session.id;
  }
}
