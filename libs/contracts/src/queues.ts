/**
 * BullMQ queues between the services. A queue is named after its consumer: everything the badges
 * service must react to goes to `badges`, everything check-in must react to goes to `checkin`.
 * Names must not contain `:` (BullMQ uses it as its key separator).
 */
export const QueueName = {
  Badges: 'badges',
  Checkin: 'checkin',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
