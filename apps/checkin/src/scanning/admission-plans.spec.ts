import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource, type QueryRunner } from 'typeorm';
import { startInProcess, TEST_DATABASE_URL, waitFor } from '@einlass/testing';
import { CheckinModule } from '../checkin.module';
import { ONLINE_GROUP } from './admission-writer';
import { DOOR_TABLES, DoorStatistics } from './door-statistics';

/** `count` admitted scans of an event, each of a person of their own, with nonces `n1`, `n2`, ... */
const insertScans = (db: DataSource, eventId: string, count: number) =>
  db.query(
    `INSERT INTO scans (event_id, attendee_id, gate, list, direction, device, result, message, nonce, answer)
     SELECT $1, gen_random_uuid(), 'A', 'main', 'in', 'd', 'admitted', '', 'n' || g, '{}'
       FROM generate_series(1, $2) g`,
    [eventId, count],
  );

/** `count` people of an event inside (list `main`). */
const insertPresence = (db: DataSource, eventId: string, count: number) =>
  db.query(
    `INSERT INTO presence (event_id, list, attendee_id, first_admitted_at, first_gate, inside, last_change_at)
     SELECT $1, 'main', gen_random_uuid(), now(), 'A', true, now() FROM generate_series(1, $2)`,
    [eventId, count],
  );

/**
 * The online group's statement is prepared once per connection and its plan kept, so the plan
 * must be cheap whatever the statistics said when it was made. Found with bench/scan: statistics
 * read while the scan log and presence were empty (a log emptied the evening before) made
 * PostgreSQL look up nonces and presence by reading the event's whole log and presence list for
 * every group: at 1,000 scans/s the answers took seconds (p50 12 s) as the log grew.
 */
describe('the online group statement, planned on statistics of empty tables', () => {
  let app: NestFastifyApplication;
  let db: DataSource;

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
    db = app.get(DataSource);
    // Rows of another event, removed again: the tables keep their pages, and the statistics
    // read now say they hold nothing (density 0: every lookup looks like one row).
    const other = randomUUID();
    await insertScans(db, other, 5000);
    await insertPresence(db, other, 5000);
    await db.query(`DELETE FROM scans WHERE event_id = $1`, [other]);
    await db.query(`DELETE FROM presence WHERE event_id = $1`, [other]);
    await db.query(`VACUUM (TRUNCATE false, ANALYZE) scans, presence`);
  });

  afterAll(() => app.close());

  it('looks up nonces by the nonce key and presence by person, never the whole event', async () => {
    const runner = db.createQueryRunner();
    try {
      await runner.query(`SET plan_cache_mode = force_generic_plan`);
      await runner.query(`PREPARE online_group_plan AS ${ONLINE_GROUP.sql}`);
      const rows: { 'QUERY PLAN': string }[] = await runner.query(
        `EXPLAIN EXECUTE online_group_plan('[]', '{}', '{}', '{}', 'x', '{}', 'x', '{}', 'x')`,
      );
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      // Each read of scans or presence, with the conditions it reads by.
      const reads = [
        ...plan.matchAll(/Scan[^\n]* on (scans|presence) \w+[^\n]*\n(\s+Index Cond: [^\n]*)?/g),
      ];
      expect(reads.length).toBeGreaterThanOrEqual(2);
      for (const [read, table, condition] of reads) {
        if (table === 'scans') {
          expect(read).toContain('using scans_event_nonce_key');
          expect(condition).toContain('nonce =');
        } else {
          expect(condition).toContain('attendee_id =');
        }
      }
      expect(plan).not.toMatch(/Seq Scan on (scans|presence)/);
    } finally {
      await runner.query(`DEALLOCATE ALL`).catch(() => undefined);
      await runner.query(`RESET plan_cache_mode`).catch(() => undefined);
      await runner.release();
    }
  });
});

