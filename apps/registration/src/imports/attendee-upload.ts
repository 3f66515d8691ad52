import { parseAttendeeFile } from './attendee-file';
import { AttendeeFileError } from './attendee-file-error';
import { attendeesFromRecordStream, type ReadList, type RowBatches } from './attendee-list-reader';
import { readWorkbookRecords, uploadKindOf } from './attendee-workbook';
import { fileProblems } from './import-problems';

export type ParsedUpload = ReadList & {
  format: 'csv' | 'xlsx';
};

/**
 * Reads an uploaded attendee list as what its bytes say it is, whatever it was sent as: an Excel
 * workbook (.xlsx), or CSV text in any of the encodings and layouts parseAttendeeFile knows.
 * Excel 97–2003 files (.xls) are refused with a word on how to save them. Both are read as a
 * stream: with `batches`, the rows that import are handed to it while reading goes on (and the
 * answer's `rows` is empty); without, they are returned.
 */
export async function readAttendeeUpload(
  bytes: Buffer,
  batches?: RowBatches,
): Promise<ParsedUpload> {
  switch (uploadKindOf(bytes)) {
    case 'xlsx': {
      const list = attendeesFromRecordStream(batches);
      await readWorkbookRecords(bytes, (records) => list.read(records));
      return { format: 'xlsx', ...(await list.finish()) };
    }
    case 'xls':
      throw new AttendeeFileError(fileProblems.legacyExcel());
    case 'text':
      return { format: 'csv', ...(await parseAttendeeFile(bytes, batches)) };
  }
}
