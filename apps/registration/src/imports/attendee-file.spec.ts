import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleDataDir } from '../sample/sample-congress';
import { generatedAttendeeFile, sampleFile } from '@einlass/testing';
import { parseAttendeeFile } from './attendee-file';
import { AttendeeFileError } from './attendee-file-error';

const HEADER = 'external_id,title,first_name,last_name,email,organisation,category,sessions';

/** A CSV upload from lines, joined with `eol` and ending with one. */
const csv = (lines: string[], eol = '\n') => Buffer.from(lines.join(eol) + eol, 'utf8');

/** The same text as Excel on a German Windows machine saves it. */
const windows1252 = (text: string) => Buffer.from(text, 'latin1');

const sample = (name: string) => readFileSync(join(sampleDataDir(), name));

/** The AttendeeFileError that parsing `bytes` throws. */
const thrown = async (bytes: Buffer): Promise<AttendeeFileError> => {
  try {
    await parseAttendeeFile(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(AttendeeFileError);
    return error as AttendeeFileError;
  }
  throw new Error('expected an AttendeeFileError');
};
/** The message of the AttendeeFileError that parsing `bytes` throws. */
const fileError = async (bytes: Buffer): Promise<string> => (await thrown(bytes)).message;

describe('parseAttendeeFile', () => {
  describe('the sample congress', () => {
    it('imports all 500 rows of the UTF-8 list', async () => {
      const file = await parseAttendeeFile(sample('attendees.csv'));

      expect(file).toMatchObject({ encoding: 'utf-8', delimiter: ',', rejected: [] });
      expect(file.rows).toHaveLength(500);
      expect(file.rows[0]).toEqual({
        line: 2,
        externalId: 'TEGK23-00001',
        title: null,
        firstName: 'Björn',
        lastName: 'Sauer',
        email: 'bjorn.sauer@nordhausen.example',
        organisation: 'Stadtverwaltung Nordhausen',
        category: 'speaker',
        sessions: [],
      });
      expect(file.rows[499]).toMatchObject({ line: 501, externalId: 'TEGK23-00500' });
      expect(file.rows.find((r) => r.externalId === 'TEGK23-00039')).toMatchObject({
        lastName: 'Weiß',
        sessions: ['W03'],
      });
      expect(file.rows.find((r) => r.externalId === 'TEGK23-00056')?.title).toBe('Prof. Dr.');
      expect(file.rows.filter((r) => r.category === 'speaker')).toHaveLength(30);
    });

    it('imports the Excel list: Windows-1252, semicolons, German headers and categories', async () => {
      const excel = await parseAttendeeFile(sample('attendees-excel.csv'));
      const utf8 = await parseAttendeeFile(sample('attendees.csv'));

      expect(excel).toMatchObject({ encoding: 'windows-1252', delimiter: ';', rejected: [] });
      // The generator leaves out the rows whose names Windows-1252 cannot hold (Łukasz, Ольга…).
      expect(excel.rows.length).toBeGreaterThan(450);
      expect(excel.rows.length).toBeLessThan(500);
      // Every row that is there reads exactly as in the UTF-8 list: umlauts, ß, categories.
      const byId = new Map(utf8.rows.map((r) => [r.externalId, r]));
      for (const row of excel.rows) {
        expect({ ...row, line: 0 }).toEqual({ ...byId.get(row.externalId), line: 0 });
      }
      const names = excel.rows.map((r) => `${r.firstName} ${r.lastName}`);
      expect(names).toEqual(expect.arrayContaining(['Maria Weiß', "Siobhán O'Sullivan"]));
      expect(names.some((n) => n.endsWith(' Müller'))).toBe(true);
      expect(new Set(excel.rows.map((r) => r.category))).toEqual(
        new Set(['attendee', 'speaker', 'press', 'staff', 'exhibitor']),
      );
      // "Organisation" in the Kategorie column is staff, not the organisation column.
      expect(excel.rows.find((r) => r.externalId === 'TEGK23-00034')).toMatchObject({
        line: 33,
        category: 'staff',
        organisation: 'Stadtverwaltung Gotha',
      });
    });
  });

  describe('encoding', () => {
    const rows = ['A1,,Jörg,Weiß,,Café „Ost“ GmbH,attendee,'];

    it('strips a UTF-8 byte order mark', async () => {
      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv([HEADER, ...rows])]);
      const file = await parseAttendeeFile(bom);

      expect(file.encoding).toBe('utf-8');
      expect(file.rows[0]).toMatchObject({ externalId: 'A1', lastName: 'Weiß' });
    });

    it('reads UTF-8 without a byte order mark', async () => {
      const file = await parseAttendeeFile(csv([HEADER, ...rows]));

      expect(file.encoding).toBe('utf-8');
      expect(file.rows[0]).toMatchObject({ firstName: 'Jörg', organisation: 'Café „Ost“ GmbH' });
    });

    it('reads Windows-1252, including the bytes 0x80–0x9F that Latin-1 lacks', async () => {
      const text = `${HEADER}\nA1,,Jörg,Weiß,,Caf\u00e9 ,attendee,\n`;
      const bytes = Buffer.concat([
        windows1252(text.slice(0, text.indexOf('Caf') + 5)),
        Buffer.from([0x84, 0x4f, 0x73, 0x74, 0x93, 0x20, 0x80]), // „Ost“ €
        windows1252(text.slice(text.indexOf('Caf') + 5)),
      ]);
      const file = await parseAttendeeFile(bytes);

      expect(file.encoding).toBe('windows-1252');
      expect(file.rows[0]).toMatchObject({
        firstName: 'Jörg',
        lastName: 'Weiß',
        organisation: 'Café „Ost“ €',
      });
    });

    it('refuses a file with a UTF-8 byte order mark that is not UTF-8', async () => {
      const bytes = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        windows1252(`${HEADER}\nA1,,Jörg,X,,,attendee,\n`),
      ]);

      expect(await fileError(bytes)).toMatch(/not valid UTF-8/);
      expect((await thrown(bytes)).problem).toEqual({ code: 'invalid_utf8' });
    });
  });

  describe('layout', () => {
    it('reads CRLF and LF alike', async () => {
      const lines = [HEADER, 'A1,,Anna,Muster,,,attendee,W01', 'A2,,Bernd,Beispiel,,,speaker,'];

      const lf = await parseAttendeeFile(csv(lines, '\n'));
      const crlf = await parseAttendeeFile(csv(lines, '\r\n'));

      expect(crlf.rows).toEqual(lf.rows);
      expect(crlf.rows.map((r) => [r.line, r.lastName])).toEqual([
        [2, 'Muster'],
        [3, 'Beispiel'],
      ]);
    });

    it.each([
      [',', 'comma'],
      [';', 'semicolon'],
      ['\t', 'tab'],
    ])('detects %j (%s) as the delimiter', async (delimiter) => {
      const lines = [
        ['Buchungsnummer', 'Vorname', 'Nachname', 'Kategorie', 'Organisation'],
        ['A1', 'Anna', 'Muster', 'Teilnehmerin', 'Stadt Jena, Dezernat 2; Amt für IT'],
      ].map((cells) => cells.map((c) => (c.includes(delimiter) ? `"${c}"` : c)).join(delimiter));
      const file = await parseAttendeeFile(csv(lines));

      expect(file.delimiter).toBe(delimiter);
      expect(file.rows[0]).toMatchObject({
        externalId: 'A1',
        category: 'attendee',
        organisation: 'Stadt Jena, Dezernat 2; Amt für IT',
      });
    });

    it('numbers rows by the physical line they start on, across quoted line breaks', async () => {
      const lines = [
        'external_id,first_name,last_name,category,organisation',
        'A1,Anna,Muster,attendee,"Amt für',
        'Digitales, Referat 3"',
        'A2,Bernd,"Bei""spiel",speaker,"eins',
        '',
        'drei"',
        '',
        'A3,,Ohne,attendee,',
        'A4,Carla,"Mehr',
        'zeilig",press,',
      ];
      for (const eol of ['\n', '\r\n']) {
        const file = await parseAttendeeFile(csv(lines, eol));

        expect(file.rows.map((r) => [r.line, r.externalId])).toEqual([
          [2, 'A1'],
          [4, 'A2'],
          [9, 'A4'],
        ]);
        expect(file.rejected).toEqual([
          {
            line: 8,
            reason: 'first name is empty',
            problems: [{ code: 'empty', field: 'firstName' }],
          },
        ]);
        expect(file.rows[0].organisation).toBe(`Amt für${eol}Digitales, Referat 3`);
        expect(file.rows[1].lastName).toBe('Bei"spiel');
      }
    });

    it('skips blank lines and rows of nothing but delimiters, keeping the line numbers', async () => {
      const file = await parseAttendeeFile(
        csv([
          'Buchungsnummer;Vorname;Nachname;Kategorie',
          '',
          'A1;Anna;Muster;Referent',
          ';;;',
          'A2;B;C;Presse',
          '',
        ]),
      );

      expect(file.rows.map((r) => r.line)).toEqual([3, 5]);
    });

    it.each([
      ['externalId', 'Booking number'],
      ['externalId', 'Teilnehmer-Nr.'],
      ['firstName', 'First Name'],
      ['firstName', 'GIVEN-NAME'],
      ['lastName', 'Surname'],
      ['lastName', 'family_name'],
      ['email', 'E-Mail-Adresse'],
      ['email', 'Mail'],
      ['organisation', 'Company'],
      ['organisation', 'Behörde'],
      ['organisation', 'Organization'],
      ['category', 'Teilnehmerart'],
      ['category', 'Type'],
      ['sessions', 'Workshops'],
      ['title', 'Titel'],
    ])('reads the %s from a column named %j', async (field, name) => {
      const columns: Record<string, string> = {
        externalId: 'external_id',
        firstName: 'first_name',
        lastName: 'last_name',
        category: 'category',
      };
      const values: Record<string, string> = {
        externalId: 'A1',
        firstName: 'Anna',
        lastName: 'Muster',
        category: 'attendee',
        email: 'a@b.example',
        organisation: 'Amt',
        sessions: 'W01',
        title: 'Dr.',
      };
      columns[field] = name;
      const keys = Object.keys(columns);
      const file = await parseAttendeeFile(
        csv([keys.map((k) => columns[k]).join(','), keys.map((k) => values[k]).join(',')]),
      );

      expect(file.rejected).toEqual([]);
      expect(file.rows[0]).toMatchObject({
        [field]: field === 'sessions' ? ['W01'] : values[field],
      });
    });

    it('finds the header below a title and a date, as spreadsheets are often laid out', async () => {
      const file = await parseAttendeeFile(
        csv([
          'Teilnehmerliste, Kongress 2026',
          'Stand: 20.10.2026;;;',
          '',
          'Buchungsnummer;Vorname;Nachname;Kategorie',
          'A1;Anna;Muster;Teilnehmer',
        ]),
      );
      expect(file.rejected).toEqual([]);
      expect(file.rows.map((row) => [row.line, row.externalId, row.lastName])).toEqual([
        [5, 'A1', 'Muster'],
      ]);
    });

    it('ignores columns it does not know', async () => {
      const file = await parseAttendeeFile(
        csv([
          'Anrede,external_id,first_name,last_name,Notiz,category',
          'Frau,A1,Anna,Muster,VIP,staff',
        ]),
      );

      expect(file.rows[0]).toEqual({
        line: 2,
        externalId: 'A1',
        title: null,
        firstName: 'Anna',
        lastName: 'Muster',
        email: null,
        organisation: null,
        category: 'staff',
        sessions: [],
      });
    });
  });

  describe('values', () => {
    const one = (row: string) => parseAttendeeFile(csv([HEADER, row]));

    it('trims cells, stores empty optional cells as null, lower-cases emails', async () => {
      const file = await one('  A1 ,  , " Anna ",Muster , Anna.Muster@Example.ORG ,  ,attendee,');

      expect(file.rows[0]).toMatchObject({
        externalId: 'A1',
        title: null,
        firstName: 'Anna',
        lastName: 'Muster',
        email: 'anna.muster@example.org',
        organisation: null,
        sessions: [],
      });
    });

    it('splits sessions on spaces, commas and semicolons, upper-cased and without repeats', async () => {
      const file = await one('A1,,Anna,Muster,,,attendee,"w01 W02,w03;W01 ;  w02"');

      expect(file.rows[0].sessions).toEqual(['W01', 'W02', 'W03']);
    });

    it.each([
      ['attendee', 'attendee'],
      ['Teilnehmer', 'attendee'],
      ['Teilnehmerin', 'attendee'],
      ['Teilnehmer*innen', 'attendee'],
      ['Speaker', 'speaker'],
      ['REFERENT', 'speaker'],
      ['Referentin', 'speaker'],
      ['Presse', 'press'],
      ['press', 'press'],
      ['Staff', 'staff'],
      ['Organisation', 'staff'],
      ['Aussteller', 'exhibitor'],
      ['Ausstellerin', 'exhibitor'],
      ['exhibitor', 'exhibitor'],
    ])('maps the category %j to %s', async (value, category) => {
      expect((await one(`A1,,Anna,Muster,,,${value},`)).rows[0].category).toBe(category);
    });

    it('stores cells that spreadsheets would run as formulas verbatim', async () => {
      const file = await one(
        '@A1,-,"=HYPERLINK(""https://evil.example"";""klick"")",+49 Muster,,=1+2,speaker,',
      );

      expect(file.rows[0]).toMatchObject({
        externalId: '@A1',
        title: '-',
        firstName: '=HYPERLINK("https://evil.example";"klick")',
        lastName: '+49 Muster',
        organisation: '=1+2',
      });
    });
  });

  describe('rejected rows', () => {
    const rejected = async (...rows: string[]) =>
      (await parseAttendeeFile(csv([HEADER, ...rows]))).rejected;

    it.each([
      ['A1,,,Muster,,,attendee,', 'first name is empty', { code: 'empty', field: 'firstName' }],
      ['A1,,Anna,,,,attendee,', 'last name is empty', { code: 'empty', field: 'lastName' }],
      [',,Anna,Muster,,,attendee,', 'external id is empty', { code: 'empty', field: 'externalId' }],
      [
        'A1,,Anna,Muster,Anna@,,attendee,',
        'email "anna@" is not a valid email address',
        // the value as written; the English text names it as checked, in lower case
        { code: 'invalid_email', field: 'email', value: 'Anna@' },
      ],
      [
        'A1,,Anna,Muster,anna muster@x.example,,attendee,',
        'email "anna muster@x.example" is not a valid email address',
        { code: 'invalid_email', field: 'email', value: 'anna muster@x.example' },
      ],
      ['A1,,Anna,Muster,,,,', 'category is empty', { code: 'empty', field: 'category' }],
      [
        'A 1,,Anna,Muster,,,attendee,',
        'external id "A 1" contains spaces or a colon',
        { code: 'invalid_external_id', field: 'externalId', value: 'A 1' },
      ],
      [
        `${'A'.repeat(65)},,Anna,Muster,,,attendee,`,
        'external id is longer than 64 characters (65)',
        { code: 'too_long', field: 'externalId', max: 64, length: 65 },
      ],
      [
        `A1,${'D'.repeat(51)},Anna,Muster,,,attendee,`,
        'title is longer than 50 characters (51)',
        { code: 'too_long', field: 'title', max: 50, length: 51 },
      ],
      [
        `A1,,${'a'.repeat(101)},Muster,,,attendee,`,
        'first name is longer than 100 characters (101)',
        { code: 'too_long', field: 'firstName', max: 100, length: 101 },
      ],
      [
        `A1,,Anna,${'m'.repeat(101)},,,attendee,`,
        'last name is longer than 100 characters (101)',
        { code: 'too_long', field: 'lastName', max: 100, length: 101 },
      ],
      [
        `A1,,Anna,Muster,,${'o'.repeat(301)},attendee,`,
        'organisation is longer than 300 characters (301)',
        { code: 'too_long', field: 'organisation', max: 300, length: 301 },
      ],
      [
        'A1,,Anna,Muster,,,attendee,,surplus',
        'the row has more values than the header has columns (8); a value containing the delimiter needs quotes',
        { code: 'too_many_values', columns: 8 },
      ],
      [
        `A1,,Anna,Muster,,,attendee,"${Array.from({ length: 101 }, (_, i) => `W${i}`).join(' ')}"`,
        'more than 100 sessions (101)',
        { code: 'too_many_sessions', field: 'sessions', max: 100, count: 101 },
      ],
    ])('rejects %j: %s', async (row, reason, problem) => {
      expect(await rejected(row)).toEqual([{ line: 2, reason, problems: [problem] }]);
    });

    it('names an unknown category and the ones allowed', async () => {
      const [{ reason, problems }] = await rejected('A1,,Anna,Muster,,,VIP,');
      expect(problems).toEqual([
        {
          code: 'unknown_category',
          field: 'category',
          value: 'VIP',
          allowed: ['attendee', 'speaker', 'press', 'staff', 'exhibitor'],
        },
      ]);

      expect(reason).toBe(
        'category "VIP" is not one of attendee, speaker, press, staff, exhibitor ' +
          '(in German: Teilnehmer, Referent, Presse, Organisation, Aussteller)',
      );
    });

    it('names every problem of a row, in the text and as problems in the same order', async () => {
      const [row] = await rejected('A1,,,Muster,nope,,VIP,');
      expect(row.problems.map((p) => p.code)).toEqual([
        'empty',
        'invalid_email',
        'unknown_category',
      ]);
      expect(row.reason).toBe(
        'first name is empty; email "nope" is not a valid email address; category "VIP" is not one of ' +
          'attendee, speaker, press, staff, exhibitor (in German: Teilnehmer, Referent, Presse, Organisation, Aussteller)',
      );
    });

    it('imports the first of an external id given twice and rejects every later one', async () => {
      const file = await parseAttendeeFile(
        csv([
          HEADER,
          'A1,,Anna,Muster,,,attendee,',
          'A2,,Bernd,Beispiel,,,attendee,',
          'A1,,Anna,Doppelt,,,attendee,',
          'A1,,Anna,Dreifach,,,attendee,',
        ]),
      );

      expect(file.rows.map((r) => [r.line, r.lastName])).toEqual([
        [2, 'Muster'],
        [3, 'Beispiel'],
      ]);
      const duplicate = {
        reason: 'external id "A1" already appears on line 2',
        problems: [
          { code: 'duplicate_external_id', field: 'externalId', value: 'A1', firstLine: 2 },
        ],
      };
      expect(file.rejected).toEqual([
        { line: 4, ...duplicate },
        { line: 5, ...duplicate },
      ]);
    });

    it('imports every other row', async () => {
      const file = await parseAttendeeFile(
        csv([
          HEADER,
          'A1,,Anna,Muster,,,attendee,',
          'A2,,,Leer,,,attendee,',
          'A3,,Carla,Drei,,,press,',
        ]),
      );

      expect(file.rows.map((r) => r.externalId)).toEqual(['A1', 'A3']);
      expect(file.rejected.map((r) => r.line)).toEqual([3]);
    });
  });

  describe('files it refuses', () => {
    it.each([
      ['no bytes at all', Buffer.alloc(0), /^The file is empty\.$/, { code: 'empty_file' }],
      [
        'only whitespace',
        Buffer.from(' \r\n\t\n  \n'),
        /^The file is empty\.$/,
        { code: 'empty_file' },
      ],
      [
        'only a byte order mark',
        Buffer.from([0xef, 0xbb, 0xbf]),
        /^The file is empty\.$/,
        { code: 'empty_file' },
      ],
      ['a header and no rows', csv([HEADER]), /only a header line/, { code: 'header_only' }],
      [
        'a header and blank lines',
        csv([HEADER, '', ',,,,,,,', '']),
        /only a header line/,
        { code: 'header_only' },
      ],
      [
        'NUL bytes',
        Buffer.from('PK\u0003\u0004\u0000\u0000binary'),
        /not a CSV text file.*NUL/,
        { code: 'not_text' },
      ],
      [
        'control characters',
        Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x01 + (i % 8) : 0x41))),
        /not a CSV text file: 67 of its 200 bytes are control characters/,
        { code: 'not_text', controlCharacters: 67, bytes: 200 },
      ],
      [
        'an unclosed quote',
        csv([
          HEADER,
          'A1,,Anna,Muster,,,attendee,',
          'A2,,"Bernd,Beispiel,,,attendee,',
          'A3,,C,D,,,press,',
        ]),
        /^The file is not readable as CSV from line 3 on: a quote opened there is never closed\.$/,
        { code: 'unclosed_quote', line: 3 },
      ],
      [
        'text after a closing quote',
        csv([HEADER, 'A1,,Anna,Muster,,,attendee,', 'A2,,Bernd,"Beispiel" jun.,,,attendee,']),
        /^The file is not readable as CSV from line 3 on: Invalid Closing Quote: found non trimable byte after quote\.$/,
        {
          code: 'unreadable_csv',
          line: 3,
          detail: 'Invalid Closing Quote: found non trimable byte after quote',
        },
      ],
    ])('refuses %s', async (_, bytes, message, problem) => {
      const error = await thrown(bytes);
      expect(error.message).toMatch(message);
      expect(error.problem).toEqual(problem);
    });

    it('names the columns it lacks, and those it found', async () => {
      const error = await thrown(csv(['Vorname;Name;E-Mail;Firma', 'Anna;Muster;a@b.example;Amt']));
      expect(error.message).toBe(
        'The file lacks the columns: external id (e.g. external_id or Buchungsnummer), ' +
          'last name (e.g. last_name or Nachname), category (e.g. category or Kategorie). ' +
          'Found: Vorname, Name, E-Mail, Firma',
      );
      expect(error.problem).toEqual({
        code: 'missing_columns',
        fields: ['externalId', 'lastName', 'category'],
        found: ['Vorname', 'Name', 'E-Mail', 'Firma'],
      });
    });

    it('refuses two columns that mean the same', async () => {
      const error = await thrown(
        csv(['external_id,first_name,last_name,category,E-Mail,Mail', 'A1,A,B,staff,,']),
      );
      expect(error.message).toBe(
        'The columns "E-Mail" and "Mail" both hold the email; keep one of them.',
      );
      expect(error.problem).toEqual({
        code: 'duplicate_column',
        field: 'email',
        columns: ['E-Mail', 'Mail'],
      });
    });
  });

  describe('50,000 attendees', () => {
    it('reads the generated UTF-8 list', async () => {
      const file = await parseAttendeeFile(generatedAttendeeFile('--count', '50000'));

      expect(file.rows).toHaveLength(50000);
      expect(file.rejected).toEqual([]);
      expect(file.rows[49999]).toMatchObject({ line: 50001, externalId: 'TEGK23-50000' });
    });

    it('reads the list of the replay benchmark (seed 12) whole, every session code one of the sample programme', async () => {
      const file = await parseAttendeeFile(
        generatedAttendeeFile('--count', '50000', '--seed', '12'),
      );
      expect(file.rows).toHaveLength(50000);
      expect(file.rejectedCount).toBe(0);
      expect(new Set(file.rows.map((row) => row.externalId)).size).toBe(50000);
      // a third of the rows name a workshop: imported into an event without the programme, each
      // would be rejected as an unknown session (50,000 - 15,317 = the 34,683 once reported)
      const programme = new Set(
        sampleFile('sessions.csv')
          .toString('utf8')
          .split('\n')
          .slice(1)
          .map((line) => line.split(',')[0]),
      );
      const withSessions = file.rows.filter((row) => row.sessions.length > 0);
      expect(withSessions).toHaveLength(15_317);
      expect(withSessions.every((row) => row.sessions.every((code) => programme.has(code)))).toBe(
        true,
      );
    });

    it('reads the generated Excel list', async () => {
      const file = await parseAttendeeFile(generatedAttendeeFile('--count', '50000', '--excel'));

      expect(file).toMatchObject({ encoding: 'windows-1252', delimiter: ';', rejected: [] });
      expect(file.rows.length).toBeGreaterThan(45000);
    });
  });
});
