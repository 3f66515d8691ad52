import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Param,
  Post,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse } from '@nestjs/swagger';
import { answer, FILE_SCHEMA } from '@einlass/contracts';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AuditTrail, CurrentPrincipal, Principal } from '@einlass/auth';
import { XLSX_CONTENT_TYPE } from '../configure-app';
import { EventsRepository } from '../events/events.repository';
import { ImportAttendees, ImportResult } from './import-attendees.command';

@Controller('api/events/:slug/attendees/import')
export class ImportsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly events: EventsRepository,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * An attendee list as `text/csv` (UTF-8 or Windows-1252, comma or semicolon, English or German
   * headers) or as an Excel workbook (.xlsx), upserted by external id. 200 with what was created,
   * updated, unchanged and rejected.
   */
  @ApiConsumes('text/csv', XLSX_CONTENT_TYPE)
  @ApiBody({ schema: FILE_SCHEMA })
  @ApiOkResponse({ schema: answer('AttendeeImport') })
  @Post()
  @HttpCode(200)
  async import(
    @Param('slug') slug: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Headers('x-file-name') fileName?: string,
  ): Promise<ImportResult> {
    if (!Buffer.isBuffer(body)) {
      throw new UnsupportedMediaTypeException(
        'Send the attendee list as text/csv or as an Excel workbook (.xlsx)',
      );
    }
    const result = await this.commandBus.execute(new ImportAttendees(slug, body));
    const event = await this.events.bySlugOrFail(slug);
    await AuditTrail.recordAlone(this.dataSource, 'registration', principal, {
      eventId: event.id,
      action: 'attendees.imported',
      details: {
        fileName: uploadedFileName(fileName),
        bytes: body.length,
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected: result.rejected.length,
      },
    });
    return result;
  }
}

/** The file name the page sends (`X-File-Name`, URI-encoded), for the audit log. */
function uploadedFileName(header: string | undefined): string {
  if (!header) return '';
  try {
    return decodeURIComponent(header).slice(0, 200);
  } catch {
    return header.slice(0, 200);
  }
}
