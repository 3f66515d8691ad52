import {
  Body,
  Controller,
  Delete,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CurrentPrincipal, Principal } from '@einlass/auth';
import { eventView } from '../events/event.entity';
import { EraseAttendee } from './erase-attendee.command';
import { ChangeRetention, EraseEventNow } from './event-retention.command';
import { ChangeEventDto, EraseEventDto } from './personal-data.dto';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/** Retention and erasure (organisers only): docs/API.md, "Personal data". */
@Controller('api/events/:slug')
export class PersonalDataController {
  constructor(private readonly commandBus: CommandBus) {}

  /** The retention date: when every service erases the event's personal data. */
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
  @Delete('attendees/:id')
  async eraseAttendee(
    @Param('slug') slug: string,
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commandBus.execute(new EraseAttendee(slug, id, principal));
  }
}
