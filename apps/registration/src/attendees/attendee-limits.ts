/**
 * What the API accepts for an attendee's fields, in one place: the DTOs' validators
 * (RegisterAttendeeDto, ChangeAttendeeDto) and the import's row checks (imports/attendee-row.ts)
 * both read them, so a list imports exactly the people the API would register.
 */

/** The longest value of each text field, in characters (MaxLength counts an emoji as one). */
export const ATTENDEE_MAX_LENGTHS = {
  externalId: 64,
  title: 50,
  firstName: 100,
  lastName: 100,
  email: 254,
  organisation: 300,
} as const;

/** The most session codes one attendee may sign up for. */
export const MAX_SESSIONS_PER_ATTENDEE = 100;

/** What an external id may not contain: white space or a colon. */
export const EXTERNAL_ID_FORBIDDEN = /[\s:]/;

/** A whole valid external id: 1 to ATTENDEE_MAX_LENGTHS.externalId characters, none forbidden. */
export const EXTERNAL_ID_PATTERN = new RegExp(
  `^[^${EXTERNAL_ID_FORBIDDEN.source.slice(1, -1)}]{1,${ATTENDEE_MAX_LENGTHS.externalId}}$`,
);

export const EXTERNAL_ID_MESSAGE = `externalId must be 1 to ${ATTENDEE_MAX_LENGTHS.externalId} characters without spaces`;
