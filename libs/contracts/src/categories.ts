/** Attendee categories, as printed on badges and counted in attendance. */
export const CATEGORIES = ['attendee', 'speaker', 'press', 'staff', 'exhibitor'] as const;
export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
