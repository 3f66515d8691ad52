/**
 * BullMQ queues between the services. A queue is named after its consumer: everything the badges
 * service must react to goes to `badges`, everything check-in must react to goes to `checkin`, the door's news for registration to
 * `registration`.
 * Names must not contain `:` (BullMQ uses it as its key separator).
 */
export const QueueName = {
  Badges: 'badges',
  Checkin: 'checkin',
  /** What registration keeps of the door: who came (attendance certificates, the attendee list). */
  Registration: 'registration',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

/**
 * The BullMQ job name of a *replay batch*: many messages republished after Redis lost data, in
 * one job (`{ messages: EventEnvelope[] }`, in outbox order). A replay sends every message again,
 * most of which the consumer already has; one job per few hundred messages lets the consumer find
 * the ones it lacks with one look at its inbox, instead of a job per message. Every other job
 * carries one message and is named after its event type.
 */
export const REPLAY_BATCH_JOB = 'replay.batch';
