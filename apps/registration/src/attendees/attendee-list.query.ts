import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Category } from '@einlass/contracts';
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

  async run(filter: AttendeeListFilter): Promise<{ items: Attendee[]; nextCursor: string | null }> {
    const query = this.dataSource
      .getRepository(Attendee)
      .createQueryBuilder('a')
      .addSelect('a.sortName')
      .where('a.eventId = :eventId', { eventId: filter.eventId })
      .orderBy('a.sortName', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .take(filter.limit + 1);
    const q = filter.q ? foldForSearch(filter.q) : '';
    if (q) query.andWhere(`a.searchText LIKE :q ESCAPE '\\'`, { q: `%${likeEscape(q)}%` });
    if (filter.category) query.andWhere('a.category = :category', { category: filter.category });
    if (filter.cursor) {
      const after = decodeCursor(filter.cursor);
      query.andWhere('(a.sortName, a.id) > (:sortName, :id)', after);
    }
    const rows = await query.getMany();
    const items = rows.slice(0, filter.limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > filter.limit && last
          ? encodeCursor({ sortName: last.sortName, id: last.id })
          : null,
    };
  }
}
