import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthGuard } from '@einlass/auth';
import { HealthModule, loggingModule } from '@einlass/bootstrap';
import { ConfigModule } from '@einlass/config';
import { DatabaseModule } from '@einlass/database';
import { AttendeeListQuery } from './attendees/attendee-list.query';
import { AttendeesController } from './attendees/attendees.controller';
import { RegisterAttendeeHandler } from './attendees/register-attendee.command';
import { CreateEventHandler } from './events/create-event.command';
import { EventsController } from './events/events.controller';
import { EventsRepository } from './events/events.repository';
import { registrationDatabase } from './registration.database';
import { SessionsController } from './sessions/sessions.controller';
import { UpsertSessionsHandler } from './sessions/upsert-sessions.command';
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
  controllers: [EventsController, SessionsController, AttendeesController, TokensController],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    EventsRepository,
    AttendeeListQuery,
    CreateEventHandler,
    UpsertSessionsHandler,
    RegisterAttendeeHandler,
    CreateApiTokenHandler,
    RevokeApiTokenHandler,
  ],
})
export class RegistrationModule {}
