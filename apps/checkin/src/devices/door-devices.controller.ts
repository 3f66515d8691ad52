import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@einlass/auth';
import { answer, answers, type Direction } from '@einlass/contracts';
import { CheckinEvents } from '../scanning/checkin-events';
import { DoorDevices } from './door-devices';

export class DeviceReportDto {
  @IsString()
  @Matches(/^[\w.:-]{1,64}$/, { message: 'deviceId must be 1 to 64 letters, digits or "_.:-"' })
  deviceId!: string;

  @IsString()
  @Matches(/^[\p{L}\p{N} _.-]{1,64}$/u, {
    message: 'gate must be a short name (letters, digits, " _.-")',
  })
  gate!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'list must be main or a session code' })
  list!: string;

  @IsIn(['in', 'out'], { message: 'direction must be in or out' })
  direction!: Direction;

  /** Scans decided offline, not yet sent. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  queued!: number;

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  conflicts!: number;

  /** The device's clock as it sends the report (ISO 8601). */
  @Type(() => Date)
  @IsDate({ message: 'clock must be an ISO 8601 date and time' })
  clock!: Date;

  @IsOptional()
  @IsString()
  @Matches(/^[\w.+-]{1,40}$/, { message: 'version must be a short version name' })
  version?: string;
}

/**
 * The event's door devices on the day: each scanner reports itself with every sync (queue, clock,
 * gate); organisers see them all, with the devices known only from the scan log.
 */
@Controller('api/events/:slug/devices')
export class DoorDevicesController {
  constructor(
    private readonly events: CheckinEvents,
    private readonly devices: DoorDevices,
  ) {}

  @ApiOkResponse({ schema: answer('DeviceReportAnswer') })
  @Post('report')
  @HttpCode(200)
  @Roles('organiser', 'door')
  async report(
    @Param('slug') slug: string,
    @Body() body: DeviceReportDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const event = await this.events.bySlugOrFail(slug);
    return this.devices.report(event.id, principal.tokenId, {
      deviceId: body.deviceId,
      gate: body.gate,
      list: body.list,
      direction: body.direction,
      queued: body.queued,
      conflicts: body.conflicts,
      clock: body.clock,
      version: body.version ?? null,
    });
  }

  @ApiOkResponse({ schema: answers('DoorDevice') })
  @Get()
  @Roles('organiser')
  async list(@Param('slug') slug: string) {
    return this.devices.of((await this.events.bySlugOrFail(slug)).id);
  }
}
