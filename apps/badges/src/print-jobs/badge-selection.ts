import type { EntityManager } from 'typeorm';
import { CATEGORIES, type Category } from '@einlass/contracts';
import type { PrintFilter, PrintSort } from './print-job.entity';

/** What sorting needs of a badge: a few short fields, not the whole badge. */
export interface SortKey {
  id: string;
  lastName: string;
  firstName: string;
  organisation: string | null;
  category: Category;
}

/**
 * German collation, as a printed list is read: "Ä" sorts with "A", "ß" as "ss", case and accents
 * only break ties; digits by value.
 */
const GERMAN = new Intl.Collator('de', { sensitivity: 'variant', numeric: true });
const CATEGORY_ORDER = new Map(CATEGORIES.map((category, index) => [category, index]));

const byName = (a: SortKey, b: SortKey) =>
  GERMAN.compare(a.lastName, b.lastName) ||
  GERMAN.compare(a.firstName, b.firstName) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const COMPARATORS: Record<PrintSort, (a: SortKey, b: SortKey) => number> = {
  lastName: byName,
  // Badges without an organisation last.
  organisation: (a, b) =>
    (a.organisation === null ? 1 : 0) - (b.organisation === null ? 1 : 0) ||
    GERMAN.compare(a.organisation ?? '', b.organisation ?? '') ||
    byName(a, b),
  category: (a, b) =>
    CATEGORY_ORDER.get(a.category)! - CATEGORY_ORDER.get(b.category)! || byName(a, b),
};

/** Sorts in place, and returns the array. A total order: the same badges always print the same. */
export function sortForPrinting<T extends SortKey>(keys: T[], sort: PrintSort): T[] {
  return keys.sort(COMPARATORS[sort]);
}

/** The WHERE clause of a filter over `badges`, with its parameters from $2 on ($1 is the event). */
export function selectionWhere(filter: PrintFilter): { where: string; params: unknown[] } {
  const conditions = [`event_id = $1`, `status = 'issued'`];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value) + 1}`;
  if (filter.categories?.length) {
    conditions.push(`attendee->>'category' = ANY(${param(filter.categories)}::text[])`);
  }
  if (filter.sessions?.length) {
    conditions.push(`attendee->'sessions' ?| ${param(filter.sessions)}::text[]`);
  }
  if (filter.ids?.length) conditions.push(`id = ANY(${param(filter.ids)}::uuid[])`);
  if (filter.onlyUnprinted) conditions.push(`printed_at IS NULL`);
  return { where: conditions.join(' AND '), params };
}

/** How many issued badges of the event the filter selects. */
export async function countSelection(
  manager: EntityManager,
  eventId: string,
  filter: PrintFilter,
): Promise<number> {
  const { where, params } = selectionWhere(filter);
  const [{ count }] = await manager.query<{ count: number }[]>(
    `SELECT count(*)::int AS count FROM badges WHERE ${where}`,
    [eventId, ...params],
  );
  return count;
}

/** The ids of the selected badges in print order. */
export async function selectForPrinting(
  manager: EntityManager,
  eventId: string,
  filter: PrintFilter,
  sort: PrintSort,
): Promise<string[]> {
  const { where, params } = selectionWhere(filter);
  const keys = await manager.query<SortKey[]>(
    `SELECT id, attendee->>'lastName' AS "lastName", attendee->>'firstName' AS "firstName",
            attendee->>'organisation' AS organisation, attendee->>'category' AS category
       FROM badges WHERE ${where}`,
    [eventId, ...params],
  );
  return sortForPrinting(keys, sort).map((key) => key.id);
}
