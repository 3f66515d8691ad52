import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/**
 * The sample congress in `data/sample/` (see SOURCE.md there): a 500-person e-government congress
 * in a stadium's event arena. The files hold the programme and the people; the event is defined here.
 */
export const SAMPLE_EVENT = {
  slug: 'tegk-2023',
  name: 'Thüringer eGovernment-Kongress 2023',
  venue: 'Steigerwaldstadion Erfurt, Event-Arena',
  startsAt: '2023-10-24T08:00:00+02:00',
  endsAt: '2023-10-24T18:00:00+02:00',
  timezone: 'Europe/Berlin',
};

export const sampleDataDir = () =>
  process.env.SAMPLE_DATA_DIR ?? join(process.cwd(), 'data', 'sample');

export interface SampleAttendee {
  externalId: string;
  title?: string;
  firstName: string;
  lastName: string;
  email?: string;
  organisation?: string;
  category: string;
  sessions: string[];
}

/** `attendees.csv` as registration requests. */
export function sampleAttendees(dir = sampleDataDir()): SampleAttendee[] {
  const rows: Record<string, string>[] = parse(readFileSync(join(dir, 'attendees.csv')), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  });
  return rows.map((row) => ({
    externalId: row.external_id,
    title: row.title || undefined,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email || undefined,
    organisation: row.organisation || undefined,
    category: row.category,
    sessions: row.sessions ? row.sessions.split(/\s+/).filter(Boolean) : [],
  }));
}

/** `sessions.csv`, the programme, as the text/csv body the sessions endpoint takes. */
export const sampleProgrammeCsv = (dir = sampleDataDir()) =>
  readFileSync(join(dir, 'sessions.csv'));
