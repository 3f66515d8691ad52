import { setImmediate as nextTurn } from 'node:timers/promises';
import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { AttendeeFileError } from './attendee-file-error';
import type { ListRecord } from './attendee-list-reader';
import { TURN_MS } from './event-loop-turns';
import { fileProblems } from './import-problems';
import {
  type CellValue,
  cellText,
  columnOf,
  excelDate,
  isDateFormat,
  unescapeExcelText,
} from './workbook-cells';

export { cellText } from './workbook-cells';

/**
 * Reads the attendee list from an Excel workbook (.xlsx), as organisers get it from their
 * registration form or keep it themselves: the first worksheet, its first non-blank row the
 * header, each row's line the row number Excel shows. Cells are read as the text Excel displays
 * for them, so a booking number typed as 123 is "123"; a cell that starts with "=" is a text like
 * any other (a formula's cell holds its last result, and that is what is read). Shared strings,
 * inline strings, numbers, booleans and dates (numbers in a date format) are read.
 *
 * Streamed (issue 11): the worksheet is unpacked and parsed a piece at a time, its rows handed
 * on as they come, with a turn of the event loop whenever TURN_MS of work have passed, so a large
 * workbook neither holds the service nor takes memory in proportion to its rows. What is held
 * whole: the upload itself (the request body), the small parts that describe the workbook
 * (workbook.xml, its relationships, styles.xml) and the shared strings table, which Excel keeps
 * apart from the sheet: it holds each distinct text once, so it grows with the distinct names,
 * emails and ids of a list (about the size of the list's text) and is limited with the rest by
 * MAX_UNPACKED_WORKBOOK.
 */

/** What the upload's first bytes say it is. */
export type UploadKind = 'xlsx' | 'xls' | 'text';

/** ZIP archives (.xlsx, .ods) and Microsoft's compound files (.xls) start with these bytes. */
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const COMPOUND_FILE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * A workbook of 50,000 attendees unpacks to about 25 MB; far more is not an attendee list, or is
 * a ZIP bomb meant to exhaust the service's memory. Checked from the archive's directory before
 * anything is unpacked, and again on what is really unpacked (a directory can lie).
 */
export const MAX_UNPACKED_WORKBOOK = 200 * 1024 * 1024;

/** The parts describing the workbook are read whole; larger than this they are no workbook. */
const MAX_DESCRIBING_PART = 4 * 1024 * 1024;

/** The archive is handed to the unpacker this many bytes at a time. */
const PUSH_BYTES = 16 * 1024;
/** Unpacked XML is handed to the XML parser this many bytes at a time. */
const XML_SLICE = 64 * 1024;

/** Excel's last column (XFD); a cell beyond it is no cell Excel could have written. */
const MAX_COLUMNS = 16384;

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELATIONS = 'xl/_rels/workbook.xml.rels';

