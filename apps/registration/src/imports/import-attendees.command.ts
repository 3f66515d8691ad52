import { BadRequestException, Logger } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { importCommitted } from '@einlass/metrics';
import { EventsRepository } from '../events/events.repository';
import { AttendeeFileError } from './attendee-file-error';
import { allRejected, AttendeeImportWriter, LARGE_IMPORT } from './attendee-import-writer';
import { readAttendeeUpload } from './attendee-upload';
import type { RejectedRow } from './import-problems';

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

/**
 * Imports a file in one transaction: importing it again changes nothing and says so. The file is
 * read as a stream and its rows written a batch at a time while reading goes on (see
 * AttendeeImportWriter); a file refused halfway imports nothing. New people are created, changed
 * ones updated (a new revision; a printed change re-issues the badge), everything flows on
 * through the outbox. Workshop sign-ups are taken in file order: places while they last, then
 * the waiting list.
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
    let outcome;
    try {
      outcome = await this.dataSource.transaction(async (manager) => {
        const writer = await AttendeeImportWriter.start(manager, event);
        const parsed = await readAttendeeUpload(file, writer);
        const counts = await writer.finish();
        const rejected = allRejected(parsed, counts.rejected);
        const result: ImportResult = {
          created: counts.created,
          updated: counts.updated,
          unchanged: counts.unchanged,
          rejected: rejected.first,
          rejectedCount: rejected.count,
        };
        return { result, format: parsed.format, written: counts.written };
      });
    } catch (error) {
      // The problem's code and parameters travel next to the English message, so the
      // organisers' pages can say it in German; the exception filter passes them through.
      if (error instanceof AttendeeFileError)
        throw new BadRequestException({ message: error.message, ...error.problem });
      throw error;
    }
    const { result, format, written } = outcome;
    importCommitted(result);
    if (written >= LARGE_IMPORT) this.mergeSearchIndex();
    this.logger.log(
      {
        event: eventSlug,
        format,
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
}
