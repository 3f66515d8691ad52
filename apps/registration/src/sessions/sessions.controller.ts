import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse } from '@nestjs/swagger';
import { answer, answers } from '@einlass/contracts';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Roles } from '@einlass/auth';
import { EventsRepository } from '../events/events.repository';
import { SessionDto } from './session.dto';
import { Session, sessionView } from './session.entity';
import { readSessions } from './sessions-input';
import { SignupDto } from './signup.dto';
import { SignUpForSession, WithdrawFromSession } from './signups.commands';
import { UpsertSessions } from './upsert-sessions.command';

interface SignupRow {
  attendee_id: string;
  first_name: string;
  last_name: string;
  organisation: string | null;
  status: 'confirmed' | 'waiting';
  signed_up_at: Date;
}

@Controller('api/events/:slug/sessions')
export class SessionsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly events: EventsRepository,
    private readonly dataSource: DataSource,
  ) {}

  /** A JSON array of sessions, or `text/csv` in the format of `sessions.csv`. */
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({
    type: SessionDto,
    isArray: true,
    description: 'or text/csv in the format of shared/data/sessions.csv',
  })
  @ApiOkResponse({ schema: answer('SessionsSaved') })
  @Post()
  @HttpCode(200)
  upsert(@Param('slug') slug: string, @Body() body: unknown) {
    return this.commandBus.execute(new UpsertSessions(slug, readSessions(body)));
  }

  /** The programme, with each session's places taken and people waiting. */
  @ApiOkResponse({ schema: answers('Session') })
  @Get()
  @Roles('organiser', 'door')
  async list(@Param('slug') slug: string) {
    const event = await this.events.bySlugOrFail(slug);
    const sessions = await this.dataSource.getRepository(Session).find({
      where: { eventId: event.id },
      order: { startsAt: 'ASC', code: 'ASC' },
    });
    const counts = await this.dataSource.query<
      { session_id: string; confirmed: number; waiting: number }[]
    >(
      `SELECT session_id, count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed,
              count(*) FILTER (WHERE status = 'waiting')::int AS waiting
         FROM session_signups WHERE event_id = $1 GROUP BY session_id`,
      [event.id],
    );
    const bySession = new Map(counts.map((row) => [row.session_id, row]));
    return sessions.map((session) => ({
      ...sessionView(session),
      signedUp: bySession.get(session.id)?.confirmed ?? 0,
      waiting: bySession.get(session.id)?.waiting ?? 0,
    }));
  }

  /** Who has a place, and who waits, in the order they will move up. */
  @ApiOkResponse({ schema: answer('SessionSignups') })
  @Get(':code/signups')
  async signups(@Param('slug') slug: string, @Param('code') code: string) {
    const session = await this.session(slug, code);
    const rows = await this.dataSource.query<SignupRow[]>(
      `SELECT u.attendee_id, a.first_name, a.last_name, a.organisation, u.status, u.created_at AS signed_up_at
         FROM session_signups u JOIN attendees a ON a.id = u.attendee_id
        WHERE u.session_id = $1 ORDER BY u.id`,
      [session.id],
    );
    const person = (row: SignupRow) => ({
      attendeeId: row.attendee_id,
      firstName: row.first_name,
      lastName: row.last_name,
      organisation: row.organisation,
      signedUpAt: new Date(row.signed_up_at).toISOString(),
    });
    return {
      ...sessionView(session),
      confirmed: rows.filter((row) => row.status === 'confirmed').map(person),
      waiting: rows
        .filter((row) => row.status === 'waiting')
        .map((row, index) => ({ ...person(row), position: index + 1 })),
    };
  }

  @ApiOkResponse({ schema: answer('Signup') })
  @Post(':code/signups')
  @HttpCode(200)
  async signUp(@Param('slug') slug: string, @Param('code') code: string, @Body() body: SignupDto) {
    return this.commandBus.execute(new SignUpForSession(slug, code, body.attendeeId));
  }

  @ApiOkResponse({ schema: answer('Signup') })
  @Delete(':code/signups/:attendeeId')
  @HttpCode(200)
  async withdraw(
    @Param('slug') slug: string,
    @Param('code') code: string,
    @Param('attendeeId', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) attendeeId: string,
  ) {
    return this.commandBus.execute(new WithdrawFromSession(slug, code, attendeeId));
  }

  private async session(slug: string, code: string): Promise<Session> {
    const event = await this.events.bySlugOrFail(slug);
    const session = await this.dataSource
      .getRepository(Session)
      .findOneBy({ eventId: event.id, code });
    if (!session) throw new NotFoundException(`Event "${slug}" has no session ${code}`);
    return session;
  }
}
