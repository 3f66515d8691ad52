import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startInProcess } from '@einlass/testing';
import { CheckinModule } from '../checkin.module';
import { ONLINE_GROUP } from './admission-writer';

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
    await db.query(
      `INSERT INTO scans (event_id, attendee_id, gate, list, direction, device, result, message, nonce, answer)
       SELECT $1, gen_random_uuid(), 'A', 'main', 'in', 'd', 'admitted', '', 'n' || g, '{}'
         FROM generate_series(1, 5000) g`,
      [other],
    );
    await db.query(
      `INSERT INTO presence (event_id, list, attendee_id, first_admitted_at, first_gate, inside, last_change_at)
       SELECT $1, 'main', gen_random_uuid(), now(), 'A', true, now() FROM generate_series(1, 5000)`,
      [other],
    );
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
