import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { answer, answers } from '@einlass/contracts';
import { CommandBus } from '@nestjs/cqrs';
import { CurrentPrincipal, mayActOnEvent, Principal, Roles, UnlimitedOnly } from '@einlass/auth';
import { CreateEvent } from './create-event.command';
import { CreateEventDto } from './create-event.dto';
import { eventView } from './event.entity';
import { EventsRepository } from './events.repository';

@Controller('api/events')
export class EventsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly events: EventsRepository,
  ) {}

  /** Only an organiser token for every event makes events (access.ts). */
  @ApiCreatedResponse({ schema: answer('Event') })
  @Post()
  @HttpCode(201)
  @UnlimitedOnly()
  async create(@Body() body: CreateEventDto) {
    return eventView(await this.commandBus.execute(new CreateEvent(body)));
  }

  @ApiOkResponse({ schema: answers('Event') })
  @Get()
  @Roles('organiser', 'door')
  async list(@CurrentPrincipal() principal: Principal) {
    const events = await this.events.all();
    return events.filter((event) => mayActOnEvent(principal, event.slug)).map(eventView);
  }

  @ApiOkResponse({ schema: answer('Event') })
  @Get(':slug')
  @Roles('organiser', 'door')
  async get(@Param('slug') slug: string) {
    return eventView(await this.events.bySlugOrFail(slug));
  }
}
