import { zipSync } from 'fflate';
import { sampleFile, sampleRows, workbookOf } from '@einlass/testing';
import { AttendeeFileError, parseAttendeeFile } from './attendee-file';
import { readAttendeeUpload } from './attendee-upload';
import { cellText, MAX_UNPACKED_WORKBOOK } from './attendee-workbook';

const HEADER = [
  'Buchungsnummer',
  'Titel',
  'Vorname',
  'Nachname',
  'E-Mail',
  'Organisation',
  'Kategorie',
];

/** The problem an upload is refused with. */
async function refusal(bytes: Buffer): Promise<AttendeeFileError> {
  const error: unknown = await readAttendeeUpload(bytes).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AttendeeFileError);
  return error as AttendeeFileError;
}

/** A ZIP whose directory claims its one entry unpacks to `size` bytes. */
function zipClaiming(size: number): Buffer {
  const zip = Buffer.from(zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(10) }));
  // the uncompressed size in the local header (offset 22) and in the central directory (24)
  zip.writeUInt32LE(size, 22);
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(size, central + 24);
  return zip;
}

describe('reading an attendee list from an Excel workbook', () => {
  it('reads the sample congress saved as .xlsx exactly as its CSV', async () => {
    const fromCsv = await parseAttendeeFile(sampleFile('attendees.csv'));
    const fromWorkbook = await readAttendeeUpload(await workbookOf(sampleRows('attendees.csv')));

    expect(fromWorkbook.format).toBe('xlsx');
    const withoutLines = (rows: { line: number }[]) => rows.map(({ line: _, ...row }) => row);
    expect(withoutLines(fromWorkbook.rows)).toEqual(withoutLines(fromCsv.rows));
    expect(fromWorkbook.rows.length).toBeGreaterThan(400);
    expect(fromWorkbook.rejected).toEqual(fromCsv.rejected);
  });

  it('reads the German export with its German headers and categories', async () => {
    const rows = sampleRows('attendees.csv');
    const german = await workbookOf([
      HEADER,
      ...rows
        .slice(1, 4)
        .map(([id, title, first, last, email, organisation]) => [
          id,
          title,
          first,
          last,
          email,
          organisation,
          'Referent',
        ]),
    ]);
    const file = await readAttendeeUpload(german);
    expect(file.rows.map((row) => [row.externalId, row.firstName, row.category])).toEqual(
      rows.slice(1, 4).map(([id, , first]) => [id, first, 'speaker']),
    );
  });

  it('names rejected rows by the row number Excel shows, blank rows counted', async () => {
    const file = await readAttendeeUpload(
      await workbookOf([
        [],
        ['Teilnehmerliste Kongress 2026'],
        [],
        HEADER,
        ['A-1', null, 'Anna', 'Muster', 'anna@example.org', 'Amt', 'Teilnehmer'],
        [],
        ['A-2', null, 'Bernd', 'Beispiel', 'kein-mail', 'Amt', 'Teilnehmer'],
        ['A-3', null, null, 'Ohne', null, null, 'Gast'],
      ]),
    );
    // the title line above the header is not the header: the columns are found in row 4
    expect(file.rows.map((row) => [row.line, row.externalId])).toEqual([[5, 'A-1']]);
    expect(file.rejected.map((row) => [row.line, row.problems.map((p) => p.code)])).toEqual([
      [7, ['invalid_email']],
      [8, ['empty', 'unknown_category']],
    ]);
  });

  it('reads cells as Excel shows them: numbers, dates and formula-looking text', async () => {
    const file = await readAttendeeUpload(
      await workbookOf([
        HEADER,
        [1001, 'Dr.', 'Zoë', 'Ångström', null, '=HYPERLINK("http://evil")', 'Presse'],
        [1002, null, '+49 30 1234', 'Łódź', null, 0.1 + 0.2, 'Aussteller'],
      ]),
    );
    expect(file.rejected).toEqual([]);
    expect(file.rows).toMatchObject([
      {
        externalId: '1001',
        title: 'Dr.',
        lastName: 'Ångström',
        organisation: '=HYPERLINK("http://evil")',
        category: 'press',
      },
      { externalId: '1002', firstName: '+49 30 1234', organisation: '0.3', category: 'exhibitor' },
    ]);
    expect(cellText(new Date('2026-10-24T00:00:00Z'))).toBe('2026-10-24');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(null)).toBe('');
  });

  it('refuses a workbook without attendees like an empty CSV', async () => {
    expect((await refusal(await workbookOf([HEADER]))).problem).toEqual({ code: 'header_only' });
    expect((await refusal(await workbookOf([[], []]))).problem).toEqual({ code: 'empty_file' });
    expect(
      (
        await refusal(
          await workbookOf([
            ['Name', 'Telefon'],
            ['Anna', '123'],
          ]),
        )
      ).problem,
    ).toMatchObject({ code: 'missing_columns' });
  });

  it('refuses a ZIP that is no workbook, and a damaged workbook, with a clear word', async () => {
    const notAWorkbook = Buffer.from(zipSync({ 'notes.txt': Buffer.from('hello') }));
    const refused = await refusal(notAWorkbook);
    expect(refused.problem).toMatchObject({ code: 'unreadable_workbook' });
    expect(refused.message).toMatch(
      /not an Excel workbook \(\.xlsx\).*Save the list as \.xlsx or as CSV/,
    );

    const workbook = await workbookOf([
      HEADER,
      ['A-1', null, 'Anna', 'Muster', null, null, 'Gast'],
    ]);
    const damaged = workbook.subarray(0, Math.floor(workbook.length / 2));
    expect((await refusal(damaged)).problem).toMatchObject({ code: 'unreadable_workbook' });
  });

  it('refuses an Excel 97–2003 file (.xls), naming what to save it as', async () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const refused = await refusal(xls);
    expect(refused.problem).toEqual({ code: 'legacy_excel' });
    expect(refused.message).toMatch(/\.xls.*"Excel Workbook \(\.xlsx\)" or as CSV/);
  });

  it('refuses a workbook that would unpack to more than it could be (a ZIP bomb) unopened', async () => {
    const refused = await refusal(zipClaiming(MAX_UNPACKED_WORKBOOK + 1));
    expect(refused.problem).toEqual({
      code: 'workbook_too_large',
      bytes: MAX_UNPACKED_WORKBOOK + 1,
      max: MAX_UNPACKED_WORKBOOK,
    });
  });
});
