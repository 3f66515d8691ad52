import { parse } from 'csv-parse/sync';
import writeXlsxFile from 'write-excel-file/node';
import { sampleFile } from './congress';

export type WorkbookValue = string | number | boolean | Date | null;

/**
 * An Excel workbook (.xlsx) with one worksheet of these rows, for import tests: numbers, dates and
 * booleans become cells of that type, as Excel stores them; null is an empty cell, [] a blank row.
 */
export async function workbookOf(rows: WorkbookValue[][]): Promise<Buffer> {
  const data = rows.map((row) => row.map((value) => (value === null ? null : { value })));
  return writeXlsxFile(data).toBuffer();
}

/** The rows of a CSV file of the sample congress (data/sample), header first. */
export function sampleRows(name: string): string[][] {
  const rows: string[][] = parse(sampleFile(name), { bom: true });
  return rows;
}
