import {
  AttendeeFileError,
  attendeesFromRecords,
  parseAttendeeFile,
  type ParsedAttendeeFile,
} from './attendee-file';
import { readWorkbookRecords, uploadKindOf } from './attendee-workbook';
import { fileProblems } from './import-problems';

export type ParsedUpload = Pick<ParsedAttendeeFile, 'rows' | 'rejected' | 'rejectedCount'> & {
  format: 'csv' | 'xlsx';
};

/**
 * Reads an uploaded attendee list as what its bytes say it is, whatever it was sent as: an Excel
 * workbook (.xlsx), or CSV text in any of the encodings and layouts parseAttendeeFile knows.
 * Excel 97–2003 files (.xls) are refused with a word on how to save them.
 */
export async function readAttendeeUpload(bytes: Buffer): Promise<ParsedUpload> {
  switch (uploadKindOf(bytes)) {
    case 'xlsx':
      return { format: 'xlsx', ...(await attendeesFromRecords(await readWorkbookRecords(bytes))) };
    case 'xls':
      throw new AttendeeFileError(fileProblems.legacyExcel());
    case 'text':
      return { format: 'csv', ...(await parseAttendeeFile(bytes)) };
  }
}
