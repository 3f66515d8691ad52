import {
  HttpException,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { serviceScheme, type Environment } from '@einlass/config';
import { Attendee } from '../attendees/attendee.entity';
import type { Event } from '../events/event.entity';

/** How long registration waits for the badges and check-in parts. */
const PART_TIMEOUT_MS = 10_000;

/**
 * A person's personal-data document (Art. 15 GDPR): everything the three services hold about
 * them, as one JSON document. Registration's part is read here; the badges and check-in parts are
 * asked for over HTTP with the caller's own token, so each service checks it for itself.
 */
@Injectable()
export class PersonalDataDocument {
  private readonly parts: { badges: string; checkin: string };

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    const scheme = serviceScheme({ TLS_CERT_FILE: config.get('TLS_CERT_FILE', { infer: true }) });
    this.parts = {
      badges:
        config.get('BADGES_INTERNAL_URL', { infer: true }) ??
        `${scheme}://127.0.0.1:${config.get('BADGES_PORT', { infer: true })}`,
      checkin:
        config.get('CHECKIN_INTERNAL_URL', { infer: true }) ??
        `${scheme}://127.0.0.1:${config.get('CHECKIN_PORT', { infer: true })}`,
    };
  }

  async build(event: Event, attendeeId: string, authorization: string) {
    const attendee = await this.dataSource
      .getRepository(Attendee)
      .findOneBy({ id: attendeeId, eventId: event.id });
    if (!attendee)
      throw new NotFoundException(`No attendee ${attendeeId} in event "${event.slug}"`);
    const path = `/api/events/${encodeURIComponent(event.slug)}/attendees/${attendeeId}/personal-data`;
    const [registration, badges, checkin] = await Promise.all([
      this.registrationPart(attendee),
      this.part('badges', path, authorization),
      this.part('checkin', path, authorization),
    ]);
    return {
      generatedAt: new Date().toISOString(),
      event: {
        slug: event.slug,
        name: event.name,
        erasePersonalDataAt: event.erasePersonalDataAt.toISOString(),
      },
      attendeeId,
      registration,
      badges,
      checkin,
    };
  }

  private async registrationPart(attendee: Attendee) {
    const [signups, attendance, changes, audit] = await Promise.all([
      this.dataSource.query<{ session: string; status: string; since: Date }[]>(
        `SELECT s.code AS session, su.status, su.created_at AS since FROM session_signups su
           JOIN sessions s ON s.id = su.session_id WHERE su.attendee_id = $1 ORDER BY s.code`,
        [attendee.id],
      ),
      this.dataSource.query<Record<string, unknown>[]>(
        `SELECT first_checked_in_at AS "firstCheckedInAt", on_site AS "onSite",
                last_entrance_at AS "lastEntranceAt", sessions_attended AS "sessionsAttended"
           FROM door_attendance WHERE attendee_id = $1`,
        [attendee.id],
      ),
      // Every change as it was sent on to badges and check-in (the outbox keeps them).
      this.dataSource.query<{ type: string; at: Date; attendee: Record<string, unknown> }[]>(
        `SELECT type, created_at AS at, payload->'attendee' AS attendee FROM outbox
          WHERE payload->'attendee'->>'id' = $1 AND type LIKE 'attendee.%' ORDER BY id`,
        [attendee.id],
      ),
      this.dataSource.query<Record<string, unknown>[]>(
        `SELECT at, service, token_label AS "tokenLabel", action, details FROM audit_log
          WHERE attendee_id = $1 ORDER BY at, id`,
        [attendee.id],
      ),
    ]);
    return {
      attendee: {
        externalId: attendee.externalId,
        title: attendee.title,
        firstName: attendee.firstName,
        lastName: attendee.lastName,
        email: attendee.email,
        organisation: attendee.organisation,
        category: attendee.category,
        status: attendee.status,
        revision: attendee.revision,
        createdAt: attendee.createdAt.toISOString(),
        updatedAt: attendee.updatedAt.toISOString(),
        erasedAt: attendee.erasedAt?.toISOString() ?? null,
      },
      signups: signups.map((s) => ({ ...s, since: s.since.toISOString() })),
      attendance: attendance[0] ?? null,
      changes: changes.map((c) => ({ type: c.type, at: c.at.toISOString(), snapshot: c.attendee })),
      auditEntries: audit,
    };
  }

  /** Another service's part, asked for with the caller's token; its refusal is passed on. */
  private async part(service: 'badges' | 'checkin', path: string, authorization: string) {
    let response: Response;
    try {
      response = await fetch(`${this.parts[service]}${path}`, {
        headers: { authorization },
        signal: AbortSignal.timeout(PART_TIMEOUT_MS),
      });
    } catch {
      throw new ServiceUnavailableException(
        `The ${service} service did not answer; the document would be incomplete. Try again later`,
      );
    }
    if (response.status === 404) return null;
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status === 401 || response.status === 403) {
      throw new HttpException(body, response.status);
    }
    if (!response.ok) {
      throw new ServiceUnavailableException(
        `The ${service} service answered ${response.status}; the document would be incomplete`,
      );
    }
    return body;
  }
}