/**
 * The same statement on tables PostgreSQL has vacuumed and analyzed empty (a new installation, or
 * a log emptied the evening before): their statistics say 0 pages, and a plan made then reads
 * whole tables for every lookup, kept by every connection while the door fills them (bench/scan:
 * 364 scans/s, groups of 4 s). DoorStatistics analyzes them once the door has written rows
 * enough, and PostgreSQL re-plans. The tables here are copies in a schema of the test's own, so
 * that what other test files left in check-in's tables does not hide the empty statistics.
 */
describe('the online group statement, on tables analyzed empty and then filled', () => {
  const schema = `plan_probe_${process.pid}`;
  let admin: DataSource;
  let probe: DataSource;

  const planOn = async (runner: QueryRunner) => {
    const rows: { 'QUERY PLAN': string }[] = await runner.query(
      `EXPLAIN EXECUTE online_group_plan('[]', '{}', '{}', '{}', 'x', '{}', 'x', '{}', 'x')`,
    );
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  };

  beforeAll(async () => {
    admin = await new DataSource({ type: 'postgres', url: TEST_DATABASE_URL }).initialize();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.query(`CREATE SCHEMA ${schema}`);
    for (const table of [...DOOR_TABLES, 'outbox']) {
      await admin.query(`CREATE TABLE ${schema}.${table} (LIKE checkin.${table} INCLUDING ALL)`);
    }
    await admin.query(
      `VACUUM (ANALYZE) ${DOOR_TABLES.map((table) => `${schema}.${table}`).join(', ')}`,
    );
    probe = await new DataSource({
      type: 'postgres',
      url: TEST_DATABASE_URL,
      extra: { options: `-c search_path=${schema}`, max: 2 },
    }).initialize();
  });

  afterAll(async () => {
    await probe?.destroy();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.destroy();
  });

  it('is planned again on fresh statistics once the door has written rows enough', async () => {
    const statistics = new DoorStatistics(probe);
    const runner = probe.createQueryRunner();
    try {
      await runner.query(`SET plan_cache_mode = force_generic_plan`);
      await runner.query(`PREPARE online_group_plan AS ${ONLINE_GROUP.sql}`);
      // What the trap looks like: lookups that read whole tables.
      expect(await planOn(runner)).toMatch(/Seq Scan on scans/);
      expect(await statistics.refreshStale()).toEqual([]);

      // The door's first minutes: 5,000 people in the read model, 3,000 scans, 2,000 inside.
      const event = randomUUID();
      await probe.query(
        `INSERT INTO attendees (id, event_id, first_name, last_name, category, sessions, status, revision, badge_version)
         SELECT gen_random_uuid(), $1, 'Erika', 'Mustermann', 'attendee', '{}', 'registered', 1, 1
           FROM generate_series(1, 5000)`,
        [event],
      );
      await insertScans(probe, event, 3000);
      await insertPresence(probe, event, 2000);
      // The counters reach PostgreSQL's statistics views within a second or so.
      const analyzed = await waitFor(
        'the door tables to be analyzed',
        async () => {
          const tables = await statistics.refreshStale();
          return tables.length === DOOR_TABLES.length ? tables : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 250 },
      );
      expect([...analyzed].sort()).toEqual([...DOOR_TABLES].sort());

      // The statement prepared before is planned again: every lookup through its key.
      const plan = await planOn(runner);
      expect(plan).not.toMatch(/Seq Scan on (scans|presence|attendees)/);
      expect(plan).toMatch(/Index Scan using \w+ on scans \w+ [^\n]*\n\s+Index Cond: \(nonce = /);
      expect(plan).toMatch(
        /Index Scan using \w+ on presence \w+ [^\n]*\n\s+Index Cond: [^\n]*attendee_id = /,
      );
      expect(plan).toMatch(/Index Scan using attendees_pkey on attendees/);
      // Nothing left to do until the tables change again by as much.
      expect(await statistics.refreshStale()).toEqual([]);
    } finally {
      await runner.query(`DEALLOCATE ALL`).catch(() => undefined);
      await runner.release();
    }
  });
});
