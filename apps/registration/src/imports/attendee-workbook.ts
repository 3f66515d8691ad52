import { unzipSync } from 'fflate';
import { readSheet } from 'read-excel-file/node';
import { AttendeeFileError, type ListRecord } from './attendee-file';
import { fileProblems } from './import-problems';

/**
 * Reads the attendee list from an Excel workbook (.xlsx), as organisers get it from their
 * registration form or keep it themselves: the first worksheet, its first non-blank row the
 * header, each row's line the row number Excel shows. Cells are read as the text Excel displays
 * for them, so a booking number typed as 123 is "123"; a cell that starts with "=" is a text like
 * any other (a formula's cell holds its last result, and that is what is read).
 */

/** A cell as read-excel-file gives it (its own type names Date's constructor, not a date). */
type Cell = string | number | boolean | Date | null | undefined;

/** What the upload's first bytes say it is. */
export type UploadKind = 'xlsx' | 'xls' | 'text';

/** ZIP archives (.xlsx, .ods) and Microsoft's compound files (.xls) start with these bytes. */
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const COMPOUND_FILE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * A workbook of 50,000 attendees unpacks to about 25 MB; far more is not an attendee list, or is
 * a ZIP bomb meant to exhaust the service's memory. Checked from the archive's directory before
 * anything is unpacked.
 */
export const MAX_UNPACKED_WORKBOOK = 200 * 1024 * 1024;

export function uploadKindOf(bytes: Buffer): UploadKind {
  const startsWith = (signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (startsWith(ZIP_SIGNATURE)) return 'xlsx';
  if (startsWith(COMPOUND_FILE_SIGNATURE)) return 'xls';
  return 'text';
}

/** The first worksheet's rows. Throws AttendeeFileError when the bytes are no readable .xlsx. */
export async function readWorkbookRecords(bytes: Buffer): Promise<ListRecord[]> {
  let unpacked = 0;
  try {
    // Only the directory is read: the filter sees each entry's size and unpacks none.
    unzipSync(bytes, {
      filter: (entry) => {
        unpacked += entry.originalSize;
        return false;
      },
    });
  } catch (error) {
    throw new AttendeeFileError(fileProblems.unreadableWorkbook(reason(error)));
  }
  if (unpacked > MAX_UNPACKED_WORKBOOK) {
    throw new AttendeeFileError(fileProblems.workbookTooLarge(unpacked, MAX_UNPACKED_WORKBOOK));
  }
  let rows: Cell[][];
  try {
    rows = (await readSheet(bytes, 1)) as Cell[][];
  } catch (error) {
    throw new AttendeeFileError(fileProblems.unreadableWorkbook(reason(error)));
  }
  return rows.map((cells, index) => ({
    line: index + 1,
    cells: cells.map((value) => cellText(value).trim()),
  }));
}

/** A cell as Excel shows it in a cell formatted "General". */
export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    // Excel keeps 15 significant digits: 0.1 + 0.2 is shown as 0.3.
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return String(value);
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/`/g, '').replace(/\.$/, '').slice(0, 200);
}
