import { MigrationInterface, QueryRunner } from 'typeorm';

/** An event's branding on its badges: a logo, category colours, and which label language. */
export class EventBranding1765200000000 implements MigrationInterface {
  name = 'EventBranding1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE event_branding (
      event_id uuid PRIMARY KEY REFERENCES events (id),
      logo bytea,
      logo_type text CHECK (logo_type IN ('image/png', 'image/jpeg')),
      category_colours jsonb NOT NULL DEFAULT '{}',
      labels text NOT NULL DEFAULT 'de-en' CHECK (labels IN ('de', 'en', 'de-en')),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((logo IS NULL) = (logo_type IS NULL))
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS event_branding`);
  }
}
