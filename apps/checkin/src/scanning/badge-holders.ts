import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupedWork } from '@einlass/database';
import { holdersInMemory } from '@einlass/metrics';
import type { CheckinAttendee } from '../read-model/read-model.entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COLUMNS = `id, event_id AS "eventId", title, first_name AS "firstName", last_name AS "lastName",
  organisation, category, sessions, status, revision, badge_version AS "badgeVersion",
  erased_at AS "erasedAt"`;

/** An event's holders are read whole again this often while it is scanned (erased names leave). */
const EVENT_RELOAD_MS = 5 * 60_000;
/**
 * An event's holders are read whole in pages of this many, each taken into the copy before the
 * next is asked for. 150,000 holders read at once took most of a second of check-in's CPU, and
 * the scans arriving meanwhile waited: at 1,000 scans/s, p99 ~870 ms in the first 10 s of
 * scanning; read in pages of 2,000, ~520 ms; of 1,000, ~240 ms (the median rises from 4 to 15 ms
 * while the copy fills, as more scans read their holder).
 */
const EVENT_READ_PAGE = 1_000;
/** Holders kept in memory at most (about 400 bytes each); beyond, the copy starts afresh. */
const MAX_KNOWN = 500_000;

/**
 * Who holds a badge, from check-in's read model.
 *
 * - `byId` reads the database (lookups that arrive together as one query, so a rush at the doors
 *   costs one round trip per group rather than one per scan).
 * - `known` answers from a copy in memory, filled by those reads and by reading a scanned event's
 *   holders whole in the background. The copy may be behind (a badge re-issued or cancelled a
 *   moment ago, here or in another process): it is only ever used for an entrance admission, and
 *   the grouped write admits such a scan only if the holder's revision, status, erasure and badge
 *   version are still the ones decided on (AdmissionWriter.admitGroup); otherwise the scan is
 *   decided again from a fresh read. Every other answer (revoked, not on the list, …) is decided
 *   from a fresh read. So the copy never admits a revoked badge, and a scan needs no read before
 *   its write.
 */
@Injectable()
export class BadgeHolders implements OnApplicationBootstrap {
  private readonly lookups = new GroupedWork<string, CheckinAttendee | undefined>(
    (ids) => this.byIds(ids),
    { parallel: 1, maxGroup: 500 },
  );
  private readonly copy = new Map<string, CheckinAttendee>();
  /** Events read whole, and until when that read stands. */
  private readonly eventsRead = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * A check-in process started (or restarted) on an event's day reads that event's holders at
   * once, in the background, so the doors' first scans after it find the copy filled.
   */
  onApplicationBootstrap(): void {
    this.dataSource
      .query<{ id: string }[]>(
        `SELECT id FROM events
          WHERE now() BETWEEN starts_at - interval '1 day' AND ends_at + interval '1 day'`,
      )
      .then((events) => events.forEach((event) => this.readEvent(event.id)))
      .catch(() => undefined); // the first scan of each event reads it, as without this
  }

  /** How many holders the copy in memory holds. */
  get size(): number {
    return this.copy.size;
  }

  /** The attendee with this id (a badge's holder), or undefined when check-in does not know them. */
  byId(id: string): Promise<CheckinAttendee | undefined> {
    return this.lookups.run(id);
  }

  /**
   * The holder as the copy in memory has them, possibly behind the database (see the class), or
   * undefined when the copy does not hold them. Starts reading the event's holders whole when
   * that read is missing or old.
   */
  known(eventId: string, id: string): CheckinAttendee | undefined {
    const until = this.eventsRead.get(eventId);
    if (until === undefined || until < Date.now()) this.readEvent(eventId);
    return this.copy.get(id);
  }

  private readEvent(eventId: string): void {
    // Marked at once, so concurrent scans start one read; a failed read is tried again in 10 s.
    this.eventsRead.set(eventId, Date.now() + EVENT_RELOAD_MS);
    this.readEventInPages(eventId).catch(() => this.eventsRead.set(eventId, Date.now() + 10_000));
  }

  /**
   * Reads an event's holders page by page, in the order of attendees_sort_idx (event, sort name,
   * id), letting the scans waiting go between pages.
   */
  private async readEventInPages(eventId: string): Promise<void> {
    let after = { sortName: '', id: '00000000-0000-0000-0000-000000000000' };
    for (;;) {
      const rows = await this.dataSource.query<(CheckinAttendee & { sortName?: string })[]>(
        `SELECT ${COLUMNS}, sort_name AS "sortName" FROM attendees
          WHERE event_id = $1 AND (sort_name, id) > ($2, $3::uuid)
          ORDER BY sort_name, id LIMIT $4`,
        [eventId, after.sortName, after.id, EVENT_READ_PAGE],
      );
      if (rows.length === 0) return;
      const last = rows[rows.length - 1];
      after = { sortName: last.sortName!, id: last.id };
      for (const row of rows) delete row.sortName;
      this.keep(rows);
      if (rows.length < EVENT_READ_PAGE) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Takes rows read into the copy, unless it holds a newer state of the person already. */
  private keep(rows: CheckinAttendee[]): void {
    if (this.copy.size + rows.length > MAX_KNOWN) this.copy.clear();
    for (const row of rows) {
      const held = this.copy.get(row.id);
      if (
        held &&
        (held.revision > row.revision ||
          (held.revision === row.revision && (held.badgeVersion ?? 0) > (row.badgeVersion ?? 0)))
      )
        continue;
      this.copy.set(row.id, row);
    }
    holdersInMemory.set(this.copy.size);
  }

  private async byIds(ids: string[]): Promise<(CheckinAttendee | undefined)[]> {
    const rows = await this.dataSource.query<CheckinAttendee[]>(
      `SELECT ${COLUMNS} FROM attendees WHERE id = ANY($1::uuid[])`,
      // One malformed id must not fail the lookups grouped with it.
      [[...new Set(ids.filter((id) => UUID.test(id)))]],
    );
    this.keep(rows);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  }
}
