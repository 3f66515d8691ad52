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
import { EventBranding } from './branding/event-branding.entity';
import { Certificate } from './certificates/certificate.entity';
import { CertificateJob } from './certificates/certificate-job.entity';
import { Certificates1766100000000 } from './migrations/1766100000000-certificates';
import { DoorPrinting1766300000000 } from './migrations/1766300000000-door-printing';
import { DoorReprints1766400000000 } from './migrations/1766400000000-door-reprints';
import { BadgeEvent } from './events/badge-event.entity';
import { Badge } from './issuing/badge.entity';
import { SigningKey } from './issuing/signing-key.entity';
import { Initial1764400000000 } from './migrations/1764400000000-initial';
import { KeyRotation1766016000000 } from './migrations/1766016000000-key-rotation';
import { PersonalData1765613000000 } from './migrations/1765613000000-personal-data';
import { PrintJobs1765100000000 } from './migrations/1765100000000-print-jobs';
import { EventBranding1765200000000 } from './migrations/1765200000000-event-branding';
import { TokenExpiry1765611000000 } from './migrations/1765611000000-token-expiry';
import { PrintJob } from './print-jobs/print-job.entity';

/** The badges service's schema: its entities and migrations. */
export const badgesDatabase: ServiceDatabase = {
  schema: 'badges',
  entities: [
    BadgeEvent,
    SigningKey,
    Badge,
    ApiToken,
    PrintJob,
    EventBranding,
    Certificate,
    CertificateJob,
    ...OUTBOX_ENTITIES,
  ],
  subscribers: OUTBOX_SUBSCRIBERS,
  migrations: [
    Initial1764400000000,
    OutboxMessageId1764500000000,
    OutboxQueues1764700000000,
    PrintJobs1765100000000,
    EventBranding1765200000000,
    RedisLoss1765600000000,
    TokenExpiry1765611000000,
    PersonalData1765613000000,
    ReplayBatches1765700000000,
    DeskTokens1765900000000,
    KeyRotation1766016000000,
    Certificates1766100000000,
    DoorPrinting1766300000000,
    DoorReprints1766400000000,
  ],
};
