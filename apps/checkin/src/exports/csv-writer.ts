import { type Options, stringify } from 'csv-stringify/sync';

/** The cell separators an export may use: a comma, or a semicolon for German Excel. */
export const CSV_DELIMITERS = { comma: ',', semicolon: ';' } as const;
export type CsvDelimiter = keyof typeof CSV_DELIMITERS;

/** Excel reads a file as UTF-8 only when it starts with this byte order mark. */
export const UTF8_BOM = '\ufeff';

export type CsvCell = string | number | boolean | Date | null | undefined;

/**
 * CSV for Excel, written by csv-stringify: RFC 4180 (cells with the delimiter, a quote or a line
 * break quoted, quotes doubled, CRLF after every row), and every text cell that a spreadsheet
 * would evaluate (`=`, `+`, `-`, `@`, tab or carriage return first, or the full-width `＝＋－＠`)
 * neutralised by a leading apostrophe (csv-stringify's `escape_formulas`), so a name like
 * `=HYPERLINK(…)` is shown as the text it is; a negative number stays a number. Dates are
 * written as ISO 8601 in UTC, booleans as yes/no.
 */
export class CsvWriter {
  private readonly options: Options;

  constructor(delimiter: CsvDelimiter = 'comma') {
    this.options = {
      delimiter: CSV_DELIMITERS[delimiter],
      record_delimiter: '\r\n',
      // Quote a cell with any line break, CR or LF alone too, not only one with a whole CRLF.
      quote_record_delimiter: true,
      escape_formulas: true,
      cast: {
        // csv-stringify's defaults are milliseconds since 1970 and "1"/"".
        date: (value) => value.toISOString(),
        boolean: (value) => (value ? 'yes' : 'no'),
      },
    };
  }

  /** One row, with its CRLF. */
  row(cells: readonly CsvCell[]): string {
    return this.rows([cells]);
  }

  /** Several rows, each with its CRLF, in one go. */
  rows(rows: readonly (readonly CsvCell[])[]): string {
    return stringify(rows as CsvCell[][], this.options);
  }

  /** The byte order mark and the header row: the start of every file. */
  start(header: readonly string[]): string {
    return UTF8_BOM + this.row(header);
  }

  /** One cell as it is written into a row. */
  cell(value: CsvCell): string {
    return stringify([[value]], { ...this.options, eof: false });
  }
}
