/**
 * The answers of the HTTP API (docs/API.md) as JSON schemas (OpenAPI 3.0 schema objects), in one
 * place: every service's API document carries them all under `components.schemas`, and a route
 * names its answer with `answer('Event')` (`@ApiOkResponse({ schema: answer('Event') })`). The
 * shapes that are TypeScript types in this folder (ScanAnswer, Attendance, ArrivalForecast,
 * ScanSnapshot, NotArrivedPage) are described here beside them; change both together.
 * Plain data: no Nest, no swagger imports (libs/contracts stays free of both).
 */
import { CATEGORIES } from '../categories';
import { ATTENDANCE_RULES, CERTIFICATE_JOB_FORMATS, CERTIFICATE_LANGUAGES } from './certificates';
import { FILE_JOB_STATUSES } from './file-jobs';
import { SCAN_REASONS } from './scan-answer';

type Schema = { [key: string]: unknown };

const string: Schema = { type: 'string' };
const integer: Schema = { type: 'integer' };
const number: Schema = { type: 'number' };
const boolean: Schema = { type: 'boolean' };
const uuid: Schema = { type: 'string', format: 'uuid' };
const dateTime: Schema = { type: 'string', format: 'date-time' };
/** OpenAPI 3.0's `nullable`; an enum must name null itself (nullable does not widen it). */
const nullable = (schema: Schema): Schema =>
  Array.isArray(schema.enum)
    ? { ...schema, nullable: true, enum: [...(schema.enum as unknown[]), null] }
    : { ...schema, nullable: true };
const list = (items: Schema): Schema => ({ type: 'array', items });
const oneOf = (...values: readonly string[]): Schema => ({ type: 'string', enum: [...values] });
const map = (values: Schema): Schema => ({ type: 'object', additionalProperties: values });
/** An object; every property is required but those whose name ends in `?`. */
const object = (properties: Record<string, Schema>): Schema => {
  const named = Object.entries(properties).map(([key, schema]) => ({
    key: key.replace(/\?$/, ''),
    optional: key.endsWith('?'),
    schema,
  }));
  return {
    type: 'object',
    properties: Object.fromEntries(named.map(({ key, schema }) => [key, schema])),
    required: named.filter(({ optional }) => !optional).map(({ key }) => key),
  };
};
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const page = (items: Schema, extra: Record<string, Schema> = {}): Schema =>
  object({ items: list(items), nextCursor: nullable(string), ...extra });

const role = oneOf('organiser', 'door', 'desk');
const category = oneOf(...CATEGORIES);
const scanResult = oneOf(...new Set(Object.values(SCAN_REASONS)));
const logEntry = object({
  id: string,
  at: dateTime,
  gate: string,
  list: string,
  direction: oneOf('in', 'out'),
  result: scanResult,
  flag: nullable(string),
  attendee: nullable(object({ id: uuid, name: string })),
});

const event = object({
  id: uuid,
  slug: string,
  name: string,
  venue: nullable(string),
  startsAt: dateTime,
  endsAt: dateTime,
  timezone: string,
  erasePersonalDataAt: dateTime,
  revision: integer,
  personalDataErasedAt: nullable(dateTime),
  createdAt: dateTime,
});

const session = object({
  id: uuid,
  code: string,
  title: string,
  room: nullable(string),
  startsAt: dateTime,
  endsAt: dateTime,
  capacity: nullable(integer),
  kind: string,
});

const signupPerson = object({
  attendeeId: uuid,
  firstName: string,
  lastName: string,
  organisation: nullable(string),
  signedUpAt: dateTime,
});

const token = object({
  id: uuid,
  role,
  label: string,
  gates: list(string),
  events: list(string),
  expiresAt: nullable(dateTime),
  createdAt: dateTime,
  revokedAt: nullable(dateTime),
});

const printJob = object({
  id: uuid,
  status: oneOf(...FILE_JOB_STATUSES),
  done: integer,
  total: integer,
  'error?': nullable(string),
  layout: string,
  sort: string,
  filter: map({}),
  createdAt: dateTime,
  finishedAt: nullable(dateTime),
});

/** Its parameters depend on its code (docs/API.md: max, length, allowed, firstLine, codes, …). */
const importProblem: Schema = {
  ...object({ code: string, 'field?': string, 'value?': string }),
  additionalProperties: {},
};

