import { ApiToken, DeskTokens1765900000000 } from '@einlass/auth';
import { type ServiceDatabase } from '@einlass/database';
import {
  OUTBOX_ENTITIES,
  OUTBOX_SUBSCRIBERS,
  OutboxMessageId1764500000000,
  OutboxQueues1764700000000,
  RedisLoss1765600000000,
  ReplayBatches1765700000000,
} from '@einlass/outbox';
import { Attendee } from './attendees/attendee.entity';
import { Event } from './events/event.entity';
import { Initial1764400000000 } from './migrations/1764400000000-initial';
import { AttendeeStatusIndex1765300000000 } from './migrations/1765300000000-attendee-status-index';
import { CancelledAttendeesIndex1765400000000 } from './migrations/1765400000000-cancelled-attendees-index';
import { DoorAttendance1765000000000 } from './migrations/1765000000000-door-attendance';
import { PersonalData1765613000000 } from './migrations/1765613000000-personal-data';
import { WorkshopSignups1764600000000 } from './migrations/1764600000000-workshop-signups';
import { TokenExpiry1765611000000 } from './migrations/1765611000000-token-expiry';
import { Session } from './sessions/session.entity';

/** The registration service's schema: its entities and migrations. */
export const registrationDatabase: ServiceDatabase = {
  schema: 'registration',
  entities: [Event, Session, Attendee, ApiToken, ...OUTBOX_ENTITIES],
  subscribers: OUTBOX_SUBSCRIBERS,
  migrations: [
    Initial1764400000000,
    OutboxMessageId1764500000000,
    WorkshopSignups1764600000000,
    OutboxQueues1764700000000,
    DoorAttendance1765000000000,
    AttendeeStatusIndex1765300000000,
    CancelledAttendeesIndex1765400000000,
    RedisLoss1765600000000,
    TokenExpiry1765611000000,
    PersonalData1765613000000,
    ReplayBatches1765700000000,
    DeskTokens1765900000000,
  ],
};
