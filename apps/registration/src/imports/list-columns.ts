import type { Category } from '@einlass/contracts';
import { AttendeeFileError } from './attendee-file-error';
import { fileProblems, type ImportField } from './import-problems';

/**
 * The words a list may use: the names of its columns and of the categories, in English and
 * German; and finding each field's column in a header.
 */

type Field = ImportField;

/**
 * Header names each field is known by, English and German. Compared after `normaliseName`, so
 * "E-Mail", "e_mail" and "EMAIL" are one name. The first two of each list (English, German) are
 * the examples named when a column is missing. Deliberately absent: "ID" (often a row number or
 * another system's key), "Name" (often the full name) and "Anrede" (Herr/Frau, not a title).
 */
const COLUMN_NAMES: Record<Field, readonly string[]> = {
  externalId: [
    'external_id',
    'Buchungsnummer',
    'external id',
    'booking number',
    'booking id',
    'booking reference',
    'ticket number',
    'ticket id',
    'registration number',
    'registration id',
    'Buchungs-Nr',
    'Buchungs-ID',
    'Ticketnummer',
    'Ticket-Nr',
    'Registrierungsnummer',
    'Anmeldenummer',
    'Anmelde-Nr',
    'Teilnehmernummer',
    'Teilnehmer-Nr',
  ],
  title: ['title', 'Titel', 'academic title', 'akademischer Titel'],
  firstName: ['first_name', 'Vorname', 'first name', 'given name', 'forename', 'Rufname'],
  lastName: ['last_name', 'Nachname', 'last name', 'surname', 'family name', 'Familienname'],
  email: [
    'email',
    'E-Mail',
    'email address',
    'mail',
    'E-Mail-Adresse',
    'Mailadresse',
    'Mail-Adresse',
  ],
  organisation: [
    'organisation',
    'Organisation',
    'organization',
    'company',
    'institution',
    'employer',
    'agency',
    'Behörde',
    'Behoerde',
    'Firma',
    'Unternehmen',
    'Dienststelle',
    'Arbeitgeber',
  ],
  category: [
    'category',
    'Kategorie',
    'type',
    'attendee type',
    'participant type',
    'registration type',
    'Teilnehmerart',
    'Teilnehmertyp',
    'Typ',
  ],
  sessions: ['sessions', 'Workshops', 'session', 'workshop', 'session codes', 'workshop codes'],
};

const REQUIRED_FIELDS: readonly Field[] = ['externalId', 'firstName', 'lastName', 'category'];

/**
 * Category values, English and German, compared after `normaliseName`, so the gender-inclusive
 * spellings common in German public-sector lists ("Teilnehmer*innen", "Referent:in") fold into
 * "teilnehmerinnen" and "referentin". The second name of each list is the German one named when
 * a value is unknown; "Organisation" is what the German export calls staff.
 */
export const CATEGORY_NAMES: Record<Category, readonly string[]> = {
  attendee: [
    'attendee',
    'Teilnehmer',
    'attendees',
    'participant',
    'participants',
    'delegate',
    'delegates',
    'Teilnehmerin',
    'Teilnehmerinnen',
    'Teilnehmende',
    'Teilnehmender',
    'Besucher',
    'Besucherin',
    'Besucherinnen',
  ],
  speaker: [
    'speaker',
    'Referent',
    'speakers',
    'presenter',
    'presenters',
    'Referenten',
    'Referentin',
    'Referentinnen',
    'Vortragende',
    'Vortragender',
    'Redner',
    'Rednerin',
    'Rednerinnen',
  ],
  press: [
    'press',
    'Presse',
    'media',
    'journalist',
    'journalists',
    'Medien',
    'Journalistin',
    'Journalisten',
    'Journalistinnen',
  ],
  staff: [
    'staff',
    'Organisation',
    'organiser',
    'organisers',
    'organizer',
    'organizers',
    'crew',
    'Orga',
    'Organisationsteam',
    'Veranstalter',
    'Veranstalterin',
    'Mitarbeiter',
    'Mitarbeiterin',
    'Mitarbeiterinnen',
    'Helfer',
    'Helferin',
    'Helferinnen',
  ],
  exhibitor: ['exhibitor', 'Aussteller', 'exhibitors', 'Ausstellerin', 'Ausstellerinnen'],
};

/** Lower case, letters and digits only: "E-Mail-Adresse" and "e_mail adresse" compare equal. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function lookup<K extends string>(names: Record<K, readonly string[]>): Map<string, K> {
  const map = new Map<string, K>();
  for (const key of Object.keys(names) as K[]) {
    for (const name of names[key]) map.set(normaliseName(name), key);
  }
  return map;
}

export const FIELD_BY_NAME = lookup(COLUMN_NAMES);
export const CATEGORY_BY_NAME = lookup(CATEGORY_NAMES);

/**
 * Lines a list may have above its header (a title, a date, a note, as spreadsheets often do);
 * the header is the first of them that names the required columns.
 */
export const LINES_BEFORE_HEADER = 10;

export type ColumnIndex = Partial<Record<Field, number>>;

/** Whether a record names every required column: then it is the header. */
export function namesAllRequired(cells: string[]): boolean {
  const fields = new Set(cells.map((name) => FIELD_BY_NAME.get(normaliseName(name))));
  return REQUIRED_FIELDS.every((field) => fields.has(field));
}

/** Finds each field's column; refuses a header that lacks a required one or names one twice. */
export function mapHeader(names: string[]): ColumnIndex {
  const columns: ColumnIndex = {};
  names.forEach((name, index) => {
    const field = FIELD_BY_NAME.get(normaliseName(name));
    if (field === undefined) return; // a column the import does not use
    const earlier = columns[field];
    if (earlier !== undefined) {
      throw new AttendeeFileError(fileProblems.duplicateColumn(field, names[earlier], name));
    }
    columns[field] = index;
  });
  const missing = REQUIRED_FIELDS.filter((field) => columns[field] === undefined);
  if (missing.length > 0) {
    const found = names.filter((name) => name !== '');
    throw new AttendeeFileError(
      fileProblems.missingColumns(
        missing.map((field) => ({ field, examples: COLUMN_NAMES[field] })),
        found,
      ),
    );
  }
  return columns;
}
