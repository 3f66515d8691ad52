import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isEmail } from 'class-validator';
import { CsvError, parse } from 'csv-parse';
import { CATEGORIES, type Category } from '@einlass/contracts';
import {
  type Described,
  type FileProblem,
  fileProblems,
  type ImportField,
  rejectRow,
  type RejectedRow,
  RejectedRows,
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
 *
 * A list of up to 50 MB is read as it is parsed, giving the event loop a turn at least every
 * TURN_MS of work (the service's /health answers meanwhile; issue 11), and keeps
 * only what it must: the rows that import, the first rejected ones with a count of the rest, and
 * each external id with its first line. The text is never decoded as a whole.
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
  /** The first MAX_LISTED_REJECTIONS rejected rows, in line order. */
  rejected: RejectedRow[];
  /** How many rows were rejected in all (listed or not). */
  rejectedCount: number;
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
 * Reading gives the event loop a turn after this much time: requests wait at most about this
 * long for an import (/health must answer within a second; issue 11). Looked at every
 * RECORDS_PER_LOOK records, as the clock costs more than a record.
 */
const TURN_MS = 20;
const RECORDS_PER_LOOK = 100;

/** Gives the event loop a turn once TURN_MS have passed since the last; call once per record. */
function turns(): () => Promise<void> | undefined {
  let records = 0;
  let lastTurn = performance.now();
  return () => {
    if (++records % RECORDS_PER_LOOK !== 0 || performance.now() - lastTurn < TURN_MS) return;
    return nextTurn().then(() => {
      lastTurn = performance.now();
    });
  };
}
/** Bytes looked at between two turns of the event loop while checking that a file is text. */
const BYTES_PER_TURN = 4 * 1024 * 1024;
/** The text is handed to the CSV parser this many bytes at a time, a turn of the event loop each. */
const PIECE_BYTES = 64 * 1024;
/** The delimiter is detected from the first lines, read from at most this many bytes. */
const HEAD_BYTES = 1024 * 1024;

/**
 * Where the rows that import go while a list is still being read: `write` takes them `size` at a
 * time (the last batch smaller), and reading waits for it. Without one, they are kept and returned.
 */
export interface RowBatches {
  size: number;
  write(rows: ImportedRow[]): Promise<void>;
}

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
  const head = body.subarray(0, HEAD_BYTES);
  const headText = encoding === 'utf-8' ? head.toString('utf8') : windows1252(head);
  if (body.length <= HEAD_BYTES && headText.trim() === '') {
    throw new AttendeeFileError(fileProblems.empty());
  }

  const delimiter = detectDelimiter(headText);
  const list = new AttendeeListReader(batches);
  await readRecords(pieces, delimiter, (record) => list.add(record));
  return { ...(await list.finish()), encoding, delimiter };
}

/**
 * Lines a list may have above its header (a title, a date, a note, as spreadsheets often do);
 * the header is the first of them that names the required columns.
 */
const LINES_BEFORE_HEADER = 10;

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
    } else if (namesAllRequired(record)) {
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
  async finish(): Promise<Pick<ParsedAttendeeFile, 'rows' | 'rejected' | 'rejectedCount'>> {
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

/**
 * Refuses what is not text: a NUL byte never occurs in a UTF-8 or Windows-1252 CSV (an .xlsx
 * workbook is a ZIP, and Excel's "Unicode text" is UTF-16, both full of them), and text has few
 * control characters besides tab, CR and LF.
 */
async function refuseBinary(bytes: Buffer): Promise<void> {
  if (bytes.includes(0)) throw new AttendeeFileError(fileProblems.nulBytes());
  let controls = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f)
      controls++;
    if (i % BYTES_PER_TURN === BYTES_PER_TURN - 1) await nextTurn();
  }
  if (controls * 100 > bytes.length) {
    throw new AttendeeFileError(fileProblems.controlCharacters(controls, bytes.length));
  }
}

/**
 * Detects the encoding from the bytes: a UTF-8 byte order mark, or bytes that are valid UTF-8
 * (text in any other encoding with umlauts practically never is), else Windows-1252, which every
 * byte sequence is. Checked in place, without decoding: the text is decoded piece by piece as it
 * is parsed (see textPieces). The body is the bytes after a byte order mark.
 */
function encodingOf(bytes: Buffer): { body: Buffer; encoding: ParsedAttendeeFile['encoding'] } {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  if (isUtf8(body)) return { body, encoding: 'utf-8' };
  if (hasBom) throw new AttendeeFileError(fileProblems.invalidUtf8());
  return { body, encoding: 'windows-1252' };
}

/**
 * The text in pieces for the CSV parser: UTF-8 as the bytes themselves (the parser decodes each
 * field, so a character split between two pieces is whole again), Windows-1252 decoded piece by
 * piece (one byte is one character, so any cut is clean). Each piece in a turn of the event loop
 * of its own, as the parser's stream otherwise runs on without giving other requests one.
 */
async function* textPieces(
  body: Buffer,
  encoding: ParsedAttendeeFile['encoding'],
): AsyncGenerator<Buffer | string> {
  for (let at = 0; at < body.length; at += PIECE_BYTES) {
    const piece = body.subarray(at, at + PIECE_BYTES);
    yield encoding === 'utf-8' ? piece : windows1252(piece);
    await nextTurn();
  }
}

/**
 * Windows-1252 text. Node's TextDecoder('windows-1252') decodes 0x80–0x9F as Latin-1 since Node
 * 20.18.3 (nodejs/node#56542, #60888), so those bytes are mapped here: "€", "„", "“", "’".
 */
function windows1252(bytes: Buffer): string {
  return bytes
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]);
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
 * Parses the text into records, handing each to `onRecord` with the line it starts on, and gives
 * the event loop a turn every TURN_MS. csv-parse reports only where a record
 * ends (`info.lines`), and counts a CRLF inside a quoted field as two lines, so the lines are
 * counted here: a record takes one line plus one for each line break inside its cells. Blank
 * lines come through as records of one empty cell, so none is missed. Every line ending (CRLF,
 * LF, CR) ends a record, also when a file mixes them.
 */
async function readRecords(
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

type ColumnIndex = Partial<Record<Field, number>>;

function namesAllRequired(record: ListRecord): boolean {
  const fields = new Set(record.cells.map((name) => FIELD_BY_NAME.get(normaliseName(name))));
  return REQUIRED_FIELDS.every((field) => fields.has(field));
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
