import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { ListRecord } from './attendee-list-reader';
import { AttendeeFileError } from './attendee-file-error';
import { turns } from './event-loop-turns';
import { fileProblems } from './import-problems';
import { FIELD_BY_NAME, LINES_BEFORE_HEADER, normaliseName } from './list-columns';

/**
 * Reading CSV text into records (cells with the line each starts on), with csv-parse, and
 * finding the delimiter it uses.
 */

export type Delimiter = ',' | ';' | '\t';

const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

/**
 * Picks the delimiter that splits a header line into the most known column names (the header may
 * be below a title, see LINES_BEFORE_HEADER), and on a tie (an unknown layout) the first line into
 * the most fields.
 */
export function detectDelimiter(text: string): Delimiter {
  const lines: string[] = [];
  const nonBlankLine = /[^\r\n]*\S[^\r\n]*/g;
  for (let m; lines.length <= LINES_BEFORE_HEADER && (m = nonBlankLine.exec(text));)
    lines.push(m[0]);
  if (lines.length === 0) lines.push('');
  const scores = DELIMITERS.map((delimiter) => {
    const namesOf = (line: string) =>
      line.split(delimiter).map((name) => name.trim().replace(/^"|"$/g, ''));
    const known = Math.max(
      ...lines.map(
        (line) => namesOf(line).filter((n) => FIELD_BY_NAME.has(normaliseName(n))).length,
      ),
    );
    return { delimiter, known, fields: namesOf(lines[0]).length };
  });
  // Stable: on a full tie the earlier delimiter (comma) stays first.
  scores.sort((a, b) => b.known - a.known || b.fields - a.fields);
  return scores[0].delimiter;
}

/**
 * Parses the text into records, handing each to `onRecord` with the line it starts on, and gives
 * the event loop a turn every TURN_MS. csv-parse reports only where a record
 * ends (`info.lines`), and counts a CRLF inside a quoted field as two lines, so the lines are
 * counted here: a record takes one line plus one for each line break inside its cells. Blank
 * lines come through as records of one empty cell, so none is missed. Every line ending (CRLF,
 * LF, CR) ends a record, also when a file mixes them.
 */
export async function readRecords(
  pieces: () => AsyncIterable<Buffer | string>,
  delimiter: Delimiter,
  onRecord: (record: ListRecord) => Promise<void> | undefined,
): Promise<void> {
  const parser = parse(csvOptions(delimiter));
  Readable.from(pieces()).pipe(parser);
  let nextLine = 1;
  const turn = turns();
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine += 1 + cells.reduce((breaks, value) => breaks + lineBreaks(value), 0);
      // Trimmed here as well: csv-parse trims around quotes, not inside them (" Anna ").
      const writing = onRecord({ line, cells: cells.map((value) => value.trim()) });
      if (writing) await writing;
      await turn();
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = await failingLine(pieces, delimiter);
    throw new AttendeeFileError(
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? fileProblems.unclosedQuote(line)
        : // its own line number counts where it gave up, not where the record starts
          fileProblems.unreadable(line, error.message.replace(/,? (?:at|on) line \d+/, '')),
    );
  }
}

function csvOptions(delimiter: Delimiter) {
  return {
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true, // Amt "Nord" unquoted is read as written, not refused
    trim: true,
  };
}

/**
 * The line the record csv-parse fails on starts on: the line after the records it could read.
 * Counted in a second pass, once a file is known to be bad, as `on_record` makes csv-parse build
 * an info object per record, which costs a third of the parse time of every good file.
 */
async function failingLine(
  pieces: () => AsyncIterable<Buffer | string>,
  delimiter: Delimiter,
): Promise<number> {
  let nextLine = 1;
  const parser = parse({
    ...csvOptions(delimiter),
    on_record: (cells: string[]) => {
      nextLine += 1 + cells.reduce((breaks, value) => breaks + lineBreaks(value), 0);
      return null;
    },
  });
  Readable.from(pieces()).pipe(parser);
  try {
    for await (const _ of parser) continue; // on_record keeps every record back
  } catch {
    // the same error again, now with the line counted up to it
  }
  return nextLine;
}

function lineBreaks(value: string): number {
  if (!value.includes('\n') && !value.includes('\r')) return 0;
  return value.match(/\r\n|\n|\r/g)!.length;
}
