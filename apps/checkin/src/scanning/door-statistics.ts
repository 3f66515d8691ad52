import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The tables the door's statements look up row by row (a scan's nonce, presence, holder). */
export const DOOR_TABLES = ['scans', 'presence', 'attendees'] as const;
/** Rows the door writes between two looks at the statistics (and the least change worth one). */
export const CHECK_EVERY_ROWS = 1000;

/**
 * Keeps PostgreSQL's statistics of the door's tables from saying "empty" while the door fills
 * them. The online group's statement is prepared, and PostgreSQL keeps its plan per connection
 * until the tables' statistics change. Planned on statistics read while the tables were empty (a
 * new installation, or a log emptied and vacuumed the evening before), it looks up nonces,
 * presence and holders by reading whole tables: fine for ten rows, seconds per group at 50,000
 * (seen in bench/scan: 364 scans/s and answers of 4 s, from 2,000/s). Autovacuum's analyze
 * normally catches up within a minute, which is the doors' busiest minute; where autovacuum is
 * off it never does.
 *
 * So every CHECK_EVERY_ROWS rows the door writes, one look at the tables' counters: a table
 * changed by more than CHECK_EVERY_ROWS rows and more than twice the rows its statistics know of
 * is analyzed (in the background; ANALYZE reads a sample and does not block writes), and
 * PostgreSQL re-plans the statements that use it. With autovacuum running this seldom fires: its
 * own threshold (50 rows and a tenth of the table) comes first.
 */
@Injectable()
export class DoorStatistics implements OnApplicationBootstrap {
  private readonly logger = new Logger(DoorStatistics.name);
  private written = 0;
  private refreshing?: Promise<string[]>;
  private failing = false;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    void this.refreshStale();
  }

  /** The door wrote (about to write) `rows` rows; every CHECK_EVERY_ROWS, a look (background). */
  wrote(rows: number): void {
    this.written += rows;
    if (this.written < CHECK_EVERY_ROWS) return;
    this.written = 0;
    void this.refreshStale();
  }

  /**
   * Analyzes the door's tables whose statistics lag far behind them; resolves with their names.
   * A call while one runs gets that one's answer.
   */
  refreshStale(): Promise<string[]> {
    this.refreshing ??= this.analyzeStale().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async analyzeStale(): Promise<string[]> {
    try {
      const stale: { table: (typeof DOOR_TABLES)[number] }[] = await this.dataSource.query(
        `SELECT s.relname AS table
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
          WHERE s.schemaname = current_schema() AND s.relname = ANY($1)
            AND s.n_mod_since_analyze >= $2
            AND s.n_mod_since_analyze > 2 * GREATEST(c.reltuples, 0)`,
        [DOOR_TABLES, CHECK_EVERY_ROWS],
      );
      // Each name is one of DOOR_TABLES (the query matches no other), so it may stand in the SQL.
      for (const { table } of stale) {
        const started = performance.now();
        await this.dataSource.query(`ANALYZE ${table}`);
        this.logger.log(
          { table, ms: Math.round(performance.now() - started) },
          'Statistics of a door table refreshed (they lagged far behind its rows)',
        );
      }
      this.failing = false;
      return stale.map(({ table }) => table);
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          { err: error },
          'Could not refresh the statistics of the door tables; scans may slow down as they grow',
        );
      }
      return [];
    }
  }
}
