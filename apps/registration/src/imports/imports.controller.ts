import {
  Body,
  Controller,
  HttpCode,
  Param,
  Post,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ImportAttendees, ImportResult } from './import-attendees.command';

@Controller('api/events/:slug/attendees/import')
export class ImportsController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * An attendee list as `text/csv` (UTF-8 or Windows-1252, comma or semicolon, English or German
   * headers) or as an Excel workbook (.xlsx), upserted by external id. 200 with what was created,
   * updated, unchanged and rejected.
   */
  @Post()
  @HttpCode(200)
  import(@Param('slug') slug: string, @Body() body: unknown): Promise<ImportResult> {
    if (!Buffer.isBuffer(body)) {
      throw new UnsupportedMediaTypeException(
        'Send the attendee list as text/csv or as an Excel workbook (.xlsx)',
      );
    }
    return this.commandBus.execute(new ImportAttendees(slug, body));
  }
}