const attendee = object({
  id: uuid,
  externalId: nullable(string),
  title: nullable(string),
  firstName: string,
  lastName: string,
  'email?': nullable({ ...string, description: 'never shown to door and desk tokens' }),
  organisation: nullable(string),
  category,
  sessions: list(string),
  waitlist: list(string),
  status: oneOf('registered', 'cancelled'),
  revision: integer,
  attendance: object({
    checkedInAt: nullable(dateTime),
    onSite: boolean,
    sessionsAttended: list(string),
  }),
  erasedAt: nullable(dateTime),
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const ANSWER_SCHEMAS = {
  Event: event,
  Attendee: attendee,
  /** The substitute, with whom they replaced. */
  AttendeeReplacement: {
    ...attendee,
    properties: { ...(attendee.properties as Record<string, Schema>), replaces: uuid },
    required: [...(attendee.required as string[]), 'replaces'],
  },
  AttendeePage: page(ref('Attendee'), { total: integer }),
  AttendeeImport: object({
    created: integer,
    updated: integer,
    unchanged: integer,
    rejected: list(object({ line: integer, reason: string, problems: list(importProblem) })),
    rejectedCount: integer,
  }),
  SessionsSaved: object({ created: integer, updated: integer }),
  Session: object({
    ...(session.properties as Record<string, Schema>),
    signedUp: integer,
    waiting: integer,
  }),
  SessionSignups: object({
    ...(session.properties as Record<string, Schema>),
    confirmed: list(signupPerson),
    waiting: list({ allOf: [signupPerson, object({ position: integer })] }),
  }),
  Signup: object({
    attendeeId: uuid,
    session: string,
    status: oneOf('confirmed', 'waiting', 'withdrawn'),
    'position?': { ...integer, description: 'place on the waiting list (1 = next to move up)' },
  }),
  Token: token,
  IssuedToken: { allOf: [token, object({ token: { ...string, description: 'shown this once' } })] },
  Me: object({
    id: nullable(uuid),
    role,
    label: string,
    gates: list(string),
    events: list(string),
    expiresAt: nullable(dateTime),
  }),
  Pipeline: object({
    service: string,
    outbox: object({ unsent: integer, oldestUnsentAgeSeconds: nullable(number) }),
    queue: nullable(
      object({
        name: string,
        waiting: integer,
        active: integer,
        delayed: integer,
        failed: integer,
        oldestWaitingAgeSeconds: nullable(integer),
      }),
    ),
    redis: map({}),
    reconciliation: map({}),
  }),
  FailedJobs: object({
    service: string,
    queue: nullable(string),
    total: integer,
    jobs: list(
      object({
        id: string,
        type: string,
        failedReason: string,
        attemptsMade: integer,
        failedAt: nullable(dateTime),
        occurredAt: nullable(dateTime),
      }),
    ),
  }),
  RetriedJobs: object({ retried: integer }),
  Health: object({
    status: oneOf('ok', 'error'),
    'info?': map({}),
    'error?': map({}),
    details: map({}),
  }),
  PersonalData: object({
    generatedAt: dateTime,
    event: map({}),
    attendeeId: uuid,
    registration: map({}),
    badges: nullable(map({})),
    checkin: nullable(map({})),
  }),
  PersonalDataPart: {
    type: 'object',
    description:
      "A service's own part of GET …/personal-data (badges: `badge`, `versionsIssued`, `printJobs`; check-in: `door`, `scans`, `presence`)",
    additionalProperties: {},
  },
  Erasure: object({
    id: uuid,
    erasedAt: dateTime,
    registration: object({
      fields: list(string),
      workshopPlacesFreed: list(string),
      waitingListsLeft: list(string),
      movedUp: integer,
      messagesRedacted: integer,
    }),
    badges: { ...string, description: 'what badges erases' },
    checkin: { ...string, description: 'what check-in erases' },
    kept: list(string),
  }),
  AuditPage: page(
    object({
      id: string,
      at: dateTime,
      service: string,
      token: object({ id: nullable(uuid), label: string }),
      action: string,
      attendeeId: nullable(uuid),
      details: map({}),
    }),
  ),
  Badge: object({
    status: oneOf('pending', 'issued', 'revoked'),
    qr: nullable({ ...string, description: "the exact text in the badge's QR code" }),
    version: nullable(integer),
    issuedAt: nullable(dateTime),
    'erasedAt?': nullable(dateTime),
  }),
  PrintJobAccepted: object({ id: uuid }),
  PrintJob: printJob,
  DeviceReportAnswer: object({ serverTime: dateTime, clockOffsetMs: integer }),
  DoorDevice: object({
    deviceId: string,
    token: nullable(string),
    gate: nullable(string),
    list: nullable(string),
    direction: nullable(oneOf('in', 'out')),
    online: boolean,
    lastSeenAt: nullable(dateTime),
    lastScanAt: nullable(dateTime),
    scans: integer,
    queued: nullable(integer),
    conflicts: nullable(integer),
    clockOffsetMs: nullable(integer),
    version: nullable(string),
    reports: boolean,
  }),
  CertificateJobAccepted: object({ id: uuid }),
  CertificateJob: object({
    id: uuid,
    status: oneOf(...FILE_JOB_STATUSES),
    done: integer,
    total: integer,
    format: oneOf(...CERTIFICATE_JOB_FORMATS),
    language: oneOf(...CERTIFICATE_LANGUAGES),
    rule: oneOf(...ATTENDANCE_RULES),
    createdAt: dateTime,
    finishedAt: nullable(dateTime),
    'error?': string,
  }),
  CertificateCheck: {
    oneOf: [
      object({
        genuine: { type: 'boolean', enum: [true] },
        event: object({
          name: string,
          startsAt: dateTime,
          endsAt: dateTime,
          venue: nullable(string),
          timezone: string,
        }),
        name: string,
        sessionsAttended: integer,
        issuedAt: dateTime,
      }),
      object({
        genuine: { type: 'boolean', enum: [false] },
        reason: oneOf('malformed', 'tampered', 'unknown', 'revoked'),
        message: string,
      }),
    ],
  },
  Branding: object({
    categoryColours: map(string),
    defaultColours: map(string),
    labels: oneOf('de', 'en', 'de-en'),
    hasLogo: boolean,
    logoType: nullable(oneOf('image/png', 'image/jpeg')),
    logoBytes: nullable(integer),
    updatedAt: nullable(dateTime),
  }),
  ScanAnswer: object({
    result: scanResult,
    'reason?': oneOf(...Object.keys(SCAN_REASONS)),
    'attendee?': object({
      id: uuid,
      name: string,
      organisation: nullable(string),
      category: string,
    }),
    'firstScan?': object({ at: dateTime, gate: string }),
    'flagged?': oneOf('duplicate'),
    message: string,
  }),
  ScanSnapshot: object({
    generatedAt: dateTime,
    event: object({ id: uuid, slug: string, name: string, timezone: string }),
    devicesHoldNames: boolean,
    devicesMayPrint: boolean,
    gates: list(string),
    keys: list(object({ keyId: string, publicKey: string })),
    retiredKeys: list(string),
    lists: list(object({ code: string, title: string, kind: string, capacity: nullable(integer) })),
    badges: map(
      object({
        version: nullable(integer),
        status: oneOf('registered', 'cancelled'),
        category: string,
        sessions: list(string),
        'name?': string,
        'organisation?': nullable(string),
      }),
    ),
    revoked: list(uuid),
    admitted: map(map(object({ at: dateTime, gate: string, inside: boolean }))),
  }),
  CheckinLogPage: page(
    object({
      id: string,
      at: dateTime,
      scannedAt: nullable(dateTime),
      gate: string,
      list: string,
      device: nullable(string),
      direction: oneOf('in', 'out'),
      result: scanResult,
      message: string,
      flag: nullable(string),
      attendee: nullable(object({ id: uuid, name: string })),
    }),
  ),
  Attendance: object({
    registered: integer,
    checkedIn: integer,
    onSite: integer,
    byCategory: map(object({ registered: integer, checkedIn: integer })),
    byGate: map(integer),
    sessions: list(
      object({ code: string, title: string, kind: string, capacity: integer, present: integer }),
    ),
    arrivals: list(object({ from: dateTime, count: integer })),
    latest: list(logEntry),
  }),
  ArrivalForecast: object({
    at: dateTime,
    arrived: integer,
    registered: integer,
    expectedInAll: number,
    shiftMinutes: number,
    next: list(object({ minutes: integer, expected: number, low: number, high: number })),
    gates: list(
      object({
        gate: string,
        lanes: integer,
        perLanePerMinute: number,
        measured: boolean,
        share: number,
        queue: list(object({ minutes: integer, waiting: number })),
        advice: object({
          action: oneOf('open_lanes', 'enough'),
          'lanes?': integer,
          'until?': dateTime,
        }),
      }),
    ),
    recommendation: string,
  }),
  NotArrivedPage: page(
    object({
      id: uuid,
      name: string,
      firstName: string,
      lastName: string,
      organisation: nullable(string),
      category: string,
    }),
    { total: integer },
  ),
  DoorSettings: object({
    gates: list(string),
    devicesHoldNames: boolean,
    devicesMayPrint: boolean,
  }),
  DoorLookup: object({
    items: list(
      object({
        id: uuid,
        name: string,
        organisation: nullable(string),
        category: string,
        status: oneOf('registered', 'cancelled'),
        inside: boolean,
      }),
    ),
  }),
  DashboardConfig: object({
    services: object({ registration: string, badges: string, checkin: string }),
  }),
} satisfies Record<string, Schema>;

export type AnswerName = keyof typeof ANSWER_SCHEMAS;

/** A reference to one of the answers above, for a route's response in its API document. */
export const answer = (name: AnswerName): { $ref: string } => ({
  $ref: `#/components/schemas/${name}`,
});

/** A list of one of the answers above. */
export const answers = (name: AnswerName) => ({ type: 'array' as const, items: answer(name) });

/** A file or a stream (CSV, PDF, an image, server-sent events) as a body or an answer: its bytes. */
export const FILE_SCHEMA = { type: 'string' as const, format: 'binary' };
