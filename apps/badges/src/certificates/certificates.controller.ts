import { ApiAcceptedResponse, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { answer, answers, FILE_SCHEMA } from '@einlass/contracts';
import {
  BadRequestException,
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
import { DataSource } from 'typeorm';
import { AuditTrail, CurrentPrincipal, Principal, Public } from '@einlass/auth';
import type { CertificateCheck, CertificateJobView } from '@einlass/contracts';
import { CertificateOptionsDto, CreateCertificateJobDto } from './certificate-options.dto';
import { CertificatesService } from './certificates.service';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/** Attendance certificates: per person, in batches (organisers), and their public check. */
@Controller('api')
export class CertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly dataSource: DataSource,
  ) {}

  /** One person's certificate as a PDF, issued now (again: same code, fresh content). */
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: FILE_SCHEMA })
  @Post('events/:slug/attendees/:id/certificate')
  @HttpCode(200)
  async forPerson(
    @Param('slug') slug: string,
    @Param('id', uuid) id: string,
    @Body() body: CertificateOptionsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    const { pdf, eventId, sessions } = await this.certificates.forPerson(slug, id, body);
    await AuditTrail.recordAlone(this.dataSource, 'badges', principal, {
      eventId,
      action: 'certificate.issued',
      attendeeId: id,
      details: { sessions },
    });
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `attachment; filename="certificate-${id}.pdf"`,
    });
  }

  @ApiAcceptedResponse({ schema: answer('CertificateJobAccepted') })
  @Post('events/:slug/certificate-jobs')
  @HttpCode(202)
  async createJob(
    @Param('slug') slug: string,
    @Body() body: CreateCertificateJobDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ id: string }> {
    const job = await this.certificates.createJob(slug, body);
    await AuditTrail.recordAlone(this.dataSource, 'badges', principal, {
      eventId: job.eventId,
      action: 'certificate_job.created',
      details: { certificateJobId: job.id, format: job.format, people: job.total },
    });
    return { id: job.id };
  }

  @ApiOkResponse({ schema: answers('CertificateJob') })
  @Get('events/:slug/certificate-jobs')
  listJobs(@Param('slug') slug: string): Promise<CertificateJobView[]> {
    return this.certificates.listJobs(slug);
  }

  @ApiOkResponse({ schema: answer('CertificateJob') })
  @Get('certificate-jobs/:id')
  viewJob(
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CertificateJobView> {
    return this.certificates.viewJob(id, principal);
  }

  @ApiProduces('application/pdf', 'application/zip')
  @ApiOkResponse({ schema: FILE_SCHEMA })
  @Get('certificate-jobs/:id/file')
  async jobFile(
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    const { file, job } = await this.certificates.jobFile(id, principal);
    await AuditTrail.recordAlone(this.dataSource, 'badges', principal, {
      eventId: job.eventId,
      action: 'certificate_job.downloaded',
      details: { certificateJobId: job.id, format: job.format, people: job.total },
    });
    return file;
  }

  /**
   * Public: whether a certificate's code (or its whole /verify address) is genuine. Always 200
   * with `genuine` true or false for a code of any shape; 400 only without one.
   */
  @ApiOkResponse({ schema: answer('CertificateCheck') })
  @Get('certificates/verify')
  @Public()
  verify(@Query('code') code: unknown): Promise<CertificateCheck> {
    if (typeof code !== 'string' || code.trim() === '' || code.length > 2000) {
      throw new BadRequestException('code must be the text of a certificate’s QR code');
    }
    return this.certificates.check(code);
  }
}
