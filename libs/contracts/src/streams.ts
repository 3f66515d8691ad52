import { QueueName } from './queues';

/**
 * The message streams the reconciliation keeps consumers level with (the second net under the
 * outbox, README "Nothing is lost"). A stream is what one producer tells its consumers about one
 * kind of thing; per scope (an event, or `*`) both sides can count cheaply what they hold: `count`
 * things and a `total` of their revisions. A consumer whose numbers differ from the producer's asks
 * for that scope again, and the producer sends the current state of each thing in it as ordinary
 * messages, which the consumer applies as always (newest revision wins, repeats change nothing).
 *
 * To reconcile a new kind of message: name its stream here with its producer and consumers, have
 * the producer implement `ProducedStream` (summarise, replay) and each consumer `ConsumedStream`
 * (summarise, and which of the numbers it can compare), and register them in the services'
 * reconciliation modules.
 */
export const StreamName = {
  /** Registration's attendees (attendee.* events) for badges and check-in; per event. */
  Attendees: 'attendees',
  /** Badges' badge versions (badge.issued) for check-in; per event. */
  Badges: 'badges',
  /** Registration's API tokens and their revocations for badges and check-in; one scope `*`. */
  ApiTokens: 'api_tokens',
  /** Badges' retired signing keys (signing_key.retired) for check-in; per event. */
  RetiredKeys: 'retired_keys',
  /** Check-in's admissions (attendee.checked_in / left) for registration; per event. */
  DoorPassages: 'door_passages',
  /** Check-in's door settings (door_settings.changed) for badges; per event, one each. */
  DoorSettings: 'door_settings',
} as const;
export type StreamName = (typeof StreamName)[keyof typeof StreamName];

/** Who produces each stream: the queue named after the producing service takes its requests. */
export const STREAM_PRODUCERS: Record<StreamName, QueueName> = {
  [StreamName.Attendees]: QueueName.Registration,
  [StreamName.Badges]: QueueName.Badges,
  [StreamName.ApiTokens]: QueueName.Registration,
  [StreamName.RetiredKeys]: QueueName.Badges,
  [StreamName.DoorPassages]: QueueName.Checkin,
  [StreamName.DoorSettings]: QueueName.Checkin,
};
