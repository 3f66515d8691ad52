import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@einlass/auth';
import { CreatePrintJobDto } from './create-print-job.dto';
import { ListPrintJobsDto } from './list-print-jobs.dto';
import { PrintJobsService, type PrintJobView } from './print-jobs.service';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/** Batch printing: many badges as one PDF, rendered in the background. Organisers only. */
@Controller('api')
export class PrintJobsController {
  constructor(private readonly printJobs: PrintJobsService) {}

  @Post('events/:slug/print-jobs')
  @HttpCode(202)
  create(@Param('slug') slug: string, @Body() body: CreatePrintJobDto): Promise<{ id: string }> {
    return this.printJobs.create(slug, body);
  }

  /** The event's print jobs, newest first, so a page can show earlier ones after a reload. */
  @Get('events/:slug/print-jobs')
  list(@Param('slug') slug: string, @Query() query: ListPrintJobsDto): Promise<PrintJobView[]> {
    return this.printJobs.list(slug, query.limit ?? 50);
  }

  @Get('print-jobs/:id')
  view(
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PrintJobView> {
    return this.printJobs.view(id, principal);
  }

  @Get('print-jobs/:id/file')
  /** A job of an event outside the token's is a 404, as if it did not exist (access.ts). */
  file(
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    return this.printJobs.file(id, principal);
  }
}
