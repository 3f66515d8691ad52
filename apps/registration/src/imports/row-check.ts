import { isEmail } from 'class-validator';
import { CATEGORIES, type Category } from '@einlass/contracts';
import {
  ATTENDEE_MAX_LENGTHS,
  EXTERNAL_ID_FORBIDDEN,
  MAX_SESSIONS_PER_ATTENDEE,
} from '../attendees/attendee-limits';
import type { ListRecord } from './attendee-list-reader';
import { type Described, type ImportField, type RowProblem, rowProblems } from './import-problems';
import { CATEGORY_BY_NAME, CATEGORY_NAMES, type ColumnIndex, normaliseName } from './list-columns';

/**
 * Checking one row of a list: the attendee it registers, or every reason it cannot. The limits
 * are the API's own (attendees/attendee-limits.ts), so that a list imports exactly the people the
 * API would register.
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

/**
 * The fields whose length a row's check counts, with the API's limits (see RegisterAttendeeDto).
 * The email has none of its own here: an address longer than the API's limit is no valid address.
 */
export const LENGTH_CHECKED_FIELDS = [
  'externalId',
  'title',
  'firstName',
  'lastName',
  'organisation',
] as const satisfies readonly (ImportField & keyof typeof ATTENDEE_MAX_LENGTHS)[];

/** The cell of a column, or '' for a column the list does not have or a row too short for it. */
export function cell(cells: string[], index: number | undefined): string {
  return index === undefined ? '' : (cells[index] ?? '');
}

/**
 * Reads one data record into a row, or adds to `problems` what rejects it. Cells are stored as
 * written: one starting with "=", "+", "-" or "@" is a name like any other here, and the
 * exports neutralise it for spreadsheets.
 */
export function readRow(
  record: ListRecord,
  columns: ColumnIndex,
  headerLength: number,
  problems: Described<RowProblem>[],
): ImportedRow | undefined {
  const value = (field: ImportField) => cell(record.cells, columns[field]);
  const optional = (field: ImportField) => value(field) || null;

  if (record.cells.slice(headerLength).some((c) => c !== '')) {
    problems.push(rowProblems.tooManyValues(headerLength));
  }
  for (const field of ['externalId', 'firstName', 'lastName'] as const) {
    if (value(field) === '') problems.push(rowProblems.empty(field));
  }
  for (const field of LENGTH_CHECKED_FIELDS) {
    const max = ATTENDEE_MAX_LENGTHS[field];
    const text = value(field);
    // As the API's MaxLength counts: a character outside the BMP (an emoji) is one, not two.
    const length = text.length > max ? Array.from(text).length : text.length;
    if (length > max) problems.push(rowProblems.tooLong(field, max, length));
  }
  const externalId = value('externalId');
  if (EXTERNAL_ID_FORBIDDEN.test(externalId)) {
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
  if (sessions.length > MAX_SESSIONS_PER_ATTENDEE) {
    problems.push(rowProblems.tooManySessions(MAX_SESSIONS_PER_ATTENDEE, sessions.length));
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
