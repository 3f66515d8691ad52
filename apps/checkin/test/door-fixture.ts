import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiTokenProjection, hashToken, type Role } from '@einlass/auth';
import type { AttendeeSnapshot } from '@einlass/contracts';
import { generateSigningKey, privateKeyFrom, signTicket } from '@einlass/tickets';
import { ReadModelProjection } from '../src/read-model/read-model.projection';
import { uniqueSlug } from '@einlass/testing';

/**
 * An event in check-in's read model, written the way the queue consumer writes it: its key, a
 * workshop, people with badges, and tokens. For tests of the door without the other services.
 */
export class DoorFixture {
  readonly slug = uniqueSlug('door');
  readonly eventId = randomUUID();
  readonly key = generateSigningKey();
  private readonly privateKey = privateKeyFrom(this.key.privateKey);

  constructor(private readonly db: DataSource) {}

  /** Writes the event (on 24 October 2023 unless `startsAt` says otherwise; ten hours long). */
  async create(options: { startsAt?: Date } = {}): Promise<this> {
    const startsAt = options.startsAt ?? new Date('2023-10-24T06:00:00.000Z');
    await this.db.transaction(async (manager) => {
      await ReadModelProjection.event(manager, {
        id: this.eventId,
        slug: this.slug,
        name: 'Kongress',
        venue: null,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 10 * 3600_000).toISOString(),
        timezone: 'Europe/Berlin',
      });
      await ReadModelProjection.sessions(manager, this.eventId, [
        {
          code: 'W01',
          title: 'Workshop',
          room: null,
          startsAt: '2023-10-24T09:00:00.000Z',
          endsAt: '2023-10-24T10:00:00.000Z',
          capacity: 5,
          kind: 'workshop',
        },
      ]);
      await ReadModelProjection.publicKey(manager, {
        keyId: this.key.keyId,
        eventId: this.eventId,
        publicKey: this.key.publicKey,
      });
    });
    return this;
  }

  /** Someone with a badge (version 1 unless said otherwise). */
  async person(overrides: Partial<AttendeeSnapshot> = {}, badgeVersion = 1): Promise<string> {
    const id = randomUUID();
    await this.db.transaction(async (manager) => {
      await ReadModelProjection.attendee(manager, {
        id,
        eventId: this.eventId,
        externalId: null,
        title: null,
        firstName: 'Erika',
        lastName: 'Mustermann',
        organisation: 'Stadt Jena',
        category: 'attendee',
        sessions: [],
        waitlist: [],
        status: 'registered',
        revision: 1,
        ...overrides,
      });
      await ReadModelProjection.badgeVersion(manager, id, badgeVersion);
    });
    return id;
  }

  /**
   * Many people with version-1 badges in one statement (benchmarks, load tests): their ids.
   * Names and categories are all alike; use `person` for someone in particular.
   */
  async people(count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await this.db.query(
      `INSERT INTO attendees (id, event_id, first_name, last_name, category, sessions, status, revision, badge_version)
       SELECT id, $2, 'Erika', 'Mustermann', 'attendee', '{}', 'registered', 1, 1 FROM unnest($1::uuid[]) AS id`,
      [ids, this.eventId],
    );
    return ids;
  }

  qr(badgeId: string, version = 1): string {
    return signTicket(
      { keyId: this.key.keyId, eventId: this.eventId, badgeId, badgeVersion: version },
      this.privateKey,
    );
  }

  /** A token as check-in learns it from registration; returns the token text. */
  async token(role: Role, options: { gates?: string[]; events?: string[] } = {}): Promise<string> {
    const token = `test-${role}-${randomUUID()}`;
    await this.db.transaction((manager) =>
      ApiTokenProjection.created(manager, {
        id: randomUUID(),
        hash: hashToken(token),
        role,
        label: `${role} device`,
        gates: options.gates ?? [],
        events: options.events ?? [],
      }),
    );
    return token;
  }
}
