import { isEmail } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { CATEGORIES, type Category } from '@einlass/contracts';
import {
  type Described,
  type FileProblem,
  fileProblems,
  type ImportField,
  rejectRow,
  type RejectedRow,
  type RowProblem,
  rowProblems,
} from './import-problems';

export type { RejectedRow, RowProblem, FileProblem } from './import-problems';

/**
 * Reads an organiser's attendee list upload: the CSV the registration system exports (UTF-8,
 * comma, English headers) or the one Excel on a German Windows machine saves (Windows-1252,
 * semicolon, German headers and category names). Pure: bytes in, rows out; registering them is
 * the caller's job, and so is checking session codes against the programme.
 *
 * A problem with the file as a whole throws AttendeeFileError; a problem with one row rejects
 * that row only, with the physical line it starts on, and every other row still imports.
 */

export interface ImportedRow {
  line: number;
  externalId: string;
  title: string | null;
  firstName: string;
  lastName: string;
  email: string | null;
  organisation: string | null;
  category: Category;
  sessions: string[];
}

export interface ParsedAttendeeFile {
  rows: ImportedRow[];
  rejected: RejectedRow[];
  encoding: 'utf-8' | 'windows-1252';
  delimiter: ',' | ';' | '\t';
}

/** The rows of a list before they are read as attendees: cells as text, with the line each is on. */
export interface ListRecord {
  /** The physical line (CSV) or row (workbook) the record starts on; the first is 1. */
  line: number;
  cells: string[];
}

/**
 * A problem with the file as a whole, answered 400 by the caller: `message` in English, `problem`
 * for clients that say it in their own words.
 */
export class AttendeeFileError extends Error {
  override name = 'AttendeeFileError';
  readonly problem: FileProblem;

  constructor({ problem, text }: Described<FileProblem>) {
    super(text);
    this.problem = problem;
  }
}

type Field = ImportField;
type Delimiter = ParsedAttendeeFile['delimiter'];

/**
 * Header names each field is known by, English and German. Compared after `normaliseName`, so
 * "E-Mail", "e_mail" and "EMAIL" are one name. The first two of each list (English, German) are
 * the examples named when a column is missing. Deliberately absent: "ID" (often a row number or
 * another system's key), "Name" (often the full name) and "Anrede" (Herr/Frau, not a title).
 */
const COLUMN_NAMES: Record<Field, readonly string[]> = {
  externalId: [
    'external_id',
    'Buchungsnummer',
    'external id',
    'booking number',
    'booking id',
    'booking reference',
    'ticket number',
    'ticket id',
    'registration number',
    'registration id',
    'Buchungs-Nr',
    'Buchungs-ID',
    'Ticketnummer',
    'Ticket-Nr',
    'Registrierungsnummer',
    'Anmeldenummer',
    'Anmelde-Nr',
    'Teilnehmernummer',
    'Teilnehmer-Nr',
  ],
  title: ['title', 'Titel', 'academic title', 'akademischer Titel'],
  firstName: ['first_name', 'Vorname', 'first name', 'given name', 'forename', 'Rufname'],
  lastName: ['last_name', 'Nachname', 'last name', 'surname', 'family name', 'Familienname'],
  email: [
    'email',
    'E-Mail',
    'email address',
    'mail',
    'E-Mail-Adresse',
    'Mailadresse',
    'Mail-Adresse',
  ],
  organisation: [
    'organisation',
    'Organisation',
    'organization',
    'company',
    'institution',
    'employer',
    'agency',
    'Behörde',
    'Behoerde',
    'Firma',
    'Unternehmen',
    'Dienststelle',
    'Arbeitgeber',
  ],
  category: [
    'category',
    'Kategorie',
    'type',
    'attendee type',
    'participant type',
    'registration type',
    'Teilnehmerart',
    'Teilnehmertyp',
    'Typ',
  ],
  sessions: ['sessions', 'Workshops', 'session', 'workshop', 'session codes', 'workshop codes'],
};

const REQUIRED_FIELDS: readonly Field[] = ['externalId', 'firstName', 'lastName', 'category'];

/**
 * Category values, English and German, compared after `normaliseName`, so the gender-inclusive
 * spellings common in German public-sector lists ("Teilnehmer*innen", "Referent:in") fold into
 * "teilnehmerinnen" and "referentin". The second name of each list is the German one named when
 * a value is unknown; "Organisation" is what the German export calls staff.
 */
