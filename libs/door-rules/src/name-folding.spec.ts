import { Client } from 'pg';
import { TEST_DATABASE_URL } from '@einlass/testing';
import { foldName, foldNameSql } from './name-folding';

/** Names as they appear in the sample congress and at European events, with what a steward types. */
const NAMES: [string, string][] = [
  ['François Łódź Nuñez', 'francois lodz nunez'],
  ['Çelik Ñandú', 'celik nandu'],
  ['Čapek Ćosić', 'capek cosic'],
  ['Šimková Žižek', 'simkova zizek'],
  ['Søren Bjørn', 'soren bjorn'],
  ['Ærø Æsir', 'aero aesir'],
  ['Straße GROẞ', 'strasse gross'],
  ['Ångström Åsa', 'angstrom asa'],
  ['Erdős Győző', 'erdos gyozo'],
  ['Müller-Lüdenscheidt Ű', 'muller-ludenscheidt u'],
  ['Œuvre Þórr', 'oeuvre thorr'],
  ['Đorđević Yıldız', 'dordevic yildiz'],
  ['Nguyễn Thị Hương', 'nguyen thi huong'],
  ['ÄRGER Über', 'arger uber'],
  ['Иванов Ольга', 'иванов ольга'],
  ['  Anne   Kathrin ', 'anne kathrin'],
  ['100% O’Brien', '100% o’brien'],
];

describe('foldName', () => {
  it.each(NAMES)('folds %j to %j', (name, folded) => {
    expect(foldName(name)).toBe(folded);
  });

  it('folds what is typed without accents the same as the stored name with them', () => {
    expect(foldName('francois lodz')).toBe(foldName('François Łódź'));
    expect(foldName('FRANÇOIS')).toBe(foldName('francois'));
  });
});

describe('foldNameSql', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
  });
  afterAll(() => client.end());

  it('folds in PostgreSQL exactly as foldName does in TypeScript', async () => {
    const { rows } = await client.query<{ name: string; folded: string }>(
      `SELECT name, ${foldNameSql('name')} AS folded FROM unnest($1::text[]) AS name`,
      [NAMES.map(([name]) => name)],
    );
    expect(rows.map((r) => [r.name, r.folded])).toEqual(NAMES);
  });

  it('can define a generated column (only immutable functions)', async () => {
    await client.query(`CREATE TEMP TABLE folded_names (name text,
      folded text GENERATED ALWAYS AS (${foldNameSql('name')}) STORED)`);
    await client.query(`INSERT INTO folded_names (name) VALUES ('Łódź Nuñez')`);
    const { rows } = await client.query(`SELECT folded FROM folded_names`);
    expect(rows).toEqual([{ folded: 'lodz nunez' }]);
  });
});
