import { Client } from 'pg';
import { TEST_DATABASE_URL } from './test-env';

const SERVICE_SCHEMAS = ['registration', 'badges', 'checkin'];
/** Kept: the migrations already run, and the audit log (append-only: its trigger refuses). */
const KEPT_TABLES = ['migrations', 'audit_log'];

/**
 * Empties every table of the three services' schemas (where they exist), so a test file's
 * services start from nothing. Without it, what an earlier file left behind is work for the next
 * one: the reconciliation finds, rightly, that badges and check-in lack the 12,000 attendees an
 * in-process import test wrote, and has them replayed and issued while the next file waits.
 */
export async function emptyServiceTables(url = TEST_DATABASE_URL): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
        WHERE schemaname = ANY($1) AND tablename <> ALL($2)`,
      [SERVICE_SCHEMAS, KEPT_TABLES],
    );
    if (rows.length === 0) return;
    // Connections an earlier file leaked (a pool never closed) would hold locks TRUNCATE waits
    // for; nothing else uses the test database between two files (jest runs in band).
    await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    await client.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')}`);
  } finally {
    await client.end();
  }
}
