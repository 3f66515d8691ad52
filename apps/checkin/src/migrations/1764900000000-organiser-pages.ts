import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Names folded the way `foldName` (attendance/name-fold.ts) folds what organisers type: without
 * accents, lower case, ß as ss. Written out here, as a migration must not change with the code.
 */
const fold = (text: string) =>
  `translate(replace(replace(replace(lower(regexp_replace(normalize(${text}, NFD), '[\\u0300-\\u036f]', '', 'g')), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'łøđðı', 'loddi')`;

/**
 * The organisers' pages: attendees carry their external id (for exports), a folded sort name and
 * search text (the not-yet-arrived list, sorted by last name and searched without accents), an
 * index walks them in that order, and one finds a person's presence on every list.
 */
export class OrganiserPages1764900000000 implements MigrationInterface {
  name = 'OrganiserPages1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE attendees ADD COLUMN external_id text`);
    await db.query(
      `ALTER TABLE attendees
         ADD COLUMN sort_name text GENERATED ALWAYS AS (${fold(`last_name || ' ' || first_name`)}) STORED,
         ADD COLUMN search_text text GENERATED ALWAYS AS (${fold(
           `coalesce(title, '') || ' ' || first_name || ' ' || last_name || ' ' || coalesce(organisation, '')`,
         )}) STORED`,
    );
    await db.query(`CREATE INDEX attendees_sort_idx ON attendees (event_id, sort_name, id)`);
    // A person's lists (the sessions column of the attendance export).
    await db.query(`CREATE INDEX presence_attendee_idx ON presence (event_id, attendee_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX presence_attendee_idx`);
    await db.query(`DROP INDEX attendees_sort_idx`);
    await db.query(
      `ALTER TABLE attendees DROP COLUMN search_text, DROP COLUMN sort_name, DROP COLUMN external_id`,
    );
  }
}
