import { doorAttendanceView } from '../attendance/door-attendance';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { answer } from '@einlass/contracts';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import {
  AuditAction,
  AuditTrail,
  CurrentPrincipal,
  Principal,
  Roles,
  SearchRateGuard,
} from '@einlass/auth';
import { EventsRepository } from '../events/events.repository';
import { SignupBook } from '../sessions/signup-book';
import { Attendee, attendeeView } from './attendee.entity';
import { AttendeeListQuery } from './attendee-list.query';
import { CancelAttendee, ChangeAttendee } from './change-attendee.command';
import { ChangeAttendeeDto } from './change-attendee.dto';
import { ListAttendeesDto } from './list-attendees.dto';
import { RegisterAttendee } from './register-attendee.command';
import { RegisterAttendeeDto } from './register-attendee.dto';
import { ReplaceAttendee } from './replace-attendee.command';
import { ReplaceAttendeeDto } from './replace-attendee.dto';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@Controller('api/events/:slug/attendees')
export class AttendeesController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly events: EventsRepository,
    private readonly list: AttendeeListQuery,
    private readonly dataSource: DataSource,
  ) {}

  /** Registers someone: organisers, and the registration desk for walk-ins (desk tokens). */
  @ApiCreatedResponse({ schema: answer('Attendee') })
  @Post()
  @HttpCode(201)
  @Roles('organiser', 'desk')
  async register(
    @Param('slug') slug: string,
    @Body() body: RegisterAttendeeDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const attendee = await this.commandBus.execute(new RegisterAttendee(slug, body));
    await this.audit(principal, attendee, 'attendee.registered');
    return this.view(attendee, true);
  }

  /**
   * A page of the event's people in name order, filtered, with how many match in all. A door
   * token's `q` matches names and organisation only, never emails; searches are rate limited.
   */
  @ApiOkResponse({ schema: answer('AttendeePage') })
  @Get()
  @Roles('organiser', 'door')
  @UseGuards(SearchRateGuard)
  async find(
    @Param('slug') slug: string,
    @Query() query: ListAttendeesDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const event = await this.events.bySlugOrFail(slug);
    const page = await this.list.run({
      eventId: event.id,
      q: query.q,
      searchEmails: principal.role === 'organiser',
      category: query.category,
      status: query.status,
      session: query.session,
      limit: query.limit ?? 50,
      cursor: query.cursor,
    });
    const withEmail = principal.role === 'organiser';
    return {
      items: page.items.map(({ attendee, places, attendance }) =>
        attendeeView(attendee, places, { withEmail, attendance }),
      ),
      nextCursor: page.nextCursor,
      total: page.total,
    };
  }

  @ApiOkResponse({ schema: answer('Attendee') })
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
    await this.audit(principal, attendee, 'attendee.read');
    return this.view(attendee, principal.role === 'organiser');
  }

  /** Changes what is sent; a change to anything printed re-issues the badge. */
  @ApiOkResponse({ schema: answer('Attendee') })
  @Patch(':id')
  async change(
    @Param('slug') slug: string,
    @Param('id', uuid) id: string,
    @Body() body: ChangeAttendeeDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const attendee = await this.commandBus.execute(new ChangeAttendee(slug, id, body));
    await this.audit(principal, attendee, 'attendee.changed', {
      fields: Object.entries(body)
        .filter(([, value]) => value !== undefined)
        .map(([field]) => field),
    });
    return this.view(attendee, true);
  }

  /** Cancels the registration; the badge is revoked. */
  @ApiOkResponse({ schema: answer('Attendee') })
  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(
    @Param('slug') slug: string,
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const attendee = await this.commandBus.execute(new CancelAttendee(slug, id));
    await this.audit(principal, attendee, 'attendee.cancelled');
    return this.view(attendee, true);
  }

  /**
   * A substitute takes over a registration (organisers, and the registration desk): the substitute
   * is registered with the replaced person's workshop places, the replaced registration cancelled
   * and its badge revoked, in one transaction.
   */
  @ApiCreatedResponse({ schema: answer('AttendeeReplacement') })
  @Post(':id/replacement')
  @HttpCode(201)
  @Roles('organiser', 'desk')
  async replace(
    @Param('slug') slug: string,
    @Param('id', uuid) id: string,
    @Body() body: ReplaceAttendeeDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { replaced, substitute } = await this.commandBus.execute(
      new ReplaceAttendee(slug, id, body),
    );
    await this.audit(principal, replaced, 'attendee.cancelled', { replacedBy: [substitute.id] });
    await this.audit(principal, substitute, 'attendee.registered', { replaces: [replaced.id] });
    return { ...(await this.view(substitute, true)), replaces: replaced.id };
  }

  /** Who read or changed whom: ids and field names, never the data itself. */
  private audit(
    principal: Principal,
    attendee: Attendee,
    action: AuditAction,
    details: Record<string, string[]> = {},
  ) {
    return AuditTrail.recordAlone(this.dataSource, 'registration', principal, {
      eventId: attendee.eventId,
      action,
      attendeeId: attendee.id,
      details,
    });
  }

  private async view(attendee: Attendee, withEmail: boolean) {
    const places = await SignupBook.placesOf(this.dataSource.manager, [attendee.id]);
    const [attendance] = await this.dataSource.query<
      { first_checked_in_at: Date | null; on_site: boolean; sessions_attended: string[] }[]
    >(
      `SELECT first_checked_in_at, on_site, sessions_attended FROM door_attendance WHERE attendee_id = $1`,
      [attendee.id],
    );
    return attendeeView(attendee, places.get(attendee.id)!, {
      withEmail,
      attendance: doorAttendanceView(attendance ?? null),
    });
  }
}
