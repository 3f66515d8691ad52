import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupedWork } from '@einlass/database';
import type { CheckinAttendee } from '../read-model/read-model.entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who holds a badge, read from check-in's read model on every scan (never remembered: a badge
 * revoked a moment ago must be refused). Lookups that arrive together go to the database as one
 * query, so a rush at the doors costs one round trip per group rather than one per scan.
 */
@Injectable()
export class BadgeHolders {
  private readonly lookups = new GroupedWork<string, CheckinAttendee | undefined>(
    (ids) => this.byIds(ids),
    { parallel: 1, maxGroup: 500 },
  );

  constructor(private readonly dataSource: DataSource) {}

  /** The attendee with this id (a badge's holder), or undefined when check-in does not know them. */
  byId(id: string): Promise<CheckinAttendee | undefined> {
    return this.lookups.run(id);
  }

  private async byIds(ids: string[]): Promise<(CheckinAttendee | undefined)[]> {
    const rows = await this.dataSource.query<CheckinAttendee[]>(
      `SELECT id, event_id AS "eventId", title, first_name AS "firstName", last_name AS "lastName",
              organisation, category, sessions, status, revision, badge_version AS "badgeVersion",
              erased_at AS "erasedAt"
         FROM attendees WHERE id = ANY($1::uuid[])`,
      // One malformed id must not fail the lookups grouped with it.
      [[...new Set(ids.filter((id) => UUID.test(id)))]],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  }
}
