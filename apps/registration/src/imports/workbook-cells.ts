/**
 * How a worksheet cell of an .xlsx file becomes the text Excel shows for it in a cell formatted
 * "General": the pure part of reading a workbook, without XML or ZIP (see attendee-workbook.ts).
 */

/** A cell's value once its type is known. */
export type CellValue = string | number | boolean | Date | null | undefined;

/** A cell as Excel shows it in a cell formatted "General". */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    // Excel keeps 15 significant digits: 0.1 + 0.2 is shown as 0.3.
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return String(value);
}

/** The zero-based column of a cell reference: "A7" is 0, "AB7" is 27; undefined if none. */
export function columnOf(reference: string | undefined): number | undefined {
  if (!reference) return undefined;
  let column = 0;
  let letters = 0;
  for (const char of reference.toUpperCase()) {
    const code = char.charCodeAt(0);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
    letters += 1;
  }
  return letters === 0 ? undefined : column - 1;
}

/**
 * Number formats Excel has built in that show a date or a time (the ids a cell style names
 * without defining them): 14–22 and 45–47 everywhere, the rest in East Asian and Thai locales.
 */
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
  52, 53, 54, 55, 56, 57, 58, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81,
]);

/**
 * Whether a number format shows dates: a built-in date format, or a custom format code with a
 * day, month, year, hour or second in it once quoted text, escaped characters and [bracketed]
 * colours, locales and conditions are left out ("dd.mm.yyyy", "[$-407]d. mmmm yyyy;@"), and
 * none of a number's digit placeholders (0, #, ?).
 */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (BUILT_IN_DATE_FORMATS.has(id)) return true;
  if (code === undefined) return false;
  return code.split(';').some((section) => {
    const bare = section
      .toLowerCase()
      .replace(/"[^"]*"/g, ' ')
      .replace(/\\./g, ' ')
      .replace(/\[[^\]]*\]/g, ' ')
      .replace(/(s)[.,]0+/g, '$1');
    return /[dmyhs]/.test(bare) && !/[0#?]/.test(bare) && !/general/.test(bare);
  });
}

/**
 * The moment an Excel date serial stands for (as read-excel-file, the reader before, read it): days since
 * 1899-12-30 (the 1900 date system and its phantom 29 February 1900), or since 1904-01-01.
 */
export function excelDate(serial: number, dates1904: boolean): Date {
  const DAY = 24 * 60 * 60 * 1000;
  const days = dates1904 ? serial + 1462 : serial;
  return new Date(Math.floor((days - 25569) * DAY));
}

/** Excel writes characters XML cannot hold (a carriage return, a control) as `_xHHHH_`. */
export function unescapeExcelText(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}
