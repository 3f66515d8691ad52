import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Category, NotArrivedPerson } from '@einlass/contracts';
import { decodeKeysetCursor, encodeKeysetCursor, likeEscape } from '@einlass/database';
import { foldName } from '@einlass/door-rules';

export interface NotArrivedFilter {
  eventId: string;
  q?: string;
  category?: Category;
  limit: number;
  cursor?: string;
}

export type { NotArrivedPerson };

/**
 * Who is registered (not cancelled) and has never been admitted at the entrance, in last-name
 * order, a page at a time (keyset pagination on the folded sort name), with how many there are in
 * all. `q` matches every word typed in names or organisation, ignoring case and accents.
 */
@Injectable()
export class NotArrivedQuery {
  constructor(private readonly dataSource: DataSource) {}

  async page(filter: NotArrivedFilter) {
    const conditions = [
      `a.event_id = $1`,
      `a.status = 'registered'`,
      `NOT EXISTS (SELECT 1 FROM presence p
                    WHERE p.event_id = a.event_id AND p.list = 'main' AND p.attendee_id = a.id)`,
    ];
    const parameters: unknown[] = [filter.eventId];
    const words = foldName(filter.q ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 5);
    for (const word of words) {
      parameters.push(`%${likeEscape(word)}%`);
      conditions.push(`a.search_text LIKE $${parameters.length} ESCAPE '\\'`);
    }
    if (filter.category) {
      parameters.push(filter.category);
      conditions.push(`a.category = $${parameters.length}`);
    }
    const matching = [...conditions];
    const matchingParameters = [...parameters];
    if (filter.cursor) {
      const after = decodeKeysetCursor(filter.cursor);
      parameters.push(after.sortName, after.id);
      conditions.push(
        `(a.sort_name, a.id) > ($${parameters.length - 1}, $${parameters.length}::uuid)`,
      );
    }
    parameters.push(filter.limit + 1);
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<
        {
          id: string;
          title: string | null;
          first_name: string;
          last_name: string;
          organisation: string | null;
          category: string;
          sort_name: string;
        }[]
      >(
        `SELECT a.id, a.title, a.first_name, a.last_name, a.organisation, a.category, a.sort_name
           FROM attendees a WHERE ${conditions.join(' AND ')}
          ORDER BY a.sort_name, a.id LIMIT $${parameters.length}`,
        parameters,
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM attendees a WHERE ${matching.join(' AND ')}`,
        matchingParameters,
      ),
    ]);
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    const items: NotArrivedPerson[] = page.map((r) => ({
      id: r.id,
      name: [r.title, r.first_name, r.last_name].filter(Boolean).join(' '),
      firstName: r.first_name,
      lastName: r.last_name,
      organisation: r.organisation,
      category: r.category,
    }));
    return {
      items,
      nextCursor:
        rows.length > filter.limit && last
          ? encodeKeysetCursor({ sortName: last.sort_name, id: last.id })
          : null,
      total,
    };
  }
}
