import { Client } from 'pg';

const SCHEMAS = ['registration', 'badges', 'checkin'];

/**
 * Marks as sent what earlier test files left unsent in the services' outboxes. Their consumers
 * are gone, and the test database is shared: a relay started now would otherwise deliver those
 * messages first (a 12,000-row import left by an API test kept the next file's badges service
 * busy for 48 s before it reached its own attendees, and a relay test waiting 5 s for its one
 * message timed out behind them).
 */
export async function quietLeftoverOutboxes(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of SCHEMAS) {
      const { rows } = await client.query<{ table: string | null }>(
        `SELECT to_regclass($1)::text AS table`,
        [`${schema}.outbox`],
      );
      if (rows[0]?.table) {
        await client.query(`UPDATE ${schema}.outbox SET sent_at = now() WHERE sent_at IS NULL`);
      }
    }
  } finally {
    await client.end();
  }
}
