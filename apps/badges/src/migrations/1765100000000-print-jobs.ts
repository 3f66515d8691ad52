import { MigrationInterface, QueryRunner } from 'typeorm';

/** Print jobs: many badges as one PDF, rendered by the print-jobs queue's worker. */
export class PrintJobs1765100000000 implements MigrationInterface {
  name = 'PrintJobs1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE print_jobs (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL REFERENCES events (id),
      filter jsonb NOT NULL,
      sort text NOT NULL,
      layout text NOT NULL,
      status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
      done int NOT NULL DEFAULT 0,
      total int NOT NULL DEFAULT 0,
      error text,
      file_path text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await db.query(`CREATE INDEX print_jobs_event_idx ON print_jobs (event_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS print_jobs`);
  }
}
