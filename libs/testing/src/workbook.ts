import { strToU8, zipSync } from 'fflate';
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

/** The XML parts of a hand-made workbook: a worksheet's `<sheetData>` content and what it needs. */
export interface WorkbookXml {
  /** The rows, as the content of `<sheetData>`. */
  sheetData: string;
  /** `<si>` elements of the shared strings table, if the workbook has one. */
  sharedStrings?: string;
  /** `<numFmts>` and `<cellXfs>` of styles.xml, if the workbook has one. */
  styles?: string;
  /** `<workbookPr …/>`, e.g. with date1904="1". */
  workbookPr?: string;
}

/**
 * An .xlsx written part by part as Excel writes it (the first sheet named through the workbook's
 * relationships, not sheet1.xml; shared strings after the sheet in the archive), for reader tests
 * of what write-excel-file never writes: inline strings, rich text, dates, a second sheet.
 */
export function workbookFromXml(parts: WorkbookXml): Buffer {
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const xml = (text: string) =>
    strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${text}`);
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': xml(
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    'xl/workbook.xml': xml(
      `<workbook xmlns="${main}" xmlns:r="${rel}">${parts.workbookPr ?? ''}<sheets>` +
        `<sheet name="Teilnehmer" sheetId="3" r:id="rId7"/><sheet name="Notizen" sheetId="1" r:id="rId1"/>` +
        `</sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': xml(
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId7" Type="${rel}/worksheet" Target="/xl/worksheets/list.xml"/>` +
        `<Relationship Id="rId8" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/>` +
        `<Relationship Id="rId9" Type="${rel}/styles" Target="styles.xml"/>` +
        `</Relationships>`,
    ),
    'xl/worksheets/sheet1.xml': xml(
      `<worksheet xmlns="${main}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not this sheet</t></is></c></row></sheetData></worksheet>`,
    ),
    'xl/worksheets/list.xml': xml(
      `<worksheet xmlns="${main}"><sheetData>${parts.sheetData}</sheetData></worksheet>`,
    ),
  };
  if (parts.sharedStrings !== undefined)
    files['xl/sharedStrings.xml'] = xml(`<sst xmlns="${main}">${parts.sharedStrings}</sst>`);
  if (parts.styles !== undefined)
    files['xl/styles.xml'] = xml(`<styleSheet xmlns="${main}">${parts.styles}</styleSheet>`);
  return Buffer.from(zipSync(files));
}
