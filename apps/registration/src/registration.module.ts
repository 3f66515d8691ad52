import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthGuard } from '@einlass/auth';
import { HealthModule, loggingModule } from '@einlass/bootstrap';
import { ConfigModule } from '@einlass/config';
import { DatabaseModule } from '@einlass/database';
import { AttendeeListQuery } from './attendees/attendee-list.query';
import { AttendeesController } from './attendees/attendees.controller';
import { CancelAttendeeHandler, ChangeAttendeeHandler } from './attendees/change-attendee.command';
import { RegisterAttendeeHandler } from './attendees/register-attendee.command';
import { CreateEventHandler } from './events/create-event.command';
import { EventsController } from './events/events.controller';
import { EventsRepository } from './events/events.repository';
import { registrationDatabase } from './registration.database';
import { SessionsController } from './sessions/sessions.controller';
import { SignUpForSessionHandler, WithdrawFromSessionHandler } from './sessions/signups.commands';
import { UpsertSessionsHandler } from './sessions/upsert-sessions.command';
import { ImportAttendeesHandler } from './imports/import-attendees.command';
import { ImportsController } from './imports/imports.controller';
import { TokensController } from './tokens/tokens.controller';
import { CreateApiTokenHandler, RevokeApiTokenHandler } from './tokens/tokens.commands';

/**
 * Registration: events, their programme, attendees and API tokens. The source of truth for who is
 * registered; everything it changes flows on to badges and check-in through its outbox.
 */
@Module({
  imports: [
    ConfigModule,
    loggingModule('registration'),
    CqrsModule.forRoot(),
    DatabaseModule.forService(registrationDatabase),
    HealthModule,
  ],
  // ImportsController before AttendeesController: `attendees/import` is not an attendee id.
  controllers: [
    EventsController,
    SessionsController,
    ImportsController,
    AttendeesController,
    TokensController,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    EventsRepository,
    AttendeeListQuery,
    CreateEventHandler,
    UpsertSessionsHandler,
    SignUpForSessionHandler,
    WithdrawFromSessionHandler,
    RegisterAttendeeHandler,
    ChangeAttendeeHandler,
    CancelAttendeeHandler,
    ImportAttendeesHandler,
    CreateApiTokenHandler,
    RevokeApiTokenHandler,
  ],
})
export class RegistrationModule {}
