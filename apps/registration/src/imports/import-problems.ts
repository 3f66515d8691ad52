import { CATEGORIES } from '@einlass/contracts';

/**
 * Every problem an attendee import can report, each built in one place as both a machine-readable
 * object (a stable `code` and the parameters a client needs to say it in its own language) and
 * the English sentence the API has always answered with. Built together, the two cannot drift
 * apart: the organisers' pages say the object in German or English, scripts keep reading the text.
 *
 * Codes are part of the public contract (docs/API.md): add new ones, never rename one.
 */

/** The attendee fields a row problem can name, as the attendee API calls them. */
export type ImportField =
  | 'externalId'
  | 'title'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'organisation'
  | 'category'
  | 'sessions';

/** How each field is called in the English messages. */
export const FIELD_LABELS: Record<ImportField, string> = {
  externalId: 'external id',
  title: 'title',
  firstName: 'first name',
  lastName: 'last name',
  email: 'email',
  organisation: 'organisation',
  category: 'category',
  sessions: 'sessions',
};

/** Why one row was not imported. `value` is the cell as written, cut like `shown` cuts it. */
export type RowProblem =
  | { code: 'too_many_values'; columns: number }
  | { code: 'empty'; field: ImportField }
  | { code: 'too_long'; field: ImportField; max: number; length: number }
  | { code: 'invalid_external_id'; field: 'externalId'; value: string }
  | { code: 'invalid_email'; field: 'email'; value: string }
  | { code: 'unknown_category'; field: 'category'; value: string; allowed: string[] }
  | { code: 'too_many_sessions'; field: 'sessions'; max: number; count: number }
  | { code: 'duplicate_external_id'; field: 'externalId'; value: string; firstLine: number }
  | { code: 'unknown_session'; field: 'sessions'; codes: string[] }
  | { code: 'cancelled'; field: 'externalId'; value: string };

/** Why a whole file was refused (answered 400 with these fields next to `message`). */
export type FileProblem =
  | { code: 'empty_file' }
  | { code: 'header_only' }
  | { code: 'not_text'; controlCharacters?: number; bytes?: number }
  | { code: 'invalid_utf8' }
  | { code: 'unclosed_quote'; line: number }
  | { code: 'unreadable_csv'; line: number; detail: string }
  | { code: 'duplicate_column'; field: ImportField; columns: [string, string] }
  | { code: 'missing_columns'; fields: ImportField[]; found: string[] }
  | { code: 'unreadable_workbook'; detail: string }
  | { code: 'workbook_too_large'; bytes: number; max: number }
  | { code: 'legacy_excel' };

/** A problem with its English sentence. */
export interface Described<P> {
  problem: P;
  text: string;
}

/** A rejected row as the import answers it: the English `reason` and the problems behind it. */
export interface RejectedRow {
  line: number;
  reason: string;
  problems: RowProblem[];
}

const described = <P>(problem: P, text: string): Described<P> => ({ problem, text });

/** Cut short so one wild cell cannot flood the answer. */
function clip(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}

/** A value quoted for a message, cut short. */
export function shown(value: string): string {
  return JSON.stringify(clip(value));
}

/** The problems of one row, in the order found, as the answer's `rejected` entry. */
export function rejectRow(line: number, problems: Described<RowProblem>[]): RejectedRow {
  return {
    line,
    reason: problems.map((p) => p.text).join('; '),
    problems: problems.map((p) => p.problem),
  };
}

/**
 * An answer lists this many rejected rows at most, and counts the rest: a file where every row
 * is bad stays a small answer (issue 11: a 49 MB file once answered 148 MB).
 */
export const MAX_LISTED_REJECTIONS = 1000;

/**
 * The rejected rows of an import as its answer gives them: the first MAX_LISTED_REJECTIONS by
 * line, and how many there were in all. Only those that can still be among the first are kept,
 * so a file where every row is bad never holds a rejection per row.
 */
export class RejectedRows {
  private listed: RejectedRow[];
  private total: number;

  /** Starts from rows already rejected: the first ones listed, and how many in all. */
  constructor(listed: RejectedRow[] = [], count = listed.length) {
    this.listed = [...listed];
    this.total = count;
  }

  add(row: RejectedRow): void {
    this.total += 1;
    this.listed.push(row);
    if (this.listed.length >= 2 * MAX_LISTED_REJECTIONS) this.keepFirst();
  }

  /** The first MAX_LISTED_REJECTIONS, in line order. */
  get first(): RejectedRow[] {
    this.keepFirst();
    return [...this.listed];
  }

  get count(): number {
    return this.total;
  }

  private keepFirst(): void {
    this.listed.sort((a, b) => a.line - b.line);
    if (this.listed.length > MAX_LISTED_REJECTIONS) this.listed.length = MAX_LISTED_REJECTIONS;
  }
}

