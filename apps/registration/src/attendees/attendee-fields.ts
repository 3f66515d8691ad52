import type { Category } from '@einlass/contracts';
import type { Attendee } from './attendee.entity';
import { foldName } from '@einlass/door-rules';

/** The attendee's own fields, as organisers edit and import them. */
export interface AttendeeFields {
  externalId: string | null;
  title: string | null;
  firstName: string;
  lastName: string;
  email: string | null;
  organisation: string | null;
  category: Category;
}

const FIELD_NAMES: (keyof AttendeeFields)[] = [
  'externalId',
  'title',
  'firstName',
  'lastName',
  'email',
  'organisation',
  'category',
];

/** The fields after a change: only those named in the change differ; empty text becomes null. */
export function mergeFields(
  current: AttendeeFields,
  change: Partial<Record<keyof AttendeeFields, string | null>>,
): AttendeeFields {
  const merged = { ...current };
  for (const name of FIELD_NAMES) {
    const value = change[name];
    if (value === undefined) continue;
    (merged as Record<string, string | null>)[name] = value === null || value === '' ? null : value;
  }
  if (merged.email) merged.email = merged.email.toLowerCase();
  return merged;
}

export function fieldsOf(attendee: Attendee): AttendeeFields {
  const { externalId, title, firstName, lastName, email, organisation, category } = attendee;
  return { externalId, title, firstName, lastName, email, organisation, category };
}

export function fieldsDiffer(a: AttendeeFields, b: AttendeeFields): boolean {
  return FIELD_NAMES.some((name) => a[name] !== b[name]);
}

/** The folded columns search and sorting use. */
export function searchColumns(
  a: Pick<AttendeeFields, 'firstName' | 'lastName' | 'organisation' | 'email' | 'externalId'>,
) {
  return {
    searchText: foldName(
      [a.firstName, a.lastName, a.organisation, a.email, a.externalId].filter(Boolean).join(' '),
    ),
    sortName: foldName(`${a.lastName} ${a.firstName}`),
  };
}
