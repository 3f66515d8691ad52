import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Roles } from '@einlass/auth';
import { EventsRepository } from '../events/events.repository';
import { Session, sessionView } from './session.entity';
import { readSessions } from './sessions-input';
import { UpsertSessions } from './upsert-sessions.command';

@Controller('api/events/:slug/sessions')
export class SessionsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly events: EventsRepository,
    private readonly dataSource: DataSource,
  ) {}

  /** A JSON array of sessions, or `text/csv` in the format of `sessions.csv`. */
  @Post()
  @HttpCode(200)
  upsert(@Param('slug') slug: string, @Body() body: unknown) {
    return this.commandBus.execute(new UpsertSessions(slug, readSessions(body)));
  }

  @Get()
  @Roles('organiser', 'door')
  async list(@Param('slug') slug: string) {
    const event = await this.events.bySlugOrFail(slug);
    const sessions = await this.dataSource
      .getRepository(Session)
      .find({ where: { eventId: event.id }, order: { startsAt: 'ASC', code: 'ASC' } });
    return sessions.map(sessionView);
  }
}
