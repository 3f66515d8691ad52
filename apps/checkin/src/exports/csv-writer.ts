/** The cell separators an export may use: a comma, or a semicolon for German Excel. */
export const CSV_DELIMITERS = { comma: ',', semicolon: ';' } as const;
export type CsvDelimiter = keyof typeof CSV_DELIMITERS;

/** Excel reads a file as UTF-8 only when it starts with this byte order mark. */
export const UTF8_BOM = '\ufeff';

export type CsvCell = string | number | boolean | Date | null | undefined;

/** First characters that make Excel (and LibreOffice) read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * CSV for Excel, one row at a time: RFC 4180 (cells with the delimiter, a quote or a line break
 * quoted, quotes doubled, CRLF after every row), and every cell that a spreadsheet would evaluate
 * (`=`, `+`, `-`, `@`, tab or carriage return first) neutralised by a leading apostrophe, so a
 * name like `=HYPERLINK(…)` is shown as the text it is. Dates are written as ISO 8601 in UTC.
 *
 * Written by hand: csv-stringify (the natural choice, from csv-parse's project) is not among the
 * dependencies, and it does not neutralise formulas either.
 */
export class CsvWriter {
  private readonly separator: string;

  constructor(delimiter: CsvDelimiter = 'comma') {
    this.separator = CSV_DELIMITERS[delimiter];
  }

  /** One row, with its CRLF. */
  row(cells: readonly CsvCell[]): string {
    return `${cells.map((cell) => this.cell(cell)).join(this.separator)}\r\n`;
  }

  /** The byte order mark and the header row: the start of every file. */
  start(header: readonly string[]): string {
    return UTF8_BOM + this.row(header);
  }

  cell(value: CsvCell): string {
    const text = cellText(value);
    if (text === '') return '';
    // Only text can be a formula; a number is written as the number it is.
    const safe = typeof value === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
    return needsQuotes(safe, this.separator) ? `"${safe.replace(/"/g, '""')}"` : safe;
  }
}

function cellText(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

const needsQuotes = (text: string, separator: string) =>
  text.includes(separator) || /["\r\n]/.test(text);
