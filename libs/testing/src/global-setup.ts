import { Client } from 'pg';
import { TEST_DATABASE_URL } from './test-env';

/**
 * Once per test run: creates the test database if needed and drops the services' schemas, so the
 * run starts from nothing and every migration runs as on a new installation.
 */
export default async function globalSetup(): Promise<void> {
  const url = new URL(TEST_DATABASE_URL);
  const database = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(TEST_DATABASE_URL);
  admin.pathname = '/postgres';
  const adminClient = new Client({ connectionString: admin.toString() });
  await adminClient.connect();
  try {
    const exists = await adminClient.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (exists.rowCount === 0)
      await adminClient.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await adminClient.end();
  }
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const schema of ['registration', 'badges', 'checkin']) {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  } finally {
    await client.end();
  }
}
