import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ATTENDEE_MAX_LENGTHS, MAX_SESSIONS_PER_ATTENDEE } from '../attendees/attendee-limits';
import { RegisterAttendeeDto } from '../attendees/register-attendee.dto';
import type { Described, RowProblem } from './import-problems';
import { type ColumnIndex } from './list-columns';
import { LENGTH_CHECKED_FIELDS, readRow } from './row-check';

/** The import's row check and the API's DTO are given the same attendee. */
const FIELDS = [
  'externalId',
  'title',
  'firstName',
  'lastName',
  'email',
  'organisation',
  'category',
  'sessions',
] as const;
type Values = Partial<Record<(typeof FIELDS)[number], string>>;
const COLUMNS: ColumnIndex = Object.fromEntries(FIELDS.map((field, index) => [field, index]));
const VALID: Values = {
  externalId: 'B-1001',
  firstName: 'Anna',
  lastName: 'Schmidt',
  category: 'attendee',
};

function importProblems(values: Values): RowProblem[] {
  const cells = FIELDS.map((field) => values[field] ?? '');
  const problems: Described<RowProblem>[] = [];
  readRow({ line: 2, cells }, COLUMNS, FIELDS.length, problems);
  return problems.map((p) => p.problem);
}

function apiRefuses(values: Values, field: string): boolean {
  const { sessions, ...rest } = values;
  const dto = plainToInstance(RegisterAttendeeDto, {
    ...rest,
    ...(sessions === undefined ? {} : { sessions: sessions.split(',') }),
  });
  return validateSync(dto).some((error) => error.property === field);
}

describe('row check: the import enforces the API limits', () => {
  it('accepts the attendee the API accepts', () => {
    expect(importProblems(VALID)).toEqual([]);
    expect(apiRefuses(VALID, 'externalId')).toBe(false);
  });

  it('checks the length of every limited field but the email, which isEmail limits', () => {
    const limited = Object.keys(ATTENDEE_MAX_LENGTHS).sort();
    expect([...LENGTH_CHECKED_FIELDS, 'email'].sort()).toEqual(limited);
  });

  it.each(LENGTH_CHECKED_FIELDS)('takes %s as long as the API, and no longer', (field) => {
    const max = ATTENDEE_MAX_LENGTHS[field];
    const longest = { ...VALID, [field]: 'x'.repeat(max) };
    expect(importProblems(longest)).toEqual([]);
    expect(apiRefuses(longest, field)).toBe(false);

    const tooLong = { ...VALID, [field]: 'x'.repeat(max + 1) };
    expect(importProblems(tooLong)).toEqual([{ code: 'too_long', field, max, length: max + 1 }]);
    expect(apiRefuses(tooLong, field)).toBe(true);
  });

  it('counts an emoji as one character, as the API does', () => {
    const max = ATTENDEE_MAX_LENGTHS.firstName;
    const emoji = { ...VALID, firstName: '😀'.repeat(max) };
    expect(importProblems(emoji)).toEqual([]);
    expect(apiRefuses(emoji, 'firstName')).toBe(false);
  });

  it('refuses an email the API refuses for its length', () => {
    const local = 'a'.repeat(64);
    const domain = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.de`;
    const email = `${local}@${domain}`;
    expect(email.length).toBeGreaterThan(ATTENDEE_MAX_LENGTHS.email);
    const values = { ...VALID, email };
    expect(importProblems(values).map((p) => p.code)).toEqual(['invalid_email']);
    expect(apiRefuses(values, 'email')).toBe(true);
  });

  it.each(['B 1001', 'B:1001'])('refuses the external id %j, as the API does', (externalId) => {
    const values = { ...VALID, externalId };
    expect(importProblems(values).map((p) => p.code)).toEqual(['invalid_external_id']);
    expect(apiRefuses(values, 'externalId')).toBe(true);
  });

  it('takes as many sessions as the API, and no more', () => {
    const codes = (count: number) => Array.from({ length: count }, (_, i) => `S${i}`).join(',');
    const most = { ...VALID, sessions: codes(MAX_SESSIONS_PER_ATTENDEE) };
    expect(importProblems(most)).toEqual([]);
    expect(apiRefuses(most, 'sessions')).toBe(false);

    const tooMany = { ...VALID, sessions: codes(MAX_SESSIONS_PER_ATTENDEE + 1) };
    expect(importProblems(tooMany)).toEqual([
      {
        code: 'too_many_sessions',
        field: 'sessions',
        max: MAX_SESSIONS_PER_ATTENDEE,
        count: MAX_SESSIONS_PER_ATTENDEE + 1,
      },
    ]);
    expect(apiRefuses(tooMany, 'sessions')).toBe(true);
  });
});