export function uploadKindOf(bytes: Buffer): UploadKind {
  const startsWith = (signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (startsWith(ZIP_SIGNATURE)) return 'xlsx';
  if (startsWith(COMPOUND_FILE_SIGNATURE)) return 'xls';
  return 'text';
}

/**
 * Reads the first worksheet's rows, handing them to `onRecords` a few at a time (awaited before
 * reading on). Throws AttendeeFileError when the bytes are no readable .xlsx.
 */
export async function readWorkbookRecords(
  bytes: Buffer,
  onRecords: (records: ListRecord[]) => Promise<void> | void,
): Promise<void> {
  const budget = new UnpackBudget();
  const layout = workbookLayout(bytes);
  const strings =
    layout.sharedStrings === undefined
      ? []
      : await readSharedStrings(bytes, layout.sharedStrings, budget);
  await readSheet(bytes, layout, strings, budget, onRecords);
}

/** Where the first sheet and its shared strings are, and how to tell dates from numbers. */
interface WorkbookLayout {
  sheet: string;
  sharedStrings?: string;
  dates1904: boolean;
  /** By cell style index: whether the style shows a number as a date. */
  dateStyles: boolean[];
}

/**
 * Reads the archive's directory (refusing what would unpack to too much, unopened) and the small
 * parts that say where the first sheet is.
 */
function workbookLayout(bytes: Buffer): WorkbookLayout {
  let declared = 0;
  const names = new Set<string>();
  let parts: Record<string, Uint8Array>;
  try {
    // Only the directory is read and the describing parts unpacked; nothing else is.
    parts = unzipSync(bytes, {
      filter: (entry) => {
        declared += entry.originalSize;
        names.add(entry.name);
        return (
          (entry.name === WORKBOOK ||
            entry.name === WORKBOOK_RELATIONS ||
            /^xl\/[^/]*styles\.xml$/.test(entry.name)) &&
          entry.originalSize <= MAX_DESCRIBING_PART
        );
      },
    });
  } catch (error) {
    throw unreadable(error);
  }
  if (declared > MAX_UNPACKED_WORKBOOK) {
    throw new AttendeeFileError(fileProblems.workbookTooLarge(declared, MAX_UNPACKED_WORKBOOK));
  }
  const text = (name: string) => {
    const part = parts[name];
    if (part === undefined) {
      throw unreadable(names.has(name) ? `${name} is too large` : `it has no ${name}`);
    }
    return Buffer.from(part).toString('utf8');
  };

  let firstSheetRelation: string | undefined;
  let dates1904 = false;
  parseWhole(text(WORKBOOK), (tag) => {
    const name = localName(tag.name);
    if (name === 'workbookPr') {
      const value = attribute(tag, 'date1904');
      dates1904 = value === '1' || value === 'true';
    } else if (name === 'sheet' && firstSheetRelation === undefined) {
      // r:id, whatever the relationships namespace's prefix is
      firstSheetRelation = Object.entries(tag.attributes).find(([key]) =>
        /^[^:]+:id$/.test(key),
      )?.[1];
    }
  });
  if (firstSheetRelation === undefined) throw unreadable('the workbook has no worksheet');

  const targets = new Map<string, { type: string; path: string }>();
  parseWhole(text(WORKBOOK_RELATIONS), (tag) => {
    if (localName(tag.name) !== 'Relationship') return;
    const target = attribute(tag, 'Target') ?? '';
    targets.set(attribute(tag, 'Id') ?? '', {
      type: (attribute(tag, 'Type') ?? '').replace(/.*\//, ''),
      path: target.startsWith('/') ? target.slice(1) : `xl/${target}`,
    });
  });
  const sheet = targets.get(firstSheetRelation);
  if (sheet?.type !== 'worksheet' || !names.has(sheet.path)) {
    throw unreadable('its first worksheet is missing');
  }
  const pathOf = (type: string) =>
    [...targets.values()].find((t) => t.type === type && names.has(t.path))?.path;
  const sharedStrings = pathOf('sharedStrings');
  const styles = pathOf('styles');
  return {
    sheet: sheet.path,
    sharedStrings,
    dates1904,
    dateStyles: styles !== undefined && parts[styles] ? dateStylesOf(text(styles)) : [],
  };
}

/** Which cell styles (by index) show numbers as dates. */
function dateStylesOf(xml: string): boolean[] {
  const formatCodes = new Map<number, string>();
  const dateStyles: boolean[] = [];
  let inCellStyles = false;
  parseWhole(
    xml,
    (tag) => {
      const name = localName(tag.name);
      if (name === 'numFmt') {
        formatCodes.set(Number(attribute(tag, 'numFmtId')), attribute(tag, 'formatCode') ?? '');
      } else if (name === 'cellXfs') {
        inCellStyles = true;
      } else if (name === 'xf' && inCellStyles) {
        const id = Number(attribute(tag, 'numFmtId') ?? 0);
        dateStyles.push(isDateFormat(id, formatCodes.get(id)));
      }
    },
    (name) => {
      if (localName(name) === 'cellXfs') inCellStyles = false;
    },
  );
  return dateStyles;
}

/** The shared strings table, in order: the texts cells of type "s" name by index. */
async function readSharedStrings(
  bytes: Buffer,
  path: string,
  budget: UnpackBudget,
): Promise<string[]> {
  const strings: string[] = [];
  let current: string | undefined;
  /** Depth inside a phonetic run (<rPh>), whose text is a reading aid, not the cell's text. */
  let phonetic = 0;
  let inText = false;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (name === 'si') current = '';
    else if (name === 'rPh') phonetic += 1;
    else if (name === 't' && current !== undefined && phonetic === 0) inText = true;
  });
  parser.on('text', (text) => {
    if (inText) current += text;
  });
  parser.on('cdata', (text) => {
    if (inText) current += text;
  });
  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    if (name === 't') inText = false;
    else if (name === 'rPh') phonetic -= 1;
    else if (name === 'si' && current !== undefined) {
      strings.push(unescapeExcelText(current));
      current = undefined;
    }
  });
  await streamPart(bytes, path, budget, (xml) => writeXml(parser, xml));
  closeParser(parser);
  return strings;
}

