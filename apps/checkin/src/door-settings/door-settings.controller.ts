import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { answer } from '@einlass/contracts';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, Matches, ValidateIf } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuditTrail, CurrentPrincipal, Principal, Roles } from '@einlass/auth';
import { CheckinEvents } from '../scanning/checkin-events';
import { type DoorSettings, DoorSettingsStore } from './door-settings';

export class DoorSettingsDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(/^[\p{L}\p{N} _.-]{1,64}$/u, { each: true, message: 'each gate must be a short name' })
  gates?: string[];

  // Absent: unchanged; anything else must be a boolean (null too: @IsOptional would let it pass).
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  devicesHoldNames?: boolean;

  /** Door tokens may re-issue a badge and fetch its PDF (the scanner page's "Print badge"). */
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  devicesMayPrint?: boolean;
}

/**
 * How the doors of an event work: its gates, what devices may keep offline, and whether they may
 * print a badge.
 */
@Controller('api/events/:slug/door-settings')
export class DoorSettingsController {
  constructor(
    private readonly events: CheckinEvents,
    private readonly settings: DoorSettingsStore,
    private readonly dataSource: DataSource,
  ) {}

  @ApiOkResponse({ schema: answer('DoorSettings') })
  @Get()
  @Roles('organiser', 'door')
  async get(@Param('slug') slug: string) {
    return this.settings.of((await this.events.bySlugOrFail(slug)).id);
  }

  @ApiOkResponse({ schema: answer('DoorSettings') })
  @Put()
  async put(
    @Param('slug') slug: string,
    @Body() body: DoorSettingsDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const event = await this.events.bySlugOrFail(slug);
    const change: Partial<DoorSettings> = {
      ...(body.gates ? { gates: [...new Set(body.gates)] } : {}),
      ...(body.devicesHoldNames !== undefined ? { devicesHoldNames: body.devicesHoldNames } : {}),
      ...(body.devicesMayPrint !== undefined ? { devicesMayPrint: body.devicesMayPrint } : {}),
    };
    // The settings, the message to badges and the audit entry: one transaction.
    const saved = await this.dataSource.transaction(async (manager) => {
      const next = await this.settings.save(manager, event.id, change);
      await AuditTrail.record(manager, 'checkin', principal, {
        eventId: event.id,
        action: 'door_settings.changed',
        details: change,
      });
      return next;
    });
    return saved;
  }
}
