import { AttendeeFileError } from './attendee-file-error';
import { turns } from './event-loop-turns';
import {
  type Described,
  fileProblems,
  rejectRow,
  type RejectedRow,
  RejectedRows,
  type RowProblem,
  rowProblems,
} from './import-problems';
import { type ColumnIndex, LINES_BEFORE_HEADER, mapHeader, namesAllRequired } from './list-columns';
import { cell, type ImportedRow, readRow } from './row-check';

/**
 * Reading a list's records, CSV or workbook alike, into attendees: finding the header, checking
 * each row, keeping the first line of each external id, and handing the rows that import on in
 * batches. A problem with the list as a whole throws AttendeeFileError; a problem with one row
 * rejects that row only, with the line it starts on, and every other row still imports.
 */

/** The rows of a list before they are read as attendees: cells as text, with the line each is on. */
export interface ListRecord {
  /** The physical line (CSV) or row (workbook) the record starts on; the first is 1. */
  line: number;
  cells: string[];
}

/** What reading a list gives. */
export interface ReadList {
  rows: ImportedRow[];
  /** The first MAX_LISTED_REJECTIONS rejected rows, in line order. */
  rejected: RejectedRow[];
  /** How many rows were rejected in all (listed or not). */
  rejectedCount: number;
}

/**
 * Where the rows that import go while a list is still being read: `write` takes them `size` at a
 * time (the last batch smaller), and reading waits for it. Without one, they are kept and returned.
 */
export interface RowBatches {
  size: number;
  write(rows: ImportedRow[]): Promise<void>;
}

/**
 * Reads attendees from the records of a list, CSV or workbook, one record at a time. The header
 * is the first non-blank record that names the required columns, among the first few; what is
 * above it is not read. `finish` throws AttendeeFileError for a list that has no attendees or an
 * unknown layout (then naming what the first non-blank record lacks); `add` throws it as soon as
 * the header is known to be bad.
 */
export class AttendeeListReader {
  /** Non-blank records read while the header is not yet known. */
  private candidates: ListRecord[] = [];
  private header?: { length: number; columns: ColumnIndex };
  private dataRecords = 0;
  private rows: ImportedRow[] = [];
  private readonly rejected = new RejectedRows();
  // Every external id with the line it first appears on, whether that row imports or not, so
  // that which row wins never depends on what else is wrong with them: the first one does.
  // (Held for the whole list: a few dozen bytes a row, the one thing that grows with it.)
  private readonly firstLineOf = new Map<string, number>();

  /** With `batches`, the rows that import are handed on as soon as there are `size` of them. */
  constructor(private readonly batches?: RowBatches) {}

  /** Reads one record; a promise when a batch of rows is being written (wait for it). */
  add(record: ListRecord): Promise<void> | undefined {
    // Blank lines, and rows of nothing but delimiters (Excel writes those), are skipped.
    if (!record.cells.some((cell) => cell !== '')) return;
    if (this.header !== undefined) {
      this.readData(record);
    } else if (namesAllRequired(record.cells)) {
      this.useHeader(record);
      this.candidates = [];
    } else {
      this.candidates.push(record);
      if (this.candidates.length > LINES_BEFORE_HEADER) this.settleOnFirstCandidate();
    }
    if (this.batches && this.rows.length >= this.batches.size) return this.writeBatch();
  }

  /**
   * The list's rows that import (none when they went to `batches`: the last of them are written
   * here) and its rejected rows.
   */
  async finish(): Promise<ReadList> {
    if (this.header === undefined) {
      if (this.candidates.length === 0) throw new AttendeeFileError(fileProblems.empty());
      this.settleOnFirstCandidate();
    }
    if (this.dataRecords === 0) throw new AttendeeFileError(fileProblems.headerOnly());
    if (this.batches && this.rows.length > 0) await this.writeBatch();
    return { rows: this.rows, rejected: this.rejected.first, rejectedCount: this.rejected.count };
  }

  private writeBatch(): Promise<void> {
    const batch = this.rows;
    this.rows = [];
    return this.batches!.write(batch);
  }

  /**
   * None of the first records names the required columns: the first is the header, and mapHeader
   * says what it lacks.
   */
  private settleOnFirstCandidate(): void {
    const [first, ...rest] = this.candidates;
    this.candidates = [];
    this.useHeader(first);
    for (const record of rest) this.readData(record);
  }

  private useHeader(record: ListRecord): void {
    this.header = { length: record.cells.length, columns: mapHeader(record.cells) };
  }

  private readData(record: ListRecord): void {
    const { columns, length } = this.header!;
    this.dataRecords += 1;
    const problems: Described<RowProblem>[] = [];
    const row = readRow(record, columns, length, problems);
    const externalId = cell(record.cells, columns.externalId);
    if (externalId !== '') {
      const first = this.firstLineOf.get(externalId);
      if (first === undefined) this.firstLineOf.set(externalId, record.line);
      else problems.push(rowProblems.duplicateExternalId(externalId, first));
    }
    if (row !== undefined && problems.length === 0) this.rows.push(row);
    else this.rejected.add(rejectRow(record.line, problems));
  }
}

/**
 * Reads attendees from records handed over a few at a time (a workbook's rows, as its reader
 * unpacks them): `read` takes each few, `finish` ends the list as AttendeeListReader does.
 */
export function attendeesFromRecordStream(batches?: RowBatches) {
  const list = new AttendeeListReader(batches);
  const turn = turns();
  return {
    async read(records: ListRecord[]): Promise<void> {
      for (const record of records) {
        const writing = list.add(record);
        if (writing) await writing;
        await turn();
      }
    },
    finish: () => list.finish(),
  };
}
