import { ApiToken } from '@einlass/auth';
import {
  OutboxMessageId1764500000000,
  OutboxQueues1764700000000,
  type ServiceDatabase,
} from '@einlass/database';
import { BadgeEvent } from './events/badge-event.entity';
import { Badge } from './issuing/badge.entity';
import { SigningKey } from './issuing/signing-key.entity';
import { Initial1764400000000 } from './migrations/1764400000000-initial';

/** The badges service's schema: its entities and migrations. */
export const badgesDatabase: ServiceDatabase = {
  schema: 'badges',
  entities: [BadgeEvent, SigningKey, Badge, ApiToken],
  migrations: [Initial1764400000000, OutboxMessageId1764500000000, OutboxQueues1764700000000],
};
