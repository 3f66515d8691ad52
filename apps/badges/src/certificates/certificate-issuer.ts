import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { type Environment, serviceScheme } from '@einlass/config';
import type { CertificateCheck } from '@einlass/contracts';
import {
  decodeCertificateCode,
  privateKeyFrom,
  publicKeyFrom,
  signCertificateCode,
  verifyCertificateCode,
} from '@einlass/tickets';
import { EventBranding } from '../branding/event-branding.entity';
import type { BadgeEvent } from '../events/badge-event.entity';
import { Badge } from '../issuing/badge.entity';
import { activeSigningKey } from '../issuing/signing-keys';
import { type AttendanceRule, attendedSessions } from './attended-sessions';
import { CertificateAttendance } from './certificate-attendance';
import type { CertificateContent } from './certificate-renderer';
import { Certificate, type CertificateLanguage } from './certificate.entity';

/** How certificates are made: language, the rule for sessions without a door list, the issuer. */
export interface CertificateOptions {
  language: CertificateLanguage;
  rule: AttendanceRule;
  issuer: string | null;
}

const NOT_GENUINE: Record<Extract<CertificateCheck, { genuine: false }>['reason'], string> = {
  malformed: 'Not a certificate code of this system',
  tampered: 'Not genuine: the code was altered or not signed by the organiser',
  unknown: 'Not genuine: no such certificate was issued',
  revoked: 'No longer valid: this certificate was withdrawn (the person’s data was erased)',
};

export const holderName = (attendee: Badge['attendee']) =>
  [attendee.title, attendee.firstName, attendee.lastName].filter(Boolean).join(' ');

/**
 * Issues certificates (one row per person and event, signed with the event's key; issuing again
 * refreshes it under the same id and code) and checks their codes.
 */
@Injectable()
export class CertificateIssuer {
  constructor(private readonly config: ConfigService<Environment, true>) {}

  /** The options asked for, with the event's defaults: German unless its badges are English. */
  async options(
    manager: EntityManager,
    eventId: string,
    asked: Partial<CertificateOptions>,
  ): Promise<CertificateOptions> {
    const branding = await manager.getRepository(EventBranding).findOneBy({ eventId });
    return {
      language: asked.language ?? (branding?.labels === 'en' ? 'en' : 'de'),
      rule: asked.rule ?? 'door_lists',
      issuer: asked.issuer?.trim() || null,
    };
  }

  /**
   * Issues the certificates of these people (in this order; those without a badge or erased are
   * left out) and answers what each prints.
   */
  async issue(
    manager: EntityManager,
    event: BadgeEvent,
    attendeeIds: string[],
    options: CertificateOptions,
  ): Promise<CertificateContent[]> {
    const key = await activeSigningKey(manager, event.id);
    const privateKey = privateKeyFrom(key.privateKey);
    const { programme, sessionsWithDoorList } = await CertificateAttendance.programme(
      manager,
      event.id,
    );
    const admissions = await CertificateAttendance.admissions(manager, event.id, attendeeIds);
    const badges = await manager
      .getRepository(Badge)
      .createQueryBuilder('b')
      .where('b.id = ANY(:ids::uuid[])', { ids: attendeeIds })
      .andWhere('b.event_id = :eventId', { eventId: event.id })
      .andWhere('b.erased_at IS NULL')
      .getMany();
    const byId = new Map(badges.map((badge) => [badge.id, badge]));
    const branding = await manager.getRepository(EventBranding).findOneBy({ eventId: event.id });
    const issuedAt = new Date();
    const contents: CertificateContent[] = [];
    for (const attendeeId of attendeeIds) {
      const badge = byId.get(attendeeId);
      if (!badge) continue;
      const sessions = attendedSessions({
        programme,
        sessionsWithDoorList,
        admissions: admissions.get(attendeeId) ?? [],
        timezone: event.timezone,
        rule: options.rule,
      });
      const existing = await manager
        .getRepository(Certificate)
        .findOneBy({ eventId: event.id, attendeeId });
      const id = existing?.id ?? randomUUID();
      const code =
        existing && existing.keyId === key.keyId
          ? existing.code
          : signCertificateCode(
              { keyId: key.keyId, eventId: event.id, certificateId: id },
              privateKey,
            );
      const name = holderName(badge.attendee);
      await manager.query(
        `INSERT INTO certificates (id, event_id, attendee_id, key_id, code, language, rule, issuer,
                                   holder_name, sessions, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (event_id, attendee_id) DO UPDATE SET key_id = $4, code = $5, language = $6,
           rule = $7, issuer = $8, holder_name = $9, sessions = $10, issued_at = $11, erased_at = NULL`,
        [
          id,
          event.id,
          attendeeId,
          key.keyId,
          code,
          options.language,
          options.rule,
          options.issuer,
          name,
          JSON.stringify(sessions),
          issuedAt,
        ],
      );
      contents.push({
        language: options.language,
        holderName: name,
        eventName: event.name,
        venue: event.venue,
        timezone: event.timezone,
        startsAt: event.startsAt,
        endsAt: event.endsAt,
        sessions,
        issuer: options.issuer,
        issuedAt,
        logo: branding?.logo ?? null,
        verifyUrl: this.verifyUrl(code),
      });
    }
    return contents;
  }