/** Reads the sheet's rows, each as the cells' text by column, with the row number as its line. */
async function readSheet(
  bytes: Buffer,
  layout: WorkbookLayout,
  strings: string[],
  budget: UnpackBudget,
  onRecords: (records: ListRecord[]) => Promise<void> | void,
): Promise<void> {
  let records: ListRecord[] = [];
  let line = 0;
  let cells: string[] = [];
  let cell: {
    column: number;
    type: string;
    style: number;
    value?: string;
    inline?: string;
  } | null = null;
  let capture: 'value' | 'inline' | undefined;
  let phonetic = 0;

  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    switch (localName(tag.name)) {
      case 'row':
        line = Number(attribute(tag, 'r')) || line + 1;
        cells = [];
        break;
      case 'c': {
        const column = columnOf(attribute(tag, 'r')) ?? cells.length;
        cell = {
          column,
          type: attribute(tag, 't') ?? 'n',
          style: Number(attribute(tag, 's') ?? 0),
        };
        break;
      }
      case 'v':
        if (cell) {
          cell.value = '';
          capture = 'value';
        }
        break;
      case 'is':
        if (cell) cell.inline = '';
        break;
      case 'rPh':
        phonetic += 1;
        break;
      case 't':
        if (cell?.inline !== undefined && phonetic === 0) capture = 'inline';
        break;
    }
  });
  const onText = (text: string) => {
    if (capture === 'value') cell!.value += text;
    else if (capture === 'inline') cell!.inline += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    switch (localName(tag.name)) {
      case 'v':
      case 't':
        capture = undefined;
        break;
      case 'rPh':
        phonetic -= 1;
        break;
      case 'c':
        if (cell && cell.column < MAX_COLUMNS) {
          const text = cellText(valueOf(cell, strings, layout)).trim();
          while (cells.length < cell.column) cells.push('');
          cells[cell.column] = text;
        }
        cell = null;
        break;
      case 'row':
        records.push({ line, cells });
        cells = [];
        break;
    }
  });
  await streamPart(bytes, layout.sheet, budget, (xml) => {
    writeXml(parser, xml);
    if (records.length === 0) return;
    const ready = records;
    records = [];
    return onRecords(ready);
  });
  closeParser(parser);
  if (records.length > 0) await onRecords(records);
}

/** A cell's value by its type ("t"): shared or inline string, boolean, date, or number. */
function valueOf(
  cell: { type: string; style: number; value?: string; inline?: string },
  strings: string[],
  layout: WorkbookLayout,
): CellValue {
  const { value } = cell;
  switch (cell.type) {
    case 's':
      return strings[Number(value)] ?? '';
    case 'inlineStr':
      return unescapeExcelText(cell.inline ?? '');
    case 'str':
    case 'e': // an error a formula gave, as Excel shows it: #N/A, #DIV/0!
      return unescapeExcelText(value ?? '');
    case 'b':
      return value === '1' ? true : value === '0' ? false : value;
    case 'd':
      return value ? new Date(value) : null;
    default: {
      if (value === undefined || value.trim() === '') return null;
      const number = Number(value);
      if (Number.isNaN(number)) return value;
      return layout.dateStyles[cell.style] ? excelDate(number, layout.dates1904) : number;
    }
  }
}

