import { DataSource } from 'typeorm';
import { AuditAction, AuditTrail, CurrentPrincipal, Principal } from '@einlass/auth';
import { PrintJob } from './print-job.entity';
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
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { answer, answers, FILE_SCHEMA } from '@einlass/contracts';
import { CreatePrintJobDto } from './create-print-job.dto';
import { ListPrintJobsDto } from './list-print-jobs.dto';
import { PrintJobsService, type PrintJobView } from './print-jobs.service';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/** Batch printing: many badges as one PDF, rendered in the background. Organisers only. */
@Controller('api')
export class PrintJobsController {
  constructor(
    private readonly printJobs: PrintJobsService,
    private readonly dataSource: DataSource,
  ) {}

  @ApiAcceptedResponse({ schema: answer('PrintJobAccepted') })
  @Post('events/:slug/print-jobs')
  @HttpCode(202)
  async create(
    @Param('slug') slug: string,
    @Body() body: CreatePrintJobDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ id: string }> {
    const created = await this.printJobs.create(slug, body);
    await this.audit(principal, created.id, 'print_job.created');
    return created;
  }

  /** The event's print jobs, newest first, so a page can show earlier ones after a reload. */
  @ApiOkResponse({ schema: answers('PrintJob') })
  @Get('events/:slug/print-jobs')
  list(@Param('slug') slug: string, @Query() query: ListPrintJobsDto): Promise<PrintJobView[]> {
    return this.printJobs.list(slug, query.limit ?? 50);
  }

  @ApiOkResponse({ schema: answer('PrintJob') })
  @Get('print-jobs/:id')
  view(
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PrintJobView> {
    return this.printJobs.view(id, principal);
  }

  /** A job of an event outside the token's is a 404, as if it did not exist (access.ts). */
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: FILE_SCHEMA })
  @Get('print-jobs/:id/file')
  async file(
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    const file = await this.printJobs.file(id, principal);
    await this.audit(principal, id, 'print_job.downloaded');
    return file;
  }

  /** The job, its layout and how many badges it holds (audit log; never who is on them). */
  private async audit(principal: Principal, id: string, action: AuditAction) {
    const job = await this.dataSource.getRepository(PrintJob).findOneByOrFail({ id });
    await AuditTrail.recordAlone(this.dataSource, 'badges', principal, {
      eventId: job.eventId,
      action,
      details: { printJobId: job.id, layout: job.layout, sort: job.sort, badges: job.total },
    });
  }
}
