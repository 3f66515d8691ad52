import {
  fileProblems,
  MAX_LISTED_REJECTIONS,
  RejectedRows,
  rejectRow,
  rowProblems,
} from './import-problems';

describe('import problems', () => {
  it('joins the English sentences of a row into its reason and keeps each problem', () => {
    expect(
      rejectRow(7, [rowProblems.empty('firstName'), rowProblems.unknownSession(['W9', 'W10'])]),
    ).toEqual({
      line: 7,
      reason: 'first name is empty; unknown session code W9, W10',
      problems: [
        { code: 'empty', field: 'firstName' },
        { code: 'unknown_session', field: 'sessions', codes: ['W9', 'W10'] },
      ],
    });
  });

  it('cuts a long value short in the problem as in the text, so one cell cannot flood the answer', () => {
    const long = 'x'.repeat(500);
    const { problem, text } = rowProblems.invalidExternalId(long);

    expect(problem).toEqual({
      code: 'invalid_external_id',
      field: 'externalId',
      value: `${'x'.repeat(57)}…`,
    });
    expect(text).toBe(`external id "${'x'.repeat(57)}…" contains spaces or a colon`);
  });

  it('says a cancelled registration as the API always has', () => {
    expect(rowProblems.cancelled('B-9')).toEqual({
      problem: { code: 'cancelled', field: 'externalId', value: 'B-9' },
      text: 'B-9 is cancelled; the row was not applied',
    });
  });

  it('names a file that has no data as empty', () => {
    expect(fileProblems.empty()).toEqual({
      problem: { code: 'empty_file' },
      text: 'The file is empty.',
    });
  });

  it('keeps the first 1,000 rejected rows by line and counts them all, whatever order they come in', () => {
    const row = (line: number) => rejectRow(line, [rowProblems.empty('firstName')]);
    // Rows read from the file (every second line, the first 1,000 listed of 3,000) ...
    const fromFile = Array.from({ length: MAX_LISTED_REJECTIONS }, (_, i) => row(2 + 2 * i));
    const rejected = new RejectedRows(fromFile, 3000);
    // ... then those refused against the database, the odd lines, in two passes.
    for (let line = 3; line < 9000; line += 4) rejected.add(row(line));
    for (let line = 5; line < 9000; line += 4) rejected.add(row(line));

    expect(rejected.count).toBe(3000 + 4499);
    expect(rejected.first.map((r) => r.line)).toEqual(
      Array.from({ length: MAX_LISTED_REJECTIONS }, (_, i) => 2 + i),
    );
  });
});
