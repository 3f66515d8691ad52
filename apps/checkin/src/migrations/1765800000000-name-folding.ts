import { MigrationInterface, QueryRunner } from 'typeorm';
import { foldNameSql } from '@einlass/door-rules';

/**
 * The sort name and search text of check-in's attendees, generated with the project's one name
 * folding (`foldNameSql`, libs/door-rules), which also folds what is typed and the scanner page's
 * offline search. The earlier fold (1764900000000) kept ç, ñ and č and spelled fewer letters out.
 * A later change of the folding needs a migration like this one to regenerate the columns.
 */
export class NameFolding1765800000000 implements MigrationInterface {
  name = 'NameFolding1765800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE attendees DROP COLUMN search_text, DROP COLUMN sort_name`);
    await db.query(
      `ALTER TABLE attendees
         ADD COLUMN sort_name text GENERATED ALWAYS AS (${foldNameSql(`last_name || ' ' || first_name`)}) STORED,
         ADD COLUMN search_text text GENERATED ALWAYS AS (${foldNameSql(
           `coalesce(title, '') || ' ' || first_name || ' ' || last_name || ' ' || coalesce(organisation, '')`,
         )}) STORED`,
    );
    await db.query(`CREATE INDEX attendees_sort_idx ON attendees (event_id, sort_name, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    const fold = (text: string) =>
      `translate(replace(replace(replace(lower(regexp_replace(normalize(${text}, NFD), '[\\u0300-\\u036f]', '', 'g')), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'łøđðı', 'loddi')`;
    await db.query(`ALTER TABLE attendees DROP COLUMN search_text, DROP COLUMN sort_name`);
    await db.query(
      `ALTER TABLE attendees
         ADD COLUMN sort_name text GENERATED ALWAYS AS (${fold(`last_name || ' ' || first_name`)}) STORED,
         ADD COLUMN search_text text GENERATED ALWAYS AS (${fold(
           `coalesce(title, '') || ' ' || first_name || ' ' || last_name || ' ' || coalesce(organisation, '')`,
         )}) STORED`,
    );
    await db.query(`CREATE INDEX attendees_sort_idx ON attendees (event_id, sort_name, id)`);
  }
}
