import { fileProblems, rejectRow, rowProblems } from './import-problems';

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
});
