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
  UseGuards,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { ApiBody, ApiOkResponse, PickType } from '@nestjs/swagger';
import { answer, answers } from '@einlass/contracts';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@einlass/auth';
import { FastParseArrayPipe } from '@einlass/bootstrap';
import { scanObserved } from '@einlass/metrics';
import { CheckinEvents } from './checkin-events';
import { CheckinLogQuery } from './checkin-log.query';
import { CheckInManually, RecordQueuedScans, RecordScan, ScanAnswer } from './record-scan.command';
import { ScanRateGuard } from './scan-rate.guard';
import { ScanSnapshotQuery } from './scan-snapshot.query';
import { ScanDto } from './scan.dto';

/** An offline device's queue is sent in one call; this many scans at most. */
const MAX_QUEUED_SCANS = 1000;

/** Gate and list of a manual check-in, with the same rules as a scan's. */
export class ManualCheckinDto extends PickType(ScanDto, ['gate', 'list'] as const) {}

export class LogPageDto {
  @IsOptional()
  @IsString()
  @MaxLength(20)
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  /** Only this person's scans. */
  @IsOptional()
  @IsUUID('all')
  attendeeId?: string;
}

@Controller('api/events/:slug')
export class ScanningController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly events: CheckinEvents,
    private readonly snapshots: ScanSnapshotQuery,
    private readonly log: CheckinLogQuery,
  ) {}

  /** A badge scanned at a door: 200 with the answer, whatever the badge (API.md, Check-in). */
  @ApiOkResponse({ schema: answer('ScanAnswer') })
  @Post('scan')
  @HttpCode(200)
  @Roles('organiser', 'door')
  @UseGuards(ScanRateGuard)
  scan(
    @Param('slug') slug: string,
    @Body() body: ScanDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ScanAnswer> {
    const started = performance.now();
    return this.commandBus
      .execute(new RecordScan(slug, body, principal))
      .then(scanObserved(body, started));
  }

  /**
   * An offline device's queued scans: recorded earliest first (the earliest admission of a badge
   * wins), answered in the order sent.
   */
  @ApiBody({ type: ScanDto, isArray: true })
  @ApiOkResponse({ schema: answers('ScanAnswer') })
  @Post('scans')
  @HttpCode(200)
  @Roles('organiser', 'door')
  @UseGuards(ScanRateGuard)
  async scans(
    @Param('slug') slug: string,
    @Body(new FastParseArrayPipe({ items: ScanDto, whitelist: true, forbidNonWhitelisted: true }))
    body: ScanDto[],
    @CurrentPrincipal() principal: Principal,
  ): Promise<ScanAnswer[]> {
    if (body.length > MAX_QUEUED_SCANS) {
      throw new BadRequestException([`send at most ${MAX_QUEUED_SCANS} scans at once`]);
    }
    const order = body.map((scan, index) => ({ scan, index }));
    order.sort(
      (a, b) =>
        (a.scan.scannedAt ?? '9999').localeCompare(b.scan.scannedAt ?? '9999') || a.index - b.index,
    );
    const started = performance.now();
    const recorded = await this.commandBus.execute(
      new RecordQueuedScans(
        slug,
        order.map(({ scan }) => scan),
        principal,
      ),
    );
    const answers: ScanAnswer[] = new Array<ScanAnswer>(body.length);
    // Every queued scan counts, its time being the whole queue's (it was answered with it).
    order.forEach(
      ({ scan, index }, k) => (answers[index] = scanObserved(scan, started)(recorded[k])),
    );
    return answers;
  }

  /** Checks someone in without their badge (lost at the hotel): answered like a scan. */
  @ApiOkResponse({ schema: answer('ScanAnswer') })
  @Post('attendees/:id/checkin')
  @HttpCode(200)
  @Roles('organiser', 'door')
  @UseGuards(ScanRateGuard)
  checkin(
    @Param('slug') slug: string,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Body() body: ManualCheckinDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ScanAnswer> {
    const started = performance.now();
    return this.commandBus
      .execute(new CheckInManually(slug, id, body, principal))
      .then(scanObserved(body, started));
  }

  @ApiOkResponse({ schema: answer('ScanSnapshot') })
  @Get('scan-snapshot')
  @Roles('organiser', 'door')
  async snapshot(@Param('slug') slug: string) {
    return this.snapshots.forEvent(await this.events.bySlugOrFail(slug));
  }

  /** The check-in log (organisers only): every scan with time, gate, list, device and result. */
  @ApiOkResponse({ schema: answer('CheckinLogPage') })
  @Get('checkins')
  async checkins(@Param('slug') slug: string, @Query() query: LogPageDto) {
    const event = await this.events.bySlugOrFail(slug);
    return this.log.page(event.id, query.cursor, query.limit ?? 100, query.attendeeId);
  }
}
