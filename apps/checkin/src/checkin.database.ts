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
import { Initial1764400000000 } from './migrations/1764400000000-initial';
import { KeyRotation1766016000000 } from './migrations/1766016000000-key-rotation';
import { PersonalData1765613000000 } from './migrations/1765613000000-personal-data';
import { OfflineScans1764800000000 } from './migrations/1764800000000-offline-scans';
import { OrganiserPages1764900000000 } from './migrations/1764900000000-organiser-pages';
import { NameFolding1765800000000 } from './migrations/1765800000000-name-folding';
import { DoorDevices1766200000000 } from './migrations/1766200000000-door-devices';
import { DoorPrinting1766300000000 } from './migrations/1766300000000-door-printing';
import { NonceFirstKey1766500000000 } from './migrations/1766500000000-nonce-first-key';
import { DeviceScanTotals1766400000000 } from './migrations/1766400000000-device-scan-totals';
import { TokenExpiry1765611000000 } from './migrations/1765611000000-token-expiry';
import {
  CheckinAttendee,
  CheckinEvent,
  CheckinSession,
  PublicSigningKey,
} from './read-model/read-model.entities';

/** The check-in service's schema: its entities and migrations. */
export const checkinDatabase: ServiceDatabase = {
  schema: 'checkin',
  entities: [
    CheckinEvent,
    CheckinSession,
    PublicSigningKey,
    CheckinAttendee,
    ApiToken,
    ...OUTBOX_ENTITIES,
  ],
  subscribers: OUTBOX_SUBSCRIBERS,
  migrations: [
    Initial1764400000000,
    OutboxMessageId1764500000000,
    OutboxQueues1764700000000,
    OfflineScans1764800000000,
    OrganiserPages1764900000000,
    RedisLoss1765600000000,
    TokenExpiry1765611000000,
    PersonalData1765613000000,
    ReplayBatches1765700000000,
    NameFolding1765800000000,
    DeskTokens1765900000000,
    KeyRotation1766016000000,
    DoorDevices1766200000000,
    DoorPrinting1766300000000,
    DeviceScanTotals1766400000000,
    NonceFirstKey1766500000000,
  ],
};
