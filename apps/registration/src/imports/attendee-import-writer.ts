import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { EventType } from '@einlass/contracts';
import { runOverlapped, type Statement } from '@einlass/database';
import { Attendee } from '../attendees/attendee.entity';
import { AttendeeEvents } from '../attendees/attendee-events';
import { type AttendeeRow, attendeeFromRow } from '../attendees/attendee-row';
import {
  type AttendeeFields,
  fieldsDiffer,
  fieldsOf,
  searchColumns,
} from '../attendees/attendee-fields';
import type { Event } from '../events/event.entity';
import { Session } from '../sessions/session.entity';
import { SignupBook, type SignupRequest } from '../sessions/signup-book';
import type { RowBatches } from './attendee-list-reader';
import type { ImportedRow } from './row-check';
import { rejectRow, type RejectedRow, RejectedRows, rowProblems } from './import-problems';

/**
 * Rows are written this many at a time, while the file is still being read: a batch's attendees
 * in one statement, then reading goes on. Memory stays a batch, whatever the size of the file,
 * and each batch's statements are built in one go: 2,000 keeps that well below the /health
 * second on a loaded 2-core machine (5,000 took up to 1.1 s at a load of 12).
 */
export const IMPORT_BATCH = 2000;
/** From this many rows on, the search index is merged after the import rather than row by row. */
export const LARGE_IMPORT = 2000;

/** What an import did, its rejections by the database's knowledge (sessions, cancellations). */
export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows the file was fine with but the event is not: unknown session codes, cancelled people. */
  rejected: RejectedRows;
  /** Rows written: created plus updated. */
  written: number;
}

interface Planned {
  row: ImportedRow;
  attendee: Attendee;
  sessionIds: string[];
}

/**
 * Writes an import's rows batch by batch, all inside the one transaction of `manager`: a file
 * refused halfway (an unclosed quote at line 40,000) or a failure still imports nothing. New
 * people are created, changed ones updated (a new revision), as each batch arrives; places
 * their changes free go to those already waiting at once.
 *
 * Two things wait for the last batch, because the file's whole content decides them: the file's
 * workshop sign-ups (taken in file order once every freed place has gone to the waiting list) and
 * the outbox messages (each carries the attendee's places as they end up). Both are staged in
 * temporary tables of the transaction (dropped at its end), not in memory, and read back a batch
 * at a time.
 */
export class AttendeeImportWriter implements RowBatches {
  readonly size = IMPORT_BATCH;
  private created = 0;
  private updated = 0;
  private unchanged = 0;
  private readonly rejected = new RejectedRows();
  private readonly movedUp = new Set<string>();
  private batches = 0;

  private constructor(
    private readonly manager: EntityManager,
    private readonly event: Event,
    private readonly sessionsByCode: Map<string, Session>,
  ) {}

  static async start(manager: EntityManager, event: Event): Promise<AttendeeImportWriter> {
    await manager.query(
      `CREATE TEMP TABLE import_signups (n bigserial PRIMARY KEY, attendee_id uuid, session_id uuid) ON COMMIT DROP`,
    );
    await manager.query(
      `CREATE TEMP TABLE import_announced (n bigserial PRIMARY KEY, attendee_id uuid UNIQUE, created boolean) ON COMMIT DROP`,
    );
    const sessions = await manager.findBy(Session, { eventId: event.id });
    return new AttendeeImportWriter(manager, event, new Map(sessions.map((s) => [s.code, s])));
  }

