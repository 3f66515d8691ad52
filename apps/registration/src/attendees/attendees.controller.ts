import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@einlass/auth';
import { EventsRepository } from '../events/events.repository';
import { Attendee, attendeeView } from './attendee.entity';
import { AttendeeListQuery } from './attendee-list.query';
import { ListAttendeesDto } from './list-attendees.dto';
import { RegisterAttendee } from './register-attendee.command';
import { RegisterAttendeeDto } from './register-attendee.dto';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@Controller('api/events/:slug/attendees')
export class AttendeesController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly events: EventsRepository,
    private readonly list: AttendeeListQuery,
    private readonly dataSource: DataSource,
  ) {}

  @Post()
  @HttpCode(201)
  async register(@Param('slug') slug: string, @Body() body: RegisterAttendeeDto) {
    const attendee = await this.commandBus.execute(new RegisterAttendee(slug, body));
    return attendeeView(attendee, { withEmail: true });
  }

  @Get()
  @Roles('organiser', 'door')
  async find(
    @Param('slug') slug: string,
    @Query() query: ListAttendeesDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const event = await this.events.bySlugOrFail(slug);
    const page = await this.list.run({
      eventId: event.id,
      q: query.q,
      category: query.category,
      limit: query.limit ?? 50,
      cursor: query.cursor,
    });
    const withEmail = principal.role === 'organiser';
    return {
      items: page.items.map((a) => attendeeView(a, { withEmail })),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @Roles('organiser', 'door')
  async get(
    @Param('slug') slug: string,
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const event = await this.events.bySlugOrFail(slug);
    const attendee = await this.dataSource
      .getRepository(Attendee)
      .findOneBy({ id, eventId: event.id });
    if (!attendee) throw new NotFoundException(`No attendee ${id} in event "${slug}"`);
    return attendeeView(attendee, { withEmail: principal.role === 'organiser' });
  }
}