const CATEGORY_NAMES: Record<Category, readonly string[]> = {
  attendee: [
    'attendee',
    'Teilnehmer',
    'attendees',
    'participant',
    'participants',
    'delegate',
    'delegates',
    'Teilnehmerin',
    'Teilnehmerinnen',
    'Teilnehmende',
    'Teilnehmender',
    'Besucher',
    'Besucherin',
    'Besucherinnen',
  ],
  speaker: [
    'speaker',
    'Referent',
    'speakers',
    'presenter',
    'presenters',
    'Referenten',
    'Referentin',
    'Referentinnen',
    'Vortragende',
    'Vortragender',
    'Redner',
    'Rednerin',
    'Rednerinnen',
  ],
  press: [
    'press',
    'Presse',
    'media',
    'journalist',
    'journalists',
    'Medien',
    'Journalistin',
    'Journalisten',
    'Journalistinnen',
  ],
  staff: [
    'staff',
    'Organisation',
    'organiser',
    'organisers',
    'organizer',
    'organizers',
    'crew',
    'Orga',
    'Organisationsteam',
    'Veranstalter',
    'Veranstalterin',
    'Mitarbeiter',
    'Mitarbeiterin',
    'Mitarbeiterinnen',
    'Helfer',
    'Helferin',
    'Helferinnen',
  ],
  exhibitor: ['exhibitor', 'Aussteller', 'exhibitors', 'Ausstellerin', 'Ausstellerinnen'],
};

/** The longest values the registration API accepts (see RegisterAttendeeDto). */
const MAX_LENGTHS: readonly [Field, number][] = [
  ['externalId', 64],
  ['title', 50],
  ['firstName', 100],
  ['lastName', 100],
  ['organisation', 300],
];

/** The API allows at most this many session codes per attendee (RegisterAttendeeDto). */
const MAX_SESSIONS = 100;

const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

/** Bytes 0x80–0x9F in Windows-1252; the five it leaves undefined stay C1 controls (WHATWG). */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Lower case, letters and digits only: "E-Mail-Adresse" and "e_mail adresse" compare equal. */
function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function lookup<K extends string>(names: Record<K, readonly string[]>): Map<string, K> {
  const map = new Map<string, K>();
  for (const key of Object.keys(names) as K[]) {
    for (const name of names[key]) map.set(normaliseName(name), key);
  }
  return map;
}

const FIELD_BY_NAME = lookup(COLUMN_NAMES);
const CATEGORY_BY_NAME = lookup(CATEGORY_NAMES);

/**
 * Reads an uploaded attendee list. Throws AttendeeFileError when the file as a whole cannot be
 * used (empty, not text, not CSV, no attendees, an unknown layout); otherwise returns the rows
 * that import and the rows rejected, each with the physical line it starts on.
 */
export function parseAttendeeFile(bytes: Buffer): ParsedAttendeeFile {
  if (bytes.length === 0) throw new AttendeeFileError(fileProblems.empty());
  refuseBinary(bytes);
  const { text, encoding } = decode(bytes);
  if (text.trim() === '') throw new AttendeeFileError(fileProblems.empty());

  const delimiter = detectDelimiter(text);
  return { ...attendeesFromRecords(readRecords(text, delimiter)), encoding, delimiter };
}

/**
 * Lines a list may have above its header (a title, a date, a note, as spreadsheets often do);
 * the header is the first of them that names the required columns.
 */
const LINES_BEFORE_HEADER = 10;

/**
 * Reads attendees from the records of a list, CSV or workbook. The header is the first non-blank
 * record that names the required columns, among the first few; what is above it is not read.
 * Throws AttendeeFileError for a list that has no attendees or an unknown layout (then naming
 * what the first non-blank record lacks).
 */