  /** Writes one batch of rows, in file order. */
  async write(batch: ImportedRow[]): Promise<void> {
    const { manager, event, sessionsByCode } = this;
    if (this.batches++ === 0 && batch.length >= LARGE_IMPORT) {
      // A first batch this large means a large import (a smaller file is one batch). The search
      // index takes its rows into its pending list (cheap appends) instead of merging each row's
      // trigrams one by one; the list is merged after commit. 256 MB holds 50,000 attendees'
      // trigrams: with 64 MB the list was merged three times inside the import.
      await manager.query(`SET LOCAL gin_pending_list_limit = '256MB'`);
    }
    const rows: ImportedRow[] = [];
    for (const row of batch) {
      const unknown = row.sessions.filter((code) => !sessionsByCode.has(code));
      if (unknown.length > 0) {
        this.rejected.add(rejectRow(row.line, [rowProblems.unknownSession(unknown)]));
      } else rows.push(row);
    }

    const existing = await lockExisting(
      manager,
      event.id,
      rows.map((r) => r.externalId),
    );
    const places = await SignupBook.placesOf(
      manager,
      [...existing.values()].map((a) => a.id),
    );
    const created: Planned[] = [];
    const updated: Planned[] = [];
    const withdrawals: SignupRequest[] = [];
    for (const row of rows) {
      const sessionIds = row.sessions.map((code) => sessionsByCode.get(code)!.id);
      const fields: AttendeeFields = {
        externalId: row.externalId,
        title: row.title,
        firstName: row.firstName,
        lastName: row.lastName,
        email: row.email,
        organisation: row.organisation,
        category: row.category,
      };
      const current = existing.get(row.externalId);
      if (!current) {
        const attendee = Object.assign(new Attendee(), {
          id: randomUUID(),
          eventId: event.id,
          ...fields,
          status: 'registered',
          revision: 1,
        });
        created.push({ row, attendee, sessionIds });
        continue;
      }
      if (current.status === 'cancelled') {
        this.rejected.add(rejectRow(row.line, [rowProblems.cancelled(row.externalId)]));
        continue;
      }
      const had = places.get(current.id)!;
      const hadCodes = new Set([...had.sessions, ...had.waitlist]);
      const sessionsChanged =
        hadCodes.size !== new Set(row.sessions).size || row.sessions.some((c) => !hadCodes.has(c));
      if (!fieldsDiffer(fieldsOf(current), fields) && !sessionsChanged) {
        this.unchanged += 1;
        continue;
      }
      Object.assign(current, fields, { revision: current.revision + 1 });
      const newIds = row.sessions
        .filter((code) => !hadCodes.has(code))
        .map((code) => sessionsByCode.get(code)!.id);
      for (const code of hadCodes) {
        if (!row.sessions.includes(code))
          withdrawals.push({ attendeeId: current.id, sessionId: sessionsByCode.get(code)!.id });
      }
      updated.push({ row, attendee: current, sessionIds: newIds });
    }

    await runOverlapped(manager, partsOf(created), (part) =>
      insertStatement(part.map((p) => p.attendee)),
    );
    await runOverlapped(manager, partsOf(updated), (part) =>
      updateStatement(part.map((p) => p.attendee)),
    );
    // Places freed go to those already waiting now, before any of the file's sign-ups (finish).
    for (const id of await SignupBook.withdraw(manager, withdrawals)) this.movedUp.add(id);
    const signups = [...created, ...updated]
      .sort((a, b) => a.row.line - b.row.line)
      .flatMap((p) => p.sessionIds.map((sessionId) => ({ attendeeId: p.attendee.id, sessionId })));
    if (signups.length > 0) {
      await manager.query(
        `INSERT INTO import_signups (attendee_id, session_id)
         SELECT a, s FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(a, s, n) ORDER BY n`,
        [signups.map((s) => s.attendeeId), signups.map((s) => s.sessionId)],
      );
    }
    const announced = [
      ...created.map((p) => ({ id: p.attendee.id, created: true })),
      ...updated.map((p) => ({ id: p.attendee.id, created: false })),
    ];
    if (announced.length > 0) {
      await manager.query(
        `INSERT INTO import_announced (attendee_id, created)
         SELECT a, c FROM unnest($1::uuid[], $2::boolean[]) WITH ORDINALITY AS t(a, c, n) ORDER BY n`,
        [announced.map((a) => a.id), announced.map((a) => a.created)],
      );
    }
    this.created += created.length;
    this.updated += updated.length;
  }

