import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { answer } from '@einlass/contracts';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuditTrail, CurrentPrincipal, Principal, Roles } from '@einlass/auth';
import { CheckinEvents } from '../scanning/checkin-events';
import { DoorSettingsStore } from './door-settings';

export class DoorSettingsDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(/^[\p{L}\p{N} _.-]{1,64}$/u, { each: true, message: 'each gate must be a short name' })
  gates?: string[];

  @IsOptional()
  @IsBoolean()
  devicesHoldNames?: boolean;
}

/** How the doors of an event work: its gates, and what devices may keep offline. */
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
    const saved = await this.settings.save(event.id, {
      ...(body.gates ? { gates: [...new Set(body.gates)] } : {}),
      ...(body.devicesHoldNames !== undefined ? { devicesHoldNames: body.devicesHoldNames } : {}),
    });
    await AuditTrail.recordAlone(this.dataSource, 'checkin', principal, {
      eventId: event.id,
      action: 'door_settings.changed',
      details: {
        ...(body.gates ? { gates: [...new Set(body.gates)] } : {}),
        ...(body.devicesHoldNames !== undefined ? { devicesHoldNames: body.devicesHoldNames } : {}),
      },
    });
    return saved;
  }
}
