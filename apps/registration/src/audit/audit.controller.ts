import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { answer, FILE_SCHEMA } from '@einlass/contracts';
import { EventsRepository } from '../events/events.repository';
import { AuditLogQuery } from './audit-log.query';
import { ListAuditDto } from './list-audit.dto';

/** The audit log of an event (organisers; a token limited to other events gets a 403). */
@Controller('api/events/:slug')
export class AuditController {
  constructor(
    private readonly events: EventsRepository,
    private readonly query: AuditLogQuery,
  ) {}

  /** Newest first, a page at a time (`nextCursor`). */
  @ApiOkResponse({ schema: answer('AuditPage') })
  @Get('audit')
  async page(@Param('slug') slug: string, @Query() query: ListAuditDto) {
    const event = await this.events.bySlugOrFail(slug);
    return this.query.page(event, query.limit ?? 100, query.cursor);
  }

  /** The whole log as CSV for Excel, oldest first. */
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: FILE_SCHEMA })
  @Get('audit.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  async csv(@Param('slug') slug: string) {
    const event = await this.events.bySlugOrFail(slug);
    return this.query.csv(event);
  }
}