  /**
   * After the last batch: the file's sign-ups in file order (places while they last, then the
   * waiting list), then the outbox messages of everyone created or updated, with their places as
   * they now are, and of those who moved up into a freed place.
   */
  async finish(): Promise<ImportCounts> {
    const { manager, event } = this;
    for (let after = 0; ;) {
      const staged = await manager.query<{ n: string; attendee_id: string; session_id: string }[]>(
        `SELECT n, attendee_id, session_id FROM import_signups WHERE n > $1 ORDER BY n LIMIT $2`,
        [after, IMPORT_BATCH],
      );
      if (staged.length === 0) break;
      await SignupBook.signUp(
        manager,
        event.id,
        staged.map((s) => ({ attendeeId: s.attendee_id, sessionId: s.session_id })),
      );
      after = Number(staged[staged.length - 1].n);
    }

    for (const [created, type] of [
      [true, EventType.AttendeeRegistered],
      [false, EventType.AttendeeUpdated],
    ] as const) {
      for (let after = 0; ;) {
        // Read back as they now are, in the order they were written (plain rows: building
        // 2,000 entities through the ORM cost more than the rest of the batch).
        const staged = await manager.query<(AttendeeRow & { n: string })[]>(
          `SELECT i.n, a.id, a.event_id, a.external_id, a.title, a.first_name, a.last_name,
                  a.organisation, a.category, a.status, a.revision
             FROM import_announced i JOIN attendees a ON a.id = i.attendee_id
            WHERE i.created = $1 AND i.n > $2 ORDER BY i.n LIMIT $3`,
          [created, after, IMPORT_BATCH],
        );
        if (staged.length === 0) break;
        await AttendeeEvents.writeInChunks(
          manager,
          event,
          [{ type, attendees: staged.map(attendeeFromRow) }],
          IMPORT_BATCH,
        );
        after = Number(staged[staged.length - 1].n);
      }
    }

    const notAnnounced = await manager.query<{ id: string }[]>(
      `SELECT id FROM unnest($1::uuid[]) WITH ORDINALITY AS m(id, n)
        WHERE NOT EXISTS (SELECT 1 FROM import_announced a WHERE a.attendee_id = m.id) ORDER BY n`,
      [[...this.movedUp]],
    );
    await AttendeeEvents.movedUp(
      manager,
      event,
      notAnnounced.map((r) => r.id),
    );
    return {
      created: this.created,
      updated: this.updated,
      unchanged: this.unchanged,
      rejected: this.rejected,
      written: this.created + this.updated,
    };
  }
}

/** Merges the file's rejected rows with the writer's: the first ones listed, all counted. */
export function allRejected(
  fromFile: { rejected: RejectedRow[]; rejectedCount: number },
  fromWriter: RejectedRows,
): RejectedRows {
  return new RejectedRows(
    [...fromFile.rejected, ...fromWriter.first],
    fromFile.rejectedCount + fromWriter.count,
  );
}

const partsOf = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / IMPORT_BATCH) }, (_, i) =>
    items.slice(i * IMPORT_BATCH, (i + 1) * IMPORT_BATCH),
  );

async function lockExisting(
  manager: EntityManager,
  eventId: string,
  externalIds: string[],
): Promise<Map<string, Attendee>> {
  const found = new Map<string, Attendee>();
  for (const part of partsOf(externalIds)) {
    const rows = await manager
      .getRepository(Attendee)
      .createQueryBuilder('a')
      .where('a.eventId = :eventId AND a.externalId = ANY(:ids)', { eventId, ids: part })
      .setLock('pessimistic_write')
      .getMany();
    for (const row of rows) found.set(row.externalId!, row);
  }
  return found;
}

// Rows travel as one JSON document per statement: PostgreSQL parses it far faster than a dozen
// array parameters, and node serialises it natively.
function insertStatement(attendees: Attendee[]): Statement {
  return {
    sql: `INSERT INTO attendees (id, event_id, external_id, title, first_name, last_name, email, organisation,
                              category, status, revision, search_text, sort_name)
       SELECT id, event_id, external_id, title, first_name, last_name, email, organisation,
              category, status, revision, search_text, sort_name
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, event_id uuid, external_id text, title text,
              first_name text, last_name text, email text, organisation text, category text, status text,
              revision int, search_text text, sort_name text)`,
    parameters: [JSON.stringify(attendees.map(asRow))],
  };
}

function updateStatement(attendees: Attendee[]): Statement {
  return {
    sql: `UPDATE attendees a SET title = x.title, first_name = x.first_name, last_name = x.last_name,
              email = x.email, organisation = x.organisation, category = x.category,
              revision = x.revision, search_text = x.search_text, sort_name = x.sort_name, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, title text, first_name text, last_name text,
              email text, organisation text, category text, revision int, search_text text, sort_name text)
        WHERE a.id = x.id`,
    parameters: [JSON.stringify(attendees.map(asRow))],
  };
}

/**
 * An attendee as a row of the attendees table (snake_case names), for jsonb_to_recordset. Its
 * search columns are folded here, as the row is written, so that the work overlaps with the
 * database writing the chunk before (see runOverlapped).
 */
function asRow(a: Attendee) {
  const { searchText, sortName } = searchColumns(a);
  return {
    id: a.id,
    event_id: a.eventId,
    external_id: a.externalId,
    title: a.title,
    first_name: a.firstName,
    last_name: a.lastName,
    email: a.email,
    organisation: a.organisation,
    category: a.category,
    status: a.status,
    revision: a.revision,
    search_text: searchText,
    sort_name: sortName,
  };
}
