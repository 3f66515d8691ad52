import { Attendee } from './attendee.entity';

/**
 * An attendee as a plain SQL query returns it (snake_case columns), for the places that read
 * attendees without the ORM because building thousands of entities costs more than the query:
 * the attendee list and the import's announcements. The columns a query leaves out (the import
 * reads no email, sort name or timestamps) stay unset on the entity.
 */
export interface AttendeeRow {
  id: string;
  event_id: string;
  external_id: string | null;
  title: string | null;
  first_name: string;
  last_name: string;
  email?: string | null;
  organisation: string | null;
  category: Attendee['category'];
  status: Attendee['status'];
  revision: number;
  sort_name?: string;
  created_at?: Date;
  updated_at?: Date;
}

/** The Attendee entity of a row read with plain SQL. */
export function attendeeFromRow(row: AttendeeRow): Attendee {
  const attendee = Object.assign(new Attendee(), {
    id: row.id,
    eventId: row.event_id,
    externalId: row.external_id,
    title: row.title,
    firstName: row.first_name,
    lastName: row.last_name,
    organisation: row.organisation,
    category: row.category,
    status: row.status,
    revision: row.revision,
  });
  if (row.email !== undefined) attendee.email = row.email;
  if (row.sort_name !== undefined) attendee.sortName = row.sort_name;
  if (row.created_at !== undefined) attendee.createdAt = new Date(row.created_at);
  if (row.updated_at !== undefined) attendee.updatedAt = new Date(row.updated_at);
  return attendee;
}
