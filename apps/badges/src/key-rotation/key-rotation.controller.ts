import {
  BadRequestException,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  PipeTransform,
  Post,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AuditTrail, CurrentPrincipal, Principal } from '@einlass/auth';
import type { PrintAffectedAnswer } from '@einlass/contracts';
import { BadgeEvent } from '../events/badge-event.entity';
import { signingKeysOf, type SigningKeyView } from '../issuing/signing-keys';
import { PrintJob } from '../print-jobs/print-job.entity';
import { PrintJobsService } from '../print-jobs/print-jobs.service';
import {
  ReissueRetiredKeyBadges,
  RetireSigningKey,
  RotateSigningKey,
} from './signing-key-commands';

/** A key id as tokens carry it: 8 hex digits; anything else is a 400. */
class ParseKeyIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[0-9a-f]{8}$/.test(value)) {
      throw new BadRequestException([
        `keyId must be 8 hexadecimal digits (as listed), not "${value}"`,
      ]);
    }
    return value;
  }
}

/**
 * An event's badge signing keys, for replacing a leaked one (organisers of the event only):
 * rotate, list, retire, and re-issue and print the badges of retired keys.
 */
@Controller('api/events/:slug/signing-keys')
export class KeyRotationController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly commandBus: CommandBus,
    private readonly printJobs: PrintJobsService,
  ) {}

  @Get()
  async list(@Param('slug') slug: string): Promise<SigningKeyView[]> {
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    return signingKeysOf(this.dataSource.manager, event.id);
  }

  @Post('rotate')
  @HttpCode(201)
  rotate(@Param('slug') slug: string): Promise<SigningKeyView> {
    return this.commandBus.execute(new RotateSigningKey(slug));
  }

  @Delete(':keyId')
  retire(
    @Param('slug') slug: string,
    @Param('keyId', new ParseKeyIdPipe()) keyId: string,
  ): Promise<SigningKeyView> {
    return this.commandBus.execute(new RetireSigningKey(slug, keyId));
  }

  /**
   * One click after a retirement: re-issues every current badge signed with a retired key and
   * starts a print job of exactly those. 409 when there is none.
   */
  @Post('print-affected')
  @HttpCode(202)
  async printAffected(
    @Param('slug') slug: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PrintAffectedAnswer> {
    const ids = await this.commandBus.execute(new ReissueRetiredKeyBadges(slug));
    if (ids.length === 0) {
      throw new ConflictException(
        'No current badge is signed with a retired key: nothing to re-issue or print',
      );
    }
    const { id } = await this.printJobs.create(slug, { filter: { ids } });
    const job = await this.dataSource.getRepository(PrintJob).findOneByOrFail({ id });
    await AuditTrail.recordAlone(this.dataSource, 'badges', principal, {
      eventId: job.eventId,
      action: 'print_job.created',
      details: { printJobId: job.id, layout: job.layout, sort: job.sort, badges: job.total },
    });
    return { reissued: ids.length, printJobId: id };
  }
}
