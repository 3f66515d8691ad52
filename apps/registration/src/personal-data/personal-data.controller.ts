import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { answer } from '@einlass/contracts';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AuditTrail, CurrentPrincipal, Principal } from '@einlass/auth';
import { eventView } from '../events/event.entity';
import { EventsRepository } from '../events/events.repository';
import { PersonalDataDocument } from './personal-data-document';
import { EraseAttendee } from './erase-attendee.command';
import { ChangeRetention, EraseEventNow } from './event-retention.command';
import { ChangeEventDto, EraseEventDto } from './personal-data.dto';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/** Retention and erasure (organisers only): docs/API.md, "Personal data". */
@Controller('api/events/:slug')
export class PersonalDataController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly events: EventsRepository,
    private readonly document: PersonalDataDocument,
    private readonly dataSource: DataSource,
  ) {}

  /** Everything the three services hold about the person (Art. 15 GDPR), as one document. */
  @ApiOkResponse({ schema: answer('PersonalData') })
  @Get('attendees/:id/personal-data')
  async personalData(
    @Param('slug') slug: string,
    @Param('id', uuid) id: string,
    @Headers('authorization') authorization: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const event = await this.events.bySlugOrFail(slug);
    const document = await this.document.build(event, id, authorization);
    await AuditTrail.recordAlone(this.dataSource, 'registration', principal, {
      eventId: event.id,
      action: 'attendee.personal_data_read',
      attendeeId: id,
    });
    return document;
  }

  /** The retention date: when every service erases the event's personal data. */
  @ApiOkResponse({ schema: answer('Event') })
  @Patch()
  async change(
    @Param('slug') slug: string,
    @Body() body: ChangeEventDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const date = new Date(body.erasePersonalDataAt);
    return eventView(await this.commandBus.execute(new ChangeRetention(slug, date, principal)));
  }

  /** Erases the event's personal data now; the body repeats the slug as confirmation. */
  @ApiOkResponse({ schema: answer('Event') })
  @Post('erase')
  @HttpCode(200)
  async eraseEvent(
    @Param('slug') slug: string,
    @Body() body: EraseEventDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return eventView(
      await this.commandBus.execute(new EraseEventNow(slug, body.confirm, principal)),
    );
  }

  /** Erases one person's data (Art. 17 GDPR); the answer says what was erased. */
  @ApiOkResponse({ schema: answer('Erasure') })
  @Delete('attendees/:id')
  async eraseAttendee(
    @Param('slug') slug: string,
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commandBus.execute(new EraseAttendee(slug, id, principal));
  }
}
