import { parse } from 'csv-parse/sync';
import { CsvWriter, UTF8_BOM } from './csv-writer';

describe('CsvWriter', () => {
  const csv = new CsvWriter();

  it('starts with the byte order mark and ends every row with CRLF', () => {
    const text = csv.start(['a', 'b']) + csv.row(['1', '2']);
    expect(text).toBe(`${UTF8_BOM}a,b\r\n1,2\r\n`);
  });

  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+49 361 123', "'+49 361 123"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
  ])('neutralises %j so that Excel does not evaluate it', (value, written) => {
    expect(csv.cell(value)).toBe(written);
  });

  it.each(['＝1+1', '＋1', '－1', '＠SUM(A1)'])(
    'neutralises %j, which Apple Numbers reads as a formula too',
    (value) => {
      expect(csv.cell(value)).toBe(`'${value}`);
    },
  );

  it('writes several rows in one go as row by row', () => {
    const rows = [
      ['a', 1, null],
      ['=b', -2, true],
    ];
    expect(csv.rows(rows)).toBe(rows.map((cells) => csv.row(cells)).join(''));
  });

  it('leaves ordinary text, formula characters inside a cell, and numbers alone', () => {
    expect(csv.cell('Müller-Lüdenscheidt')).toBe('Müller-Lüdenscheidt');
    expect(csv.cell('a=b')).toBe('a=b');
    expect(csv.cell(-3)).toBe('-3');
    expect(csv.cell("O'Sullivan")).toBe("O'Sullivan");
  });

  it('quotes cells with the delimiter, quotes or line breaks (RFC 4180)', () => {
    expect(csv.cell('Stadt Jena, Amt 3')).toBe('"Stadt Jena, Amt 3"');
    expect(csv.cell('Der "Chef"')).toBe('"Der ""Chef"""');
    expect(csv.cell('zwei\nZeilen')).toBe('"zwei\nZeilen"');
    expect(csv.cell('a;b')).toBe('a;b');
  });

  it('writes empty cells for null and undefined, yes/no for booleans, dates in UTC', () => {
    expect(csv.row([null, undefined, true, false, new Date('2023-10-24T09:15:00+02:00')])).toBe(
      ',,yes,no,2023-10-24T07:15:00.000Z\r\n',
    );
  });

  it('separates with semicolons for German Excel, quoting cells that hold one', () => {
    const german = new CsvWriter('semicolon');
    expect(german.row(['a;b', 'c,d', '=1'])).toBe(`"a;b";c,d;'=1\r\n`);
  });

  it('writes what a CSV reader reads back cell for cell (apostrophe aside)', () => {
    const cells = ['Ünal, "Dr."', 'Łódź\r\nPolska', '=cmd|calc', 'plain', ''];
    for (const delimiter of ['comma', 'semicolon'] as const) {
      const writer = new CsvWriter(delimiter);
      const text = writer.start(['h1', 'h2', 'h3', 'h4', 'h5']) + writer.row(cells);
      const records: string[][] = parse(text, {
        bom: true,
        delimiter: delimiter === 'comma' ? ',' : ';',
        relax_column_count: false,
      });
      expect(records).toEqual([
        ['h1', 'h2', 'h3', 'h4', 'h5'],
        ['Ünal, "Dr."', 'Łódź\r\nPolska', "'=cmd|calc", 'plain', ''],
      ]);
    }
  });
});
