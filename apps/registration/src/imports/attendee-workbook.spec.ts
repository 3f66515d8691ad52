import { zipSync } from 'fflate';
import { sampleFile, sampleRows, workbookFromXml, workbookOf } from '@einlass/testing';
import { parseAttendeeFile } from './attendee-file';
import { AttendeeFileError } from './attendee-file-error';
import { readAttendeeUpload } from './attendee-upload';
import { cellText, MAX_UNPACKED_WORKBOOK } from './attendee-workbook';
import { columnOf, excelDate, isDateFormat } from './workbook-cells';

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

  it('reads a workbook as Excel writes it: shared and inline strings, rich text, numbers, dates, booleans', async () => {
    const shared = (i: number) => `t="s"><v>${i}</v>`;
    const inline = (text: string) => `t="inlineStr"><is><t>${text}</t></is>`;
    const file = await readAttendeeUpload(
      workbookFromXml({
        sharedStrings:
          '<si><t>Buchungsnummer</t></si><si><t>Vorname</t></si><si><t>Nachname</t></si>' +
          '<si><t>Kategorie</t></si>' +
          // rich text in runs, with a phonetic reading that is not part of the text
          '<si><r><t>Zo</t></r><r><rPr><b/></rPr><t>ë</t></r><rPh sb="0" eb="1"><t>ゾエ</t></rPh></si>' +
          '<si><t>Referent</t></si><si><t xml:space="preserve">  Beispiel </t></si><si><t>Teilnehmer</t></si>',
        styles:
          '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ hh:mm;@"/></numFmts>' +
          '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs>',
        sheetData:
          `<row r="1"><c r="A1" ${shared(0)}</c><c r="B1" ${shared(1)}</c><c r="C1" ${shared(2)}</c>` +
          `<c r="D1" ${shared(3)}</c><c r="E1" ${inline('Organisation')}</c><c r="F1" ${inline('E-Mail')}</c></row>` +
          `<row r="2"><c r="A2"><v>1001</v></c><c r="B2" ${shared(4)}</c><c r="C2" ${inline('Ång&amp;ström')}</c>` +
          `<c r="D2" ${shared(5)}</c><c r="E2" s="1"><v>46319</v></c><c r="F2" ${inline('zoe@example.org')}</c></row>` +
          // row 3 is not in the file (blank in Excel); cells may skip columns
          `<row r="4"><c r="A4" ${inline('A-2')}</c><c r="B4" t="str"><f>UPPER("bernd")</f><v>BERND</v></c>` +
          `<c r="C4" ${shared(6)}</c><c r="D4" ${shared(7)}</c><c r="E4" t="b"><v>1</v></c></row>` +
          `<row r="5"><c r="A5" ${inline('A-3')}</c><c r="B5" ${inline('Carla')}</c><c r="C5" ${inline('Amt_x000D_Nord')}</c>` +
          `<c r="D5" ${shared(7)}</c><c r="E5" s="2"><v>46319.5</v></c></row>` +
          `<row r="6"><c r="A6" ${inline('A-4')}</c><c r="B6" ${inline('Dora')}</c><c r="C6" ${inline('Zahl')}</c>` +
          `<c r="D6" ${shared(7)}</c><c r="E6"><v>0.30000000000000004</v></c><c r="F6" t="e"><v>#N/A</v></c></row>`,
      }),
    );
    expect(file.format).toBe('xlsx');
    expect(
      file.rows.map((r) => [
        r.line,
        r.externalId,
        r.firstName,
        r.lastName,
        r.category,
        r.organisation,
      ]),
    ).toEqual([
      [2, '1001', 'Zoë', 'Ång&ström', 'speaker', '2026-10-24'],
      [4, 'A-2', 'BERND', 'Beispiel', 'attendee', 'TRUE'],
      [5, 'A-3', 'Carla', 'Amt\rNord', 'attendee', '2026-10-24T12:00:00.000Z'],
    ]);
    expect(file.rows[0].email).toBe('zoe@example.org');
    // an error value a formula left in a cell is read as Excel shows it, here a bad email
    expect(file.rejected).toMatchObject([
      { line: 6, problems: [{ code: 'invalid_email', value: '#N/A' }] },
    ]);
  });

  it('tells date formats from number formats, and reads serials in both date systems', () => {
    expect(isDateFormat(14, undefined)).toBe(true);
    expect(isDateFormat(0, undefined)).toBe(false);
    expect(isDateFormat(164, 'dd.mm.yyyy')).toBe(true);
    expect(isDateFormat(165, '[$-407]d. mmmm yyyy;@')).toBe(true);
    expect(isDateFormat(166, '#,##0.00 "Tage"')).toBe(false);
    expect(isDateFormat(167, '0.00%')).toBe(false);
    expect(excelDate(46319, false).toISOString()).toBe('2026-10-24T00:00:00.000Z');
    expect(excelDate(46319 - 1462, true).toISOString()).toBe('2026-10-24T00:00:00.000Z');
    expect([columnOf('A1'), columnOf('Z9'), columnOf('AB12'), columnOf(undefined)]).toEqual([
      0,
      25,
      27,
      undefined,
    ]);
  });

  it('refuses a workbook without a worksheet, or whose sheet is no XML, as unreadable', async () => {
    const noSheet = Buffer.from(
      zipSync({
        'xl/workbook.xml': Buffer.from('<workbook><sheets/></workbook>'),
        'xl/_rels/workbook.xml.rels': Buffer.from('<Relationships/>'),
      }),
    );
    const refused = await refusal(noSheet);
    expect(refused.problem).toEqual({
      code: 'unreadable_workbook',
      detail: 'the workbook has no worksheet',
    });

    const broken = workbookFromXml({ sheetData: '<row r="1"><c r="A1"><v>1</v></row>' });
    expect((await refusal(broken)).problem).toMatchObject({ code: 'unreadable_workbook' });
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
