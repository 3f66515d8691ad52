import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '@einlass/database';
import { TEST_DATABASE_URL } from '@einlass/testing';
import { badgesDatabase } from '../apps/badges/testing';
import { checkinDatabase } from '../apps/checkin/testing';
import { registrationDatabase } from '../apps/registration/testing';

const SCHEMAS = ['registration', 'badges', 'checkin'];

/** The column list of docs/DATENSCHUTZ.md: `schema.table` → personal and other columns. */
function documentedColumns(): Map<string, { personal: string[]; other: string[] }> {
  const text = readFileSync(join(__dirname, '..', 'docs', 'DATENSCHUTZ.md'), 'utf8');
  const tables = new Map<string, { personal: string[]; other: string[] }>();
  for (const line of text.split('\n')) {
    const match = /^- `(\w+\.\w+)` — (.*)$/.exec(line);
    if (!match) continue;
    const entry = { personal: [] as string[], other: [] as string[] };
    for (const part of match[2].split(' · ')) {
      const [kind, columns] = part.split(': ');
      const list = columns.split(',').map((column) => column.trim());
      if (kind === 'personenbezogen') entry.personal.push(...list);
      else if (kind === 'sonstige') entry.other.push(...list);
      else throw new Error(`DATENSCHUTZ.md: "${kind}" is neither personenbezogen nor sonstige`);
    }
    tables.set(match[1], entry);
  }
  return tables;
}

/**
 * docs/DATENSCHUTZ.md stays true: its column list names every column of the migrated database,
 * each as personal or other. A migration that adds a column fails here until the record of
 * processing says what the column holds (and, if personal, how erasure reaches it).
 */
describe('the record of processing (docs/DATENSCHUTZ.md)', () => {
  let client: Client;

  beforeAll(async () => {
    for (const service of [registrationDatabase, badgesDatabase, checkinDatabase]) {
      await migrate(TEST_DATABASE_URL, service);
    }
    client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
  }, 60_000);

  afterAll(() => client.end());

  it('names every column of the three schemas, and no column that does not exist', async () => {
    const { rows } = await client.query<{ table: string; column: string }>(
      `SELECT table_schema || '.' || table_name AS table, column_name AS column
         FROM information_schema.columns WHERE table_schema = ANY($1) ORDER BY 1, 2`,
      [SCHEMAS],
    );
    const documented = documentedColumns();
    const inDatabase = new Set(rows.map((row) => `${row.table}.${row.column}`));
    const inDocument = new Set(
      [...documented].flatMap(([table, { personal, other }]) =>
        [...personal, ...other].map((column) => `${table}.${column}`),
      ),
    );
    expect([...inDatabase].filter((column) => !inDocument.has(column))).toEqual([]);
    expect([...inDocument].filter((column) => !inDatabase.has(column))).toEqual([]);
  });

  it("names as personal the columns that hold an attendee's name, email or organisation", () => {
    const documented = documentedColumns();
    const personal = (table: string) => documented.get(table)?.personal ?? [];
    expect(personal('registration.attendees')).toEqual(
      expect.arrayContaining(['first_name', 'last_name', 'email', 'organisation', 'title']),
    );
    expect(personal('checkin.attendees')).toEqual(
      expect.arrayContaining(['first_name', 'last_name', 'organisation', 'title']),
    );
    expect(personal('badges.badges')).toContain('attendee');
    expect(personal('checkin.scans')).toContain('answer');
    for (const schema of ['registration', 'badges']) {
      expect(personal(`${schema}.outbox`)).toContain('payload');
    }
  });

  it('keeps the audit log append-only', async () => {
    await client.query(
      `INSERT INTO registration.audit_log (message_id, event_id, at, service, token_label, action)
       VALUES ($1, gen_random_uuid(), now(), 'registration', 'test', 'attendee.read')`,
      [`test-${Math.random()}`],
    );
    await expect(client.query(`UPDATE registration.audit_log SET action = 'x'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(client.query(`DELETE FROM registration.audit_log`)).rejects.toThrow(/append-only/);
    await expect(client.query(`TRUNCATE registration.audit_log`)).rejects.toThrow(/append-only/);
  });
});
