import { z } from 'zod';
import { CATEGORIES } from './categories';
import { QueueName } from './queues';
import { StreamName } from './streams';

/**
 * Domain events that cross service boundaries. Each is written to the producing service's outbox in
 * the same transaction as the data it describes, relayed to BullMQ (job name = event type), and
 * validated again by the consumer: a payload from Redis is input like any other.
 *
 * Payloads carry ids and a small snapshot, never secrets or emails.
 */
export const EventType = {
  EventCreated: 'event.created',
  /** Something about the event itself changed (its retention date: `erasePersonalDataAt`). */
  EventUpdated: 'event.updated',
  ProgrammeUpdated: 'programme.updated',
  AttendeeRegistered: 'attendee.registered',
  /** Anything about the attendee changed: names, category, organisation, workshops. */
  AttendeeUpdated: 'attendee.updated',
  AttendeeCancelled: 'attendee.cancelled',
  /** The attendee's workshop places changed without them asking (moved up from a waiting list). */
  AttendeeSignupsChanged: 'attendee.signups_changed',
  /**
   * The person's data was erased on request (Art. 17 GDPR): the snapshot carries no personal data,
   * and its revision is higher than every earlier one, so no late message brings the data back.
   */
  AttendeeErased: 'attendee.erased',
  BadgeIssued: 'badge.issued',
  /**
   * The organisers retired one of the event's signing keys (it leaked): badges signed with it are
   * refused from then on (`revoked`, reason `key_retired`), online and on door devices.
   */
  SigningKeyRetired: 'signing_key.retired',
  /**
   * The organisers rotated the event's signing key: badges are signed with this one from now on.
   * Check-in learns the public key at once, so door devices hold it with their next snapshot,
   * before the first badge signed with it reaches them.
   */
  SigningKeyActivated: 'signing_key.activated',
  ApiTokenCreated: 'api_token.created',
  ApiTokenRevoked: 'api_token.revoked',
  /** The door admitted someone (a scan or a manual check-in answered `admitted`). */
  AttendeeCheckedIn: 'attendee.checked_in',
  /**
   * The door admitted several people of one event, written together (a group of entrance scans
   * committed at once): each passage is an `attendee.checked_in`, one message for all of them.
   */
  AttendeesCheckedIn: 'attendees.checked_in',
  /** Someone was scanned on the way out. */
  AttendeeLeft: 'attendee.left',
  /**
   * The organisers changed an event's door settings (check-in owns them): what other services
   * act on, with a revision (the newest wins). Badges lets door devices print where allowed.
   */
  DoorSettingsChanged: 'door_settings.changed',
  /** An entry of the audit log (who did what, never the personal data itself). */
  AuditRecorded: 'audit.recorded',
  /** Reconciliation (streams.ts): a consumer asks a producer how much of a stream it holds. */
  StreamSummaryRequested: 'stream.summary_requested',
  /** Reconciliation: the producer's count and revision total per scope of a stream. */
  StreamSummary: 'stream.summary',
  /** Reconciliation: a consumer asks the producer to send a scope of a stream again. */
  StreamReplayRequested: 'stream.replay_requested',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

const isoDate = z.string().datetime({ offset: true });

export const eventSnapshotSchema = z.object({
  id: z.string().uuid(),
  slug: z.string().min(1),
  name: z.string().min(1),
  venue: z.string().nullable(),
  startsAt: isoDate,
  endsAt: isoDate,
  timezone: z.string().min(1),
  /**
   * When every service erases the event's personal data (retention). Absent in messages written
   * before retention existed: consumers then keep what they have.
   */
  erasePersonalDataAt: isoDate.nullable().optional(),
  /** Grows with every change of the event itself; consumers keep the newest. */
  revision: z.number().int().positive().optional(),
});
export type EventSnapshot = z.infer<typeof eventSnapshotSchema>;

export const attendeeSnapshotSchema = z.object({
  id: z.string().uuid(),
  eventId: z.string().uuid(),
  externalId: z.string().nullable(),
  title: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  organisation: z.string().nullable(),
  category: z.enum(CATEGORIES),
  /** Codes of the sessions the attendee has a place in. */
  sessions: z.array(z.string()),
  /** Codes of the workshops the attendee is waiting for, not (yet) admitted to. */
  waitlist: z.array(z.string()).default([]),
  status: z.enum(['registered', 'cancelled']),
  /** Grows with every change of the attendee; consumers keep the highest they have seen. */
  revision: z.number().int().positive(),
});
export type AttendeeSnapshot = z.infer<typeof attendeeSnapshotSchema>;

export const apiTokenSnapshotSchema = z.object({
  id: z.string().uuid(),
  /** SHA-256 of the token, hex. The token itself never leaves the registration service. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  role: z.enum(['organiser', 'door', 'desk']),
  label: z.string(),
  gates: z.array(z.string()),
  events: z.array(z.string()),
  /** When the token stops working (absent from messages written before tokens could expire). */
  expiresAt: isoDate.nullable().optional(),
});
export type ApiTokenSnapshot = z.infer<typeof apiTokenSnapshotSchema>;

export const sessionSnapshotSchema = z.object({
  code: z.string().min(1),
  title: z.string(),
  room: z.string().nullable(),
  startsAt: isoDate,
  endsAt: isoDate,
  capacity: z.number().int().min(0),
  kind: z.enum(['talk', 'workshop']),
});
export type SessionSnapshot = z.infer<typeof sessionSnapshotSchema>;

/** Every attendee event carries the whole snapshot: consumers keep the highest revision. */
const attendeeChangeSchema = z.object({
  event: eventSnapshotSchema,
  attendee: attendeeSnapshotSchema,
});

/** What an erased person's snapshot holds instead of their data (AttendeeErased). */
export function erasedAttendeeSnapshot(attendee: AttendeeSnapshot): AttendeeSnapshot {
  return {
    ...attendee,
    externalId: null,
    title: null,
    firstName: '',
    lastName: '',
    organisation: null,
    sessions: [],
    waitlist: [],
  };
}

/** One entry of the audit log, written by the service where it happened. */
export const auditEntrySchema = z.object({
  /** The event concerned; null for what concerns every event (a token without event limits). */
  eventId: z.string().uuid().nullable(),
  at: isoDate,
  service: z.enum(['registration', 'badges', 'checkin']),
  /** The token's id (null for ORGANISER_TOKEN) and label; never the token itself. */
  tokenId: z.string().uuid().nullable(),
  tokenLabel: z.string(),
  /** `attendee.read`, `attendees.imported`, `export.downloaded`, … (AUDIT_ACTIONS). */
  action: z.string().min(1),
  /** The attendee concerned, if one. */
  attendeeId: z.string().uuid().nullable().default(null),
  /** Counts, file names, export kinds, field names: never names, emails or organisations. */
  details: z.record(z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** The attendee events, handled alike by consumers (apply the snapshot if it is newer). */
export const ATTENDEE_EVENTS = [
  EventType.AttendeeRegistered,
  EventType.AttendeeUpdated,
  EventType.AttendeeCancelled,
  EventType.AttendeeSignupsChanged,
] as const;

/** A recorded door event: who, where, on which list, and when the badge was seen. */
const doorPassageSchema = z.object({
  eventId: z.string().uuid(),
  attendeeId: z.string().uuid(),
  /** `main` (the entrance) or a session code. */
  list: z.string().min(1),
  gate: z.string().min(1),
  /** When the badge was seen (an offline device's scannedAt, else the time of the scan). */
  at: isoDate,
  /** Set when an offline device's admission turned out to be a second one. */
  flag: z.enum(['duplicate']).nullable().default(null),
});
export type DoorPassage = z.infer<typeof doorPassageSchema>;

const streamNameSchema = z.enum(Object.values(StreamName) as [StreamName, ...StreamName[]]);
const queueNameSchema = z.enum(Object.values(QueueName) as [QueueName, ...QueueName[]]);
export const streamScopeSummarySchema = z.object({
  /** An event id, or `*` for a stream not kept per event. */
  scope: z.string().min(1),
  count: z.number().int().min(0),
  total: z.number().int().min(0),
});
export type StreamScopeSummary = z.infer<typeof streamScopeSummarySchema>;

export const payloadSchemas = {
  [EventType.EventCreated]: z.object({ event: eventSnapshotSchema }),
  [EventType.EventUpdated]: z.object({ event: eventSnapshotSchema }),
  /** The sessions added or changed; sessions not named are unchanged. */
  [EventType.ProgrammeUpdated]: z.object({
    event: eventSnapshotSchema,
    sessions: z.array(sessionSnapshotSchema),
  }),
  [EventType.AttendeeRegistered]: attendeeChangeSchema,
  [EventType.AttendeeUpdated]: attendeeChangeSchema,
  [EventType.AttendeeCancelled]: attendeeChangeSchema,
  [EventType.AttendeeSignupsChanged]: attendeeChangeSchema,
  [EventType.AttendeeErased]: attendeeChangeSchema.extend({ erasedAt: isoDate }),
  [EventType.BadgeIssued]: z.object({
    event: eventSnapshotSchema,
    attendee: attendeeSnapshotSchema,
    badge: z.object({
      /** The badge id is the attendee id: one badge per attendee, re-issued with a new version. */
      id: z.string().uuid(),
      version: z.number().int().positive(),
      keyId: z.string().regex(/^[0-9a-f]{8}$/),
      /** Raw 32-byte Ed25519 public key, base64. */
      publicKey: z.string().min(1),
      issuedAt: isoDate,
    }),
  }),
  [EventType.SigningKeyRetired]: z.object({
    event: eventSnapshotSchema,
    key: z.object({
      keyId: z.string().regex(/^[0-9a-f]{8}$/),
      /** Carried so the retirement holds even when it arrives before a badge of the key. */
      publicKey: z.string().min(1),
      retiredAt: isoDate,
    }),
  }),
  [EventType.SigningKeyActivated]: z.object({
    event: eventSnapshotSchema,
    key: z.object({
      keyId: z.string().regex(/^[0-9a-f]{8}$/),
      /** Raw 32-byte Ed25519 public key, base64. */
      publicKey: z.string().min(1),
      activatedAt: isoDate,
    }),
  }),
  [EventType.ApiTokenCreated]: z.object({ token: apiTokenSnapshotSchema }),
  [EventType.ApiTokenRevoked]: z.object({ id: z.string().uuid() }),
  [EventType.AttendeeCheckedIn]: doorPassageSchema,
  [EventType.AttendeesCheckedIn]: z.object({
    eventId: z.string().uuid(),
    passages: z.array(doorPassageSchema).min(1),
  }),
  [EventType.AttendeeLeft]: doorPassageSchema,
  [EventType.DoorSettingsChanged]: z.object({
    eventId: z.string().uuid(),
    /** Grows with every change of the event's door settings; consumers keep the highest. */
    revision: z.number().int().positive(),
    /** Whether door tokens may re-issue and print a badge at the door (scanner page). */
    devicesMayPrint: z.boolean(),
  }),
  [EventType.AuditRecorded]: z.object({ entry: auditEntrySchema }),
  [EventType.StreamSummaryRequested]: z.object({
    streams: z.array(streamNameSchema).min(1),
    /** The asking consumer's queue: where the summaries go. */
    replyTo: queueNameSchema,
  }),
  [EventType.StreamSummary]: z.object({
    stream: streamNameSchema,
    scopes: z.array(streamScopeSummarySchema),
    /**
     * When the producer counted, and how many of its messages to the asking consumer were still
     * unsent in its outbox then: until those and every job queued before `at` are consumed, the
     * consumer may be behind only because messages are on their way. Absent from older producers.
     */
    at: isoDate.optional(),
    unsent: z.number().int().nonnegative().optional(),
  }),
  [EventType.StreamReplayRequested]: z.object({
    stream: streamNameSchema,
    scope: z.string().min(1),
    replyTo: queueNameSchema,
  }),
} satisfies Record<EventType, z.ZodTypeAny>;

export type EventPayload<T extends EventType> = z.infer<(typeof payloadSchemas)[T]>;

/** Which consumers receive which event: the one place that decides the fan-out. */
export const EVENT_ROUTES: Record<EventType, readonly QueueName[]> = {
  [EventType.EventCreated]: [QueueName.Badges, QueueName.Checkin],
  [EventType.EventUpdated]: [QueueName.Badges, QueueName.Checkin],
  // Badges too: attendance certificates list the sessions (apps/badges/src/certificates).
  [EventType.ProgrammeUpdated]: [QueueName.Checkin, QueueName.Badges],
  [EventType.AttendeeRegistered]: [QueueName.Badges, QueueName.Checkin],
  [EventType.AttendeeUpdated]: [QueueName.Badges, QueueName.Checkin],
  [EventType.AttendeeCancelled]: [QueueName.Badges, QueueName.Checkin],
  // Workshop places print nowhere: only the doors need them.
  [EventType.AttendeeSignupsChanged]: [QueueName.Checkin],
  [EventType.AttendeeErased]: [QueueName.Badges, QueueName.Checkin],
  [EventType.BadgeIssued]: [QueueName.Checkin],
  [EventType.SigningKeyRetired]: [QueueName.Checkin],
  [EventType.SigningKeyActivated]: [QueueName.Checkin],
  [EventType.ApiTokenCreated]: [QueueName.Badges, QueueName.Checkin],
  [EventType.ApiTokenRevoked]: [QueueName.Badges, QueueName.Checkin],
  // The live feed of the door, for consumers beyond the door itself.
  // Badges keeps the admissions its attendance certificates are made from.
  [EventType.AttendeeCheckedIn]: [QueueName.Registration, QueueName.Badges],
  [EventType.AttendeesCheckedIn]: [QueueName.Registration, QueueName.Badges],
  [EventType.AttendeeLeft]: [QueueName.Registration],
  // Badges lets door tokens re-issue and print where the event allows it (devicesMayPrint).
  [EventType.DoorSettingsChanged]: [QueueName.Badges],
  // Registration keeps the audit log; every service (registration too) sends its entries there.
  [EventType.AuditRecorded]: [QueueName.Registration],
  // Addressed to one queue each time (writeAddressedToOutbox), never fanned out.
  [EventType.StreamSummaryRequested]: [],
  [EventType.StreamSummary]: [],
  [EventType.StreamReplayRequested]: [],
};

/** What travels in a BullMQ job's data. The job's name is the event type. */
export interface EventEnvelope<T extends EventType = EventType> {
  /** Unique per message: the producing service and the outbox row's message id (`registration-<uuid>`). */
  messageId: string;
  type: T;
  /** Version of the payload's shape; bump when it changes incompatibly. */
  schemaVersion: 1;
  occurredAt: string;
  payload: EventPayload<T>;
}

/** Any envelope, discriminated by `type`: a switch on it narrows the payload. */
export type AnyEventEnvelope = { [T in EventType]: EventEnvelope<T> }[EventType];

export const envelopeSchema = z.object({
  messageId: z.string().min(1),
  type: z.enum(Object.values(EventType) as [EventType, ...EventType[]]),
  schemaVersion: z.literal(1),
  occurredAt: isoDate,
  payload: z.unknown(),
});

/**
 * Checks a job's data against the contract. Throws a ZodError naming the bad field, so a malformed
 * message fails its job visibly instead of corrupting a read model.
 */
export function parseEnvelope(data: unknown): AnyEventEnvelope {
  const envelope = envelopeSchema.parse(data);
  const payload: unknown = payloadSchemas[envelope.type].parse(envelope.payload);
  return { ...envelope, payload } as AnyEventEnvelope;
}

const replayBatchSchema = z.object({
  messages: z.array(z.object({ messageId: z.string().min(1) }).passthrough()).min(1),
});

/**
 * The messages of a replay batch job (queues.ts, REPLAY_BATCH_JOB), each still unchecked: it is
 * checked by parseEnvelope when it is handled, like the data of a single-message job.
 */
export function replayBatchMessages(data: unknown): { messageId: string }[] {
  return replayBatchSchema.parse(data).messages;
}
