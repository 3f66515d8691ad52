import { BadRequestException, Logger } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { EventType } from '@einlass/contracts';
import { runOverlapped, type Statement } from '@einlass/database';
import { Attendee } from '../attendees/attendee.entity';
import { AttendeeEvents } from '../attendees/attendee-events';
import {
  AttendeeFields,
  fieldsDiffer,
  fieldsOf,
  searchColumns,
} from '../attendees/attendee-fields';
import type { Event } from '../events/event.entity';
import { EventsRepository } from '../events/events.repository';
import { Session } from '../sessions/session.entity';
import { SignupBook, SignupRequest } from '../sessions/signup-book';
import { AttendeeFileError, ImportedRow } from './attendee-file';
import { readAttendeeUpload } from './attendee-upload';
import { rejectRow, RejectedRow, RejectedRows, rowProblems } from './import-problems';

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  /** The first MAX_LISTED_REJECTIONS (import-problems) rejected rows, in line order. */
  rejected: RejectedRow[];
  /** How many rows were rejected in all (listed or not). */
  rejectedCount: number;
}

/** Imports an attendee list, upserting by external id. */
export class ImportAttendees extends Command<ImportResult> {
  constructor(
    readonly eventSlug: string,
    readonly file: Buffer,
  ) {
    super();
  }
}

/** Rows are written this many at a time (a statement each), to keep statements and memory small. */
const CHUNK = 5000;
/** From this many rows on, the search index is merged after the import rather than row by row. */
const LARGE_IMPORT = 2000;

const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) =>
    items.slice(i * CHUNK, (i + 1) * CHUNK),
  );

interface Planned {
  row: ImportedRow;
  attendee: Attendee;
  sessionIds: string[];
}

/**
 * Imports a file in one transaction: importing it again changes nothing and says so. New people
 * are created, changed ones updated (a new revision; a printed change re-issues the badge),
 * everything flows on through the outbox. Workshop sign-ups are taken in file order: places while
 * they last, then the waiting list.
 */
@CommandHandler(ImportAttendees)
export class ImportAttendeesHandler implements ICommandHandler<ImportAttendees, ImportResult> {
  private readonly logger = new Logger(ImportAttendeesHandler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
  ) {}

  async execute({ eventSlug, file }: ImportAttendees): Promise<ImportResult> {
    const started = Date.now();
    const event = await this.events.bySlugOrFail(eventSlug);
    let parsed;
    try {
      parsed = await readAttendeeUpload(file);
    } catch (error) {
      // The problem's code and parameters travel next to the English message, so the
      // organisers' pages can say it in German; the exception filter passes them through.
      if (error instanceof AttendeeFileError)
        throw new BadRequestException({ message: error.message, ...error.problem });
      throw error;
    }
    const result = await this.dataSource.transaction(async (manager) => {
      if (parsed.rows.length >= LARGE_IMPORT) {
        // The search index takes a large import's rows into its pending list (cheap appends)
        // instead of merging each row's trigrams one by one; the list is merged after commit.
        // 256 MB holds 50,000 attendees' trigrams: with 64 MB the list was merged three times
        // inside the import (50,000 rows: 7.3-8.1 s then, 5.9-6.5 s now, on a 2-core machine).
        await manager.query(`SET LOCAL gin_pending_list_limit = '256MB'`);
      }
      const rejected = new RejectedRows(parsed.rejected, parsed.rejectedCount);
      const sessionsByCode = new Map(
        (await manager.findBy(Session, { eventId: event.id })).map((s) => [s.code, s]),
      );
      const rows: ImportedRow[] = [];
      for (const row of parsed.rows) {
        const unknown = row.sessions.filter((code) => !sessionsByCode.has(code));
        if (unknown.length > 0) {
          rejected.add(rejectRow(row.line, [rowProblems.unknownSession(unknown)]));
        } else rows.push(row);
      }

      const existing = await this.lockExisting(
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
      let unchanged = 0;
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
          rejected.add(rejectRow(row.line, [rowProblems.cancelled(row.externalId)]));
          continue;
        }
        const had = places.get(current.id)!;
        const hadCodes = new Set([...had.sessions, ...had.waitlist]);
        const sessionsChanged =
          hadCodes.size !== new Set(row.sessions).size ||
          row.sessions.some((c) => !hadCodes.has(c));
        if (!fieldsDiffer(fieldsOf(current), fields) && !sessionsChanged) {
          unchanged += 1;
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

      await runOverlapped(manager, chunks(created), (part) =>
        insertStatement(part.map((p) => p.attendee)),
      );
      await runOverlapped(manager, chunks(updated), (part) =>
        updateStatement(part.map((p) => p.attendee)),
      );
      // Places freed first go to those already waiting; then the file's new sign-ups, in file order.
      const movedUp = await SignupBook.withdraw(manager, withdrawals);
      const signups = [...created, ...updated]
        .sort((a, b) => a.row.line - b.row.line)
        .flatMap((p) =>
          p.sessionIds.map((sessionId) => ({ attendeeId: p.attendee.id, sessionId })),
        );
      await SignupBook.signUp(manager, event.id, signups);

      await this.announce(manager, event, created, updated, movedUp);
      return {
        created: created.length,
        updated: updated.length,
        unchanged,
        rejected: rejected.first,
        rejectedCount: rejected.count,
      };
    });
    if (parsed.rows.length >= LARGE_IMPORT) this.mergeSearchIndex();
    this.logger.log(
      {
        event: eventSlug,
        format: parsed.format,
        bytes: file.length,
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected: result.rejectedCount,
        ms: Date.now() - started,
      },
      'Attendee list imported',
    );
    return result;
  }

  /**
   * Merges the search index's pending list in the background, so searches after a large import
   * do not read through it (nor does the next single registration merge it while someone waits).
   */
  private mergeSearchIndex(): void {
    const started = Date.now();
    this.dataSource
      .query(`SELECT gin_clean_pending_list('attendees_search_idx'::regclass)`)
      .then(() => this.logger.log({ ms: Date.now() - started }, 'Search index merged after import'))
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'Could not merge the search index after an import'),
      );
  }

  private async lockExisting(
    manager: EntityManager,
    eventId: string,
    externalIds: string[],
  ): Promise<Map<string, Attendee>> {
    const found = new Map<string, Attendee>();
    for (const part of chunks(externalIds)) {
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

  private async announce(
    manager: EntityManager,
    event: Event,
    created: Planned[],
    updated: Planned[],
    movedUp: string[],
  ) {
    await AttendeeEvents.writeInChunks(
      manager,
      event,
      [
        { type: EventType.AttendeeRegistered, attendees: created.map((p) => p.attendee) },
        { type: EventType.AttendeeUpdated, attendees: updated.map((p) => p.attendee) },
      ],
      CHUNK,
    );
    const announced = new Set([...created, ...updated].map((p) => p.attendee.id));
    await AttendeeEvents.movedUp(
      manager,
      event,
      movedUp.filter((id) => !announced.has(id)),
    );
  }
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