export function attendeesFromRecords(
  allRecords: ListRecord[],
): Pick<ParsedAttendeeFile, 'rows' | 'rejected'> {
  // Blank lines, and rows of nothing but delimiters (Excel writes those), are skipped.
  const records = allRecords.filter((r) => r.cells.some((cell) => cell !== ''));
  if (records.length === 0) throw new AttendeeFileError(fileProblems.empty());
  const { header, columns } = findHeader(records);
  const data = records.slice(records.indexOf(header) + 1);
  if (data.length === 0) {
    throw new AttendeeFileError(fileProblems.headerOnly());
  }

  const rows: ImportedRow[] = [];
  const rejected: RejectedRow[] = [];
  // Every external id with the line it first appears on, whether that row imports or not, so
  // that which row wins never depends on what else is wrong with them: the first one does.
  const firstLineOf = new Map<string, number>();
  for (const record of data) {
    const problems: Described<RowProblem>[] = [];
    const row = readRow(record, columns, header.cells.length, problems);
    const externalId = cell(record.cells, columns.externalId);
    if (externalId !== '') {
      const first = firstLineOf.get(externalId);
      if (first === undefined) firstLineOf.set(externalId, record.line);
      else problems.push(rowProblems.duplicateExternalId(externalId, first));
    }
    if (row !== undefined && problems.length === 0) rows.push(row);
    else rejected.push(rejectRow(record.line, problems));
  }
  return { rows, rejected };
}

/**
 * Refuses what is not text: a NUL byte never occurs in a UTF-8 or Windows-1252 CSV (an .xlsx
 * workbook is a ZIP, and Excel's "Unicode text" is UTF-16, both full of them), and text has few
 * control characters besides tab, CR and LF.
 */
function refuseBinary(bytes: Buffer): void {
  if (bytes.includes(0)) throw new AttendeeFileError(fileProblems.nulBytes());
  let controls = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f)
      controls++;
  }
  if (controls * 100 > bytes.length) {
    throw new AttendeeFileError(fileProblems.controlCharacters(controls, bytes.length));
  }
}

/**
 * Detects the encoding from the bytes: a UTF-8 byte order mark, or bytes that are valid UTF-8
 * (text in any other encoding with umlauts practically never is), else Windows-1252, which every
 * byte sequence is. Node's TextDecoder('windows-1252') decodes 0x80–0x9F as Latin-1 since Node
 * 20.18.3 (nodejs/node#56542, #60888), so those bytes are mapped here: "€", "„", "“", "’".
 */
function decode(bytes: Buffer): { text: string; encoding: ParsedAttendeeFile['encoding'] } {
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return { text: utf8.decode(hasBom ? bytes.subarray(3) : bytes), encoding: 'utf-8' };
  } catch {
    if (hasBom) {
      throw new AttendeeFileError(fileProblems.invalidUtf8());
    }
  }
  const text = bytes
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]);
  return { text, encoding: 'windows-1252' };
}

/**
 * Picks the delimiter that splits a header line into the most known column names (the header may
 * be below a title, see LINES_BEFORE_HEADER), and on a tie (an unknown layout) the first line into
 * the most fields.
 */
