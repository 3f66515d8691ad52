import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { answer } from '@einlass/contracts';
import { DataSource } from 'typeorm';
import { Certificate } from '../certificates/certificate.entity';
import { BadgeEvent } from '../events/badge-event.entity';
import { Badge } from '../issuing/badge.entity';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/**
 * The badges service's part of a person's personal-data document (Art. 15 GDPR), which
 * registration gathers with the caller's token (organisers only, the token's events checked here
 * too): the badge as it is, every version issued with what it printed, the print jobs that
 * printed it, the attendance certificate issued and the certificate jobs that hold it. Never the
 * signing key.
 */
@Controller('api/events/:slug/attendees/:id/personal-data')
export class BadgesPersonalDataController {
  constructor(private readonly dataSource: DataSource) {}

  @ApiOkResponse({ schema: answer('PersonalDataPart') })
  @Get()
  async part(@Param('slug') slug: string, @Param('id', uuid) id: string) {
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    const badge = await this.dataSource.getRepository(Badge).findOneBy({ id, eventId: event.id });
    const versions = await this.dataSource.query<
      { version: number; issued_at: string; printed: Record<string, unknown> }[]
    >(
      `SELECT (payload->'badge'->>'version')::int AS version, payload->'badge'->>'issuedAt' AS issued_at,
              jsonb_build_object('title', payload->'attendee'->'title',
                'firstName', payload->'attendee'->'firstName', 'lastName', payload->'attendee'->'lastName',
                'organisation', payload->'attendee'->'organisation',
                'category', payload->'attendee'->'category') AS printed
         FROM outbox WHERE type = 'badge.issued' AND payload->'badge'->>'id' = $1
          AND payload->'event'->>'id' = $2
        ORDER BY id`,
      [id, event.id],
    );
    const printJobs = await this.dataSource.query<
      {
        id: string;
        layout: string;
        status: string;
        created_at: Date;
        finished_at: Date | null;
        file_erased_at: Date | null;
      }[]
    >(
      `SELECT id, layout, status, created_at, finished_at, file_erased_at FROM print_jobs
        WHERE event_id = $1 AND $2::uuid = ANY(badge_ids) ORDER BY created_at`,
      [event.id, id],
    );
    const certificate = await this.dataSource
      .getRepository(Certificate)
      .findOneBy({ eventId: event.id, attendeeId: id });
    const certificateJobs = await this.dataSource.query<
      {
        id: string;
        format: string;
        status: string;
        created_at: Date;
        file_erased_at: Date | null;
      }[]
    >(
      `SELECT id, format, status, created_at, file_erased_at FROM certificate_jobs
        WHERE event_id = $1 AND $2::uuid = ANY(attendee_ids) ORDER BY created_at`,
      [event.id, id],
    );
    if (!badge && versions.length === 0) {
      throw new NotFoundException(`The badges service holds nothing about ${id} in "${slug}"`);
    }
    return {
      badge: badge && {
        status: badge.status,
        version: badge.version,
        keyId: badge.keyId,
        qr: badge.qr,
        issuedAt: badge.issuedAt.toISOString(),
        printedAt: badge.printedAt?.toISOString() ?? null,
        erasedAt: badge.erasedAt?.toISOString() ?? null,
        printed: {
          title: badge.attendee.title,
          firstName: badge.attendee.firstName,
          lastName: badge.attendee.lastName,
          organisation: badge.attendee.organisation,
          category: badge.attendee.category,
        },
      },
      versionsIssued: versions.map((v) => ({
        version: v.version,
        issuedAt: v.issued_at,
        printed: v.printed,
      })),
      printJobs: printJobs.map((job) => ({
        id: job.id,
        layout: job.layout,
        status: job.status,
        createdAt: job.created_at.toISOString(),
        finishedAt: job.finished_at?.toISOString() ?? null,
        fileDeletedAt: job.file_erased_at?.toISOString() ?? null,
      })),
      certificate: certificate && {
        id: certificate.id,
        name: certificate.holderName,
        sessions: certificate.sessions,
        language: certificate.language,
        issuer: certificate.issuer,
        issuedAt: certificate.issuedAt.toISOString(),
        erasedAt: certificate.erasedAt?.toISOString() ?? null,
      },
      certificateJobs: certificateJobs.map((job) => ({
        id: job.id,
        format: job.format,
        status: job.status,
        createdAt: job.created_at.toISOString(),
        fileDeletedAt: job.file_erased_at?.toISOString() ?? null,
      })),
    };
  }
}
