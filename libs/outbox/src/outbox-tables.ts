import { InboxMessage } from './inbox-message.entity';
import { OutboxCommitSubscriber } from './outbox';
import { OutboxMessage } from './outbox-message.entity';

/** The outbox's entities, for every service's data source (its ServiceDatabase). */
export const OUTBOX_ENTITIES = [OutboxMessage, InboxMessage];

/** The outbox's subscriber (wakes the relay when a transaction with outbox rows commits). */
export const OUTBOX_SUBSCRIBERS = [OutboxCommitSubscriber];