/**
 * Unpacks one part of the archive a piece at a time, handing its text to `onXml` (awaited), with
 * a turn of the event loop whenever TURN_MS have passed. Parts the reader does not need are
 * skipped unopened.
 */
async function streamPart(
  bytes: Buffer,
  path: string,
  budget: UnpackBudget,
  onXml: (xml: string) => Promise<void> | void,
): Promise<void> {
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  const unpacked: Uint8Array[] = [];
  let found = false;
  let finished = false;
  let failure: unknown;
  unzip.onfile = (file) => {
    if (file.name !== path || found) return;
    found = true;
    file.ondata = (error, data, final) => {
      if (error) failure = error;
      else unpacked.push(data);
      if (final) finished = true;
    };
    file.start();
  };
  const decoder = new TextDecoder('utf-8');
  let lastTurn = performance.now();
  const turnIfDue = async () => {
    if (performance.now() - lastTurn < TURN_MS) return;
    await nextTurn();
    lastTurn = performance.now();
  };
  for (let at = 0; at < bytes.length && !finished; at += PUSH_BYTES) {
    try {
      unzip.push(bytes.subarray(at, at + PUSH_BYTES), at + PUSH_BYTES >= bytes.length);
    } catch (error) {
      failure = error;
    }
    if (failure) throw unreadable(failure);
    // also while skipping the parts before the one wanted
    await turnIfDue();
    for (let data = unpacked.shift(); data; data = unpacked.shift()) {
      budget.spend(data.length);
      for (let i = 0; i < data.length; i += XML_SLICE) {
        await onXml(decoder.decode(data.subarray(i, i + XML_SLICE), { stream: true }));
        await turnIfDue();
      }
    }
  }
  if (!found || !finished) throw unreadable(`${path} is incomplete`);
  await onXml(decoder.decode());
}

/** What is really unpacked, all parts together, against MAX_UNPACKED_WORKBOOK. */
class UnpackBudget {
  private spent = 0;

  spend(bytes: number): void {
    this.spent += bytes;
    if (this.spent > MAX_UNPACKED_WORKBOOK) {
      throw new AttendeeFileError(fileProblems.workbookTooLarge(this.spent, MAX_UNPACKED_WORKBOOK));
    }
  }
}

/** Parses a small XML document whole (the parts that describe the workbook). */
function parseWhole(
  xml: string,
  onOpen: (tag: SaxesTagPlain) => void,
  onClose?: (name: string) => void,
): void {
  const parser = new SaxesParser();
  parser.on('opentag', onOpen);
  if (onClose) parser.on('closetag', (tag) => onClose(tag.name));
  try {
    parser.write(xml).close();
  } catch (error) {
    throw unreadable(error);
  }
}

/** Hands XML to a streaming parser; malformed XML is an unreadable workbook. */
function writeXml(parser: SaxesParser, xml: string): void {
  try {
    parser.write(xml);
  } catch (error) {
    throw unreadable(error);
  }
}

function closeParser(parser: SaxesParser): void {
  try {
    parser.close();
  } catch (error) {
    throw unreadable(error);
  }
}

/** An element's name without its namespace prefix ("x:row" is "row"). */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function attribute(tag: SaxesTagPlain, name: string): string | undefined {
  return tag.attributes[name];
}

function unreadable(error: unknown): AttendeeFileError {
  return new AttendeeFileError(fileProblems.unreadableWorkbook(reason(error)));
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/`/g, '').replace(/\.$/, '').slice(0, 200);
}