function detectDelimiter(text: string): Delimiter {
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
 * Splits the text into records with the line each starts on. csv-parse reports only where a
 * record ends (`info.lines`), and counts a CRLF inside a quoted field as two lines, so the lines
 * are counted here: a record takes one line plus one for each line break inside its cells.
 * Blank lines come through as records of one empty cell, so none is missed. Every line ending
 * (CRLF, LF, CR) ends a record, also when a file mixes them.
 */
function readRecords(text: string, delimiter: Delimiter): ListRecord[] {
  let records: string[][];
  try {
    records = parse(text, csvOptions(delimiter));
  } catch (error) {
    const line = failingLine(text, delimiter);
    throw new AttendeeFileError(
      (error as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED'
        ? fileProblems.unclosedQuote(line)
        : // its own line number counts where it gave up, not where the record starts
          fileProblems.unreadable(
            line,
            (error as Error).message.replace(/,? (?:at|on) line \d+/, ''),
          ),
    );
  }
  let nextLine = 1;
  return records.map((cells) => {
    const line = nextLine;
    nextLine += 1 + cells.reduce((breaks, value) => breaks + lineBreaks(value), 0);
    // Trimmed here as well: csv-parse trims around quotes, not inside them (" Anna ").
    return { line, cells: cells.map((value) => value.trim()) };
  });
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
 * Counted in a second pass, as `on_record` makes csv-parse build an info object per record, which
 * costs a third of the parse time of every good file.
 */
function failingLine(text: string, delimiter: Delimiter): number {
  let nextLine = 1;
  try {
    parse(text, {
      ...csvOptions(delimiter),
      on_record: (cells: string[]) => {
        nextLine += 1 + cells.reduce((breaks, value) => breaks + lineBreaks(value), 0);
        return null;
      },
    });
  } catch {
    // the same error again, now with the line counted up to it
  }
  return nextLine;
}

function lineBreaks(value: string): number {
  if (!value.includes('\n') && !value.includes('\r')) return 0;
  return value.match(/\r\n|\n|\r/g)!.length;
}

type ColumnIndex = Partial<Record<Field, number>>;

function findHeader(records: ListRecord[]): { header: ListRecord; columns: ColumnIndex } {
  const namesAllRequired = (record: ListRecord) => {
    const fields = new Set(record.cells.map((name) => FIELD_BY_NAME.get(normaliseName(name))));
    return REQUIRED_FIELDS.every((field) => fields.has(field));
  };
  // Usually the first record. If it is not, and none below names the columns either, the
  // first record is taken, and mapHeader says what it lacks.
  const header = records.slice(0, LINES_BEFORE_HEADER + 1).find(namesAllRequired) ?? records[0];
  return { header, columns: mapHeader(header.cells) };
}

/** Finds each field's column; refuses a header that lacks a required one or names one twice. */
function mapHeader(names: string[]): ColumnIndex {
  const columns: ColumnIndex = {};
  names.forEach((name, index) => {
    const field = FIELD_BY_NAME.get(normaliseName(name));
    if (field === undefined) return; // a column the import does not use
    const earlier = columns[field];
    if (earlier !== undefined) {
      throw new AttendeeFileError(fileProblems.duplicateColumn(field, names[earlier], name));
    }
    columns[field] = index;
  });
  const missing = REQUIRED_FIELDS.filter((field) => columns[field] === undefined);
  if (missing.length > 0) {
    const found = names.filter((name) => name !== '');
    throw new AttendeeFileError(
      fileProblems.missingColumns(
        missing.map((field) => ({ field, examples: COLUMN_NAMES[field] })),
        found,
      ),
    );
  }
  return columns;
}

function cell(cells: string[], index: number | undefined): string {
  return index === undefined ? '' : (cells[index] ?? '');
}

/**
 * Reads one data record into a row, or adds to `problems` what rejects it. Cells are stored as
 * written: one starting with "=", "+", "-" or "@" is a name like any other here, and the
 * exports neutralise it for spreadsheets.
 */
function readRow(
  record: ListRecord,
  columns: ColumnIndex,
  headerLength: number,
  problems: Described<RowProblem>[],
): ImportedRow | undefined {
  const value = (field: Field) => cell(record.cells, columns[field]);
  const optional = (field: Field) => value(field) || null;

  if (record.cells.slice(headerLength).some((c) => c !== '')) {
    problems.push(rowProblems.tooManyValues(headerLength));
  }
  for (const field of ['externalId', 'firstName', 'lastName'] as const) {
    if (value(field) === '') problems.push(rowProblems.empty(field));
  }
  for (const [field, max] of MAX_LENGTHS) {
    const text = value(field);
    // As the API's MaxLength counts: a character outside the BMP (an emoji) is one, not two.
    const length = text.length > max ? Array.from(text).length : text.length;
    if (length > max) problems.push(rowProblems.tooLong(field, max, length));
  }
  const externalId = value('externalId');
  if (/[\s:]/.test(externalId)) {
    problems.push(rowProblems.invalidExternalId(externalId));
  }
  const email = optional('email')?.toLowerCase() ?? null;
  if (email !== null && !isEmail(email)) problems.push(rowProblems.invalidEmail(value('email')));
  const category = readCategory(value('category'), problems);
  const sessions = [
    ...new Set(
      value('sessions')
        .split(/[\s,;]+/)
        .filter((code) => code !== '')
        .map((code) => code.toUpperCase()),
    ),
  ];
  if (sessions.length > MAX_SESSIONS) {
    problems.push(rowProblems.tooManySessions(MAX_SESSIONS, sessions.length));
  }
  if (problems.length > 0 || category === undefined) return undefined;
  return {
    line: record.line,
    externalId,
    title: optional('title'),
    firstName: value('firstName'),
    lastName: value('lastName'),
    email,
    organisation: optional('organisation'),
    category,
    sessions,
  };
}

function readCategory(text: string, problems: Described<RowProblem>[]): Category | undefined {
  if (text === '') {
    problems.push(rowProblems.empty('category'));
    return undefined;
  }
  const category = CATEGORY_BY_NAME.get(normaliseName(text));
  if (category === undefined) {
    const german = CATEGORIES.map((c) => CATEGORY_NAMES[c][1]);
    problems.push(rowProblems.unknownCategory(text, german));
  }
  return category;
}
