import { AttendeeListReader, type ReadList, type RowBatches } from './attendee-list-reader';
import { AttendeeFileError } from './attendee-file-error';
import { type Delimiter, detectDelimiter, readRecords } from './csv-records';
import {
  decodeText,
  encodingOf,
  type FileEncoding,
  refuseBinary,
  textPieces,
} from './file-decoding';
import { fileProblems } from './import-problems';

/**
 * Reads an organiser's attendee list upload: the CSV the registration system exports (UTF-8,
 * comma, English headers) or the one Excel on a German Windows machine saves (Windows-1252,
 * semicolon, German headers and category names). Pure: bytes in, rows out; registering them is
 * the caller's job, and so is checking session codes against the programme.
 *
 * A problem with the file as a whole throws AttendeeFileError; a problem with one row rejects
 * that row only, with the physical line it starts on, and every other row still imports.
 *
 * A list of up to 50 MB is read as it is parsed, giving the event loop a turn at least every
 * TURN_MS of work (the service's /health answers meanwhile; issue 11), and keeps
 * only what it must: the rows that import, the first rejected ones with a count of the rest, and
 * each external id with its first line. The text is never decoded as a whole.
 *
 * The work is done by its parts, one job each:
 * - file-decoding.ts: is it text, which encoding, decoding it piece by piece;
 * - csv-records.ts: the delimiter, and the CSV records with the line each starts on;
 * - attendee-list-reader.ts: the header among the first records, then row after row;
 * - list-columns.ts: the column and category names a list may use;
 * - row-check.ts: one row checked against the API's limits (attendees/attendee-limits.ts).
 */

export interface ParsedAttendeeFile extends ReadList {
  encoding: FileEncoding;
  delimiter: Delimiter;
}

/** The delimiter is detected from the first lines, read from at most this many bytes. */
const HEAD_BYTES = 1024 * 1024;

/**
 * Reads an uploaded attendee list. Throws AttendeeFileError when the file as a whole cannot be
 * used (empty, not text, not CSV, no attendees, an unknown layout); otherwise returns the rows
 * that import (or hands them to `batches` as they are read, returning none) and the rows
 * rejected, each with the physical line it starts on.
 */
export async function parseAttendeeFile(
  bytes: Buffer,
  batches?: RowBatches,
): Promise<ParsedAttendeeFile> {
  if (bytes.length === 0) throw new AttendeeFileError(fileProblems.empty());
  await refuseBinary(bytes);
  const { body, encoding } = encodingOf(bytes);
  const pieces = () => textPieces(body, encoding);
  const headText = decodeText(body.subarray(0, HEAD_BYTES), encoding);
  if (body.length <= HEAD_BYTES && headText.trim() === '') {
    throw new AttendeeFileError(fileProblems.empty());
  }

  const delimiter = detectDelimiter(headText);
  const list = new AttendeeListReader(batches);
  await readRecords(pieces, delimiter, (record) => list.add(record));
  return { ...(await list.finish()), encoding, delimiter };
}
