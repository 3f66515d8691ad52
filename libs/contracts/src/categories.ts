/** Attendee categories, as printed on badges and counted in attendance. */
export const CATEGORIES = ['attendee', 'speaker', 'press', 'staff', 'exhibitor'] as const;
export type Category = (typeof CATEGORIES)[number];