  /** The address a certificate's QR code holds: check-in's public /verify page. */
  verifyUrl(code: string): string {
    const base =
      this.config.get('CHECKIN_PUBLIC_URL', { infer: true }) ??
      `${serviceScheme({ TLS_CERT_FILE: this.config.get('TLS_CERT_FILE', { infer: true }) })}://localhost:${this.config.get('CHECKIN_PORT', { infer: true })}`;
    return `${base.replace(/\/$/, '')}/verify?c=${code}`;
  }

  /** Checks a code (or the whole /verify address): genuine, or why not. Never throws for input. */
  async check(manager: EntityManager, text: string): Promise<CertificateCheck> {
    const code = codeOf(text);
    // The key the code names (a code that names none is malformed, answered below).
    let keyId = '';
    try {
      keyId = decodeCertificateCode(code).claims.keyId;
    } catch {
      // verifyCertificateCode says why
    }
    const [key] = await manager.query<{ public_key: string }[]>(
      `SELECT public_key FROM signing_keys WHERE key_id = $1`,
      [keyId],
    );
    const verification = verifyCertificateCode(code, (id) =>
      key && id === keyId ? publicKeyFrom(key.public_key) : undefined,
    );
    if (!verification.valid) {
      const reason = verification.reason === 'malformed' ? 'malformed' : 'tampered';
      return { genuine: false, reason, message: NOT_GENUINE[reason] };
    }
    const certificate = await manager
      .getRepository(Certificate)
      .findOneBy({ id: verification.claims.certificateId });
    const event = await manager.query<
      { name: string; starts_at: Date; ends_at: Date; venue: string | null; timezone: string }[]
    >(`SELECT name, starts_at, ends_at, venue, timezone FROM events WHERE id = $1`, [
      verification.claims.eventId,
    ]);
    if (!certificate || certificate.eventId !== verification.claims.eventId || !event[0]) {
      return { genuine: false, reason: 'unknown', message: NOT_GENUINE.unknown };
    }
    if (certificate.erasedAt) {
      return { genuine: false, reason: 'revoked', message: NOT_GENUINE.revoked };
    }
    return {
      genuine: true,
      event: {
        name: event[0].name,
        startsAt: event[0].starts_at.toISOString(),
        endsAt: event[0].ends_at.toISOString(),
        venue: event[0].venue,
        timezone: event[0].timezone,
      },
      name: certificate.holderName,
      sessionsAttended: certificate.sessions.length,
      issuedAt: certificate.issuedAt.toISOString(),
    };
  }
}

/** The code from a scanned text: the code itself, or the `c` parameter of a /verify address. */
function codeOf(text: string): string {
  const trimmed = text.trim();
  const match = /[?&]c=([^&#\s]+)/i.exec(trimmed);
  if (!match) return trimmed;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}
