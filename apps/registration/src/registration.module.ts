import { reconciliationProvider } from './reconciliation/reconciliation.provider';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthGuard, MeController, SearchRateGuard, TokenResolver } from '@einlass/auth';
import { ApiDocument, FailedJobsController, HealthModule, loggingModule } from '@einlass/bootstrap';
import { ConfigModule } from '@einlass/config';
import { QueueName } from '@einlass/contracts';
import { DatabaseModule } from '@einlass/database';
import { OutboxModule, PipelineController } from '@einlass/outbox';
import { MessagingModule } from '@einlass/messaging';
import { DoorPassagesProcessor } from './attendance/door-passages.processor';
import { AttendeeListQuery } from './attendees/attendee-list.query';
import { AttendeesController } from './attendees/attendees.controller';
import { CancelAttendeeHandler, ChangeAttendeeHandler } from './attendees/change-attendee.command';
import { RegisterAttendeeHandler } from './attendees/register-attendee.command';
import { ReplaceAttendeeHandler } from './attendees/replace-attendee.command';
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
import { EraseAttendeeHandler } from './personal-data/erase-attendee.command';
import {
  ChangeRetentionHandler,
  EraseEventNowHandler,
} from './personal-data/event-retention.command';
import { PersonalDataController } from './personal-data/personal-data.controller';
import { AuditController } from './audit/audit.controller';
import { AuditLogQuery } from './audit/audit-log.query';
import { PersonalDataDocument } from './personal-data/personal-data-document';
import { RegistrationRetention } from './personal-data/registration-retention';
import { CreateApiTokenHandler, RevokeApiTokenHandler } from './tokens/tokens.commands';

/**
 * Registration: events, their programme, attendees and API tokens. The source of truth for who is
 * registered; everything it changes flows on to badges and check-in through its outbox. It hears
 * back from the door who came (the `registration` queue).
 */
@ApiDocument({
  service: 'registration',
  description: 'Events, their programme, attendees (one by one or imported) and API tokens.',
})
@Module({
  imports: [
    ConfigModule,
    loggingModule('registration'),
    CqrsModule.forRoot(),
    DatabaseModule.forService(registrationDatabase),
    OutboxModule.forService(registrationDatabase.schema),
    MessagingModule.forConsumer(QueueName.Registration),
    HealthModule,
  ],
  // ImportsController before AttendeesController: `attendees/import` is not an attendee id.
  controllers: [
    PipelineController,
    FailedJobsController,
    EventsController,
    SessionsController,
    ImportsController,
    AttendeesController,
    TokensController,
    MeController,
    PersonalDataController,
    AuditController,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    TokenResolver,
    SearchRateGuard,
    EventsRepository,
    reconciliationProvider,
    AttendeeListQuery,
    CreateEventHandler,
    UpsertSessionsHandler,
    SignUpForSessionHandler,
    WithdrawFromSessionHandler,
    RegisterAttendeeHandler,
    ChangeAttendeeHandler,
    CancelAttendeeHandler,
    ReplaceAttendeeHandler,
    ImportAttendeesHandler,
    CreateApiTokenHandler,
    RevokeApiTokenHandler,
    DoorPassagesProcessor,
    EraseAttendeeHandler,
    ChangeRetentionHandler,
    EraseEventNowHandler,
    RegistrationRetention,
    PersonalDataDocument,
    AuditLogQuery,
  ],
})
export class RegistrationModule {}
