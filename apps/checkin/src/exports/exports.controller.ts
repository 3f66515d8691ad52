import { AuditTrail, CurrentPrincipal, Principal } from '@einlass/auth';
import { Controller, Get, NotFoundException, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { FILE_SCHEMA } from '@einlass/contracts';
import { IsIn, IsOptional } from 'class-validator';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { CheckinSession } from '../read-model/read-model.entities';
import { CheckinEvents } from '../scanning/checkin-events';
import { CSV_DELIMITERS, CsvDelimiter, CsvWriter } from './csv-writer';
import { ExportRows, ExportTable } from './export-rows';

export class ExportOptionsDto {
  /** `semicolon` for a German Excel, which splits CSV at `;`. */
  @IsOptional()
  @IsIn(Object.keys(CSV_DELIMITERS), { message: 'delimiter must be comma or semicolon' })
  delimiter?: CsvDelimiter;
}

/** Only letters, digits, dot, dash and underscore in a file name the browser is told. */
const fileName = (...parts: string[]) => `${parts.join('-').replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;

/**
 * The organisers' CSV exports (API.md, Check-in): attendance, the check-in log and a session's
 * list, streamed to the client batch by batch. Organisers only (the default role).
 */
@Controller('api/events/:slug')
export class ExportsController {
  constructor(
    private readonly events: CheckinEvents,
    private readonly rows: ExportRows,
    private readonly dataSource: DataSource,
  ) {}

  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: FILE_SCHEMA })
  @Get('exports/attendance.csv')
  async attendance(
    @Param('slug') slug: string,
    @Query() query: ExportOptionsDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const event = await this.events.bySlugOrFail(slug);
    await this.audit(
      principal,
      event.id,
      'attendance',
      `SELECT count(*)::int AS rows FROM attendees WHERE event_id = $1`,
      [event.id],
    );
    return csvFile(this.rows.attendance(event.id), query, fileName(event.slug, 'attendance'));
  }

  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: FILE_SCHEMA })
  @Get('exports/checkins.csv')
  async checkins(
    @Param('slug') slug: string,
    @Query() query: ExportOptionsDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const event = await this.events.bySlugOrFail(slug);
    await this.audit(
      principal,
      event.id,
      'checkins',
      `SELECT count(*)::int AS rows FROM scans WHERE event_id = $1`,
      [event.id],
    );
    return csvFile(this.rows.checkins(event.id), query, fileName(event.slug, 'checkins'));
  }

  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: FILE_SCHEMA })
  @Get('sessions/:code/attendance.csv')
  async session(
    @Param('slug') slug: string,
    @Param('code') code: string,
    @Query() query: ExportOptionsDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const event = await this.events.bySlugOrFail(slug);
    const session = await this.dataSource
      .getRepository(CheckinSession)
      .findOneBy({ eventId: event.id, code });
    if (!session) throw new NotFoundException(`No session "${code}" in event "${slug}"`);
    await this.audit(
      principal,
      event.id,
      `session ${session.code}`,
      `SELECT count(*)::int AS rows FROM presence WHERE event_id = $1 AND list = $2`,
      [event.id, session.code],
    );
    return csvFile(
      this.rows.session(event.id, session.code),
      query,
      fileName(event.slug, session.code, 'attendance'),
    );
  }
  /** Which export, and how many rows it holds as it starts (audit log; never the rows). */
  private async audit(
    principal: Principal,
    eventId: string,
    kind: string,
    countSql: string,
    parameters: unknown[],
  ) {
    const [{ rows }] = await this.dataSource.query<{ rows: number }[]>(countSql, parameters);
    await AuditTrail.recordAlone(this.dataSource, 'checkin', principal, {
      eventId,
      action: 'export.downloaded',
      details: { export: kind, rows },
    });
  }
}

function csvFile(table: ExportTable, options: ExportOptionsDto, name: string): StreamableFile {
  const writer = new CsvWriter(options.delimiter ?? 'comma');
  async function* chunks() {
    yield Buffer.from(writer.start(table.header), 'utf8');
    for await (const batch of table.batches) {
      yield Buffer.from(writer.rows(batch), 'utf8');
    }
  }
  return new StreamableFile(Readable.from(chunks(), { objectMode: false }), {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${name}"`,
  });
}