export const rowProblems = {
  tooManyValues: (columns: number) =>
    described<RowProblem>(
      { code: 'too_many_values', columns },
      `the row has more values than the header has columns (${columns}); a value containing the delimiter needs quotes`,
    ),
  empty: (field: ImportField) =>
    described<RowProblem>({ code: 'empty', field }, `${FIELD_LABELS[field]} is empty`),
  tooLong: (field: ImportField, max: number, length: number) =>
    described<RowProblem>(
      { code: 'too_long', field, max, length },
      `${FIELD_LABELS[field]} is longer than ${max} characters (${length})`,
    ),
  invalidExternalId: (value: string) =>
    described<RowProblem>(
      { code: 'invalid_external_id', field: 'externalId', value: clip(value) },
      `external id ${shown(value)} contains spaces or a colon`,
    ),
  /** `written` is the cell as typed; it is checked, and named in English, in lower case. */
  invalidEmail: (written: string) =>
    described<RowProblem>(
      { code: 'invalid_email', field: 'email', value: clip(written) },
      `email ${shown(written.toLowerCase())} is not a valid email address`,
    ),
  /** `germanNames`: the German name of each of CATEGORIES, in that order. */
  unknownCategory: (value: string, germanNames: readonly string[]) =>
    described<RowProblem>(
      { code: 'unknown_category', field: 'category', value: clip(value), allowed: [...CATEGORIES] },
      `category ${shown(value)} is not one of ${CATEGORIES.join(', ')} (in German: ${germanNames.join(', ')})`,
    ),
  tooManySessions: (max: number, count: number) =>
    described<RowProblem>(
      { code: 'too_many_sessions', field: 'sessions', max, count },
      `more than ${max} sessions (${count})`,
    ),
  duplicateExternalId: (value: string, firstLine: number) =>
    described<RowProblem>(
      { code: 'duplicate_external_id', field: 'externalId', value: clip(value), firstLine },
      `external id ${shown(value)} already appears on line ${firstLine}`,
    ),
  unknownSession: (codes: string[]) =>
    described<RowProblem>(
      { code: 'unknown_session', field: 'sessions', codes },
      `unknown session code ${codes.join(', ')}`,
    ),
  cancelled: (externalId: string) =>
    described<RowProblem>(
      { code: 'cancelled', field: 'externalId', value: externalId },
      `${externalId} is cancelled; the row was not applied`,
    ),
};

const SAVE_AS_CSV = 'Save it from Excel as "CSV UTF-8" or "CSV (Trennzeichen-getrennt)".';

export const fileProblems = {
  empty: () => described<FileProblem>({ code: 'empty_file' }, 'The file is empty.'),
  headerOnly: () =>
    described<FileProblem>(
      { code: 'header_only' },
      'The file holds only a header line and no attendees.',
    ),
  nulBytes: () =>
    described<FileProblem>(
      { code: 'not_text' },
      `The upload is not a CSV text file: it contains NUL bytes (a UTF-16 "Unicode text" file?). ${SAVE_AS_CSV}`,
    ),
  controlCharacters: (controlCharacters: number, bytes: number) =>
    described<FileProblem>(
      { code: 'not_text', controlCharacters, bytes },
      `The upload is not a CSV text file: ${controlCharacters} of its ${bytes} bytes are control characters. ${SAVE_AS_CSV}`,
    ),
  invalidUtf8: () =>
    described<FileProblem>(
      { code: 'invalid_utf8' },
      'The file starts with a UTF-8 byte order mark but is not valid UTF-8. Save it again as "CSV UTF-8".',
    ),
  unclosedQuote: (line: number) =>
    described<FileProblem>(
      { code: 'unclosed_quote', line },
      `The file is not readable as CSV from line ${line} on: a quote opened there is never closed.`,
    ),
  /** `detail`: the CSV reader's own words, without its line number. */
  unreadable: (line: number, detail: string) =>
    described<FileProblem>(
      { code: 'unreadable_csv', line, detail },
      `The file is not readable as CSV from line ${line} on: ${detail}.`,
    ),
  duplicateColumn: (field: ImportField, first: string, second: string) =>
    described<FileProblem>(
      { code: 'duplicate_column', field, columns: [clip(first), clip(second)] },
      `The columns ${shown(first)} and ${shown(second)} both hold the ${FIELD_LABELS[field]}; keep one of them.`,
    ),
  /** `detail`: the workbook reader's own words. */
  unreadableWorkbook: (detail: string) =>
    described<FileProblem>(
      { code: 'unreadable_workbook', detail },
      `The upload is a ZIP archive but not an Excel workbook (.xlsx) the import can read: ${detail}. Save the list as .xlsx or as CSV.`,
    ),
  workbookTooLarge: (bytes: number, max: number) =>
    described<FileProblem>(
      { code: 'workbook_too_large', bytes, max },
      `The workbook unpacks to ${Math.ceil(bytes / 1024 / 1024)} MB, more than the ${max / 1024 / 1024} MB the import reads. Keep only the attendee list in it, or save that sheet as CSV.`,
    ),
  legacyExcel: () =>
    described<FileProblem>(
      { code: 'legacy_excel' },
      'The upload is an Excel 97–2003 workbook (.xls), which the import does not read. Save it from Excel as "Excel Workbook (.xlsx)" or as CSV.',
    ),
  /** `examples`: two header names each missing field is known by (English, German). */
  missingColumns: (
    missing: { field: ImportField; examples: readonly string[] }[],
    found: string[],
  ) => {
    const named = missing.map(
      ({ field, examples }) => `${FIELD_LABELS[field]} (e.g. ${examples[0]} or ${examples[1]})`,
    );
    return described<FileProblem>(
      { code: 'missing_columns', fields: missing.map((m) => m.field), found },
      `The file lacks the columns: ${named.join(', ')}. Found: ${found.join(', ') || 'nothing'}`,
    );
  },
};
