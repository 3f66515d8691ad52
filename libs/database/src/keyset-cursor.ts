import { BadRequestException } from '@nestjs/common';

/**
 * Where a list in name order stopped: the last row's sort name and id. The next page starts
 * strictly after it (`(sort_name, id) > (…)`), so rows added or removed meanwhile neither repeat
 * nor go missing, and the query walks an index instead of skipping an OFFSET.
 */
export interface KeysetCursor {
  sortName: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The opaque text a list answers as `nextCursor` (base64url JSON; nothing secret in it). */
export const encodeKeysetCursor = (cursor: KeysetCursor): string =>
  Buffer.from(JSON.stringify({ sortName: cursor.sortName, id: cursor.id })).toString('base64url');

/**
 * Reads back a cursor {@link encodeKeysetCursor} made. Anything else — not base64url JSON, fields
 * missing, an id that is not a UUID (it goes into the query as `::uuid`, where a bad one would be
 * a 500) — is the client's mistake: a 400.
 */
export function decodeKeysetCursor(text: string): KeysetCursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null) {
      const { sortName, id } = value as Partial<Record<keyof KeysetCursor, unknown>>;
      if (typeof sortName === 'string' && typeof id === 'string' && UUID.test(id)) {
        return { sortName, id };
      }
    }
  } catch {
    // not JSON: answered below
  }
  throw new BadRequestException(['cursor is not a cursor this list returned']);
}

/** Escapes LIKE's wildcards (`%`, `_` and the escape `\`) in what a user typed; use `ESCAPE '\'`. */
export const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
