import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes, so one page served at /dashboard holds them all and a reload keeps the place:
 * `#/attendance`, `#/attendees`, `#/attendees/<id>`, `#/imports`, `#/print-jobs`, `#/certificates`,
 * `#/setup`, `#/audit`, `#/desk` (the registration desk; the only page a desk token sees).
 */
export type PageName =
  | 'attendance'
  | 'attendees'
  | 'imports'
  | 'print-jobs'
  | 'certificates'
  | 'setup'
  | 'audit'
  | 'desk';

export const PAGES: PageName[] = [
  'attendance',
  'attendees',
  'imports',
  'print-jobs',
  'certificates',
  'setup',
  'audit',
  'desk',
];

export interface Route {
  page: PageName;
  /** The part after the page: an attendee id on `attendees`. */
  id?: string;
}

export function parseRoute(hash: string): Route {
  const [page, id] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const known = PAGES.find((name) => name === page) ?? 'attendance';
  return id && known === page ? { page: known, id } : { page: known };
}

export function href(page: PageName, id?: string): string {
  return id ? `#/${page}/${encodeURIComponent(id)}` : `#/${page}`;
}

export function navigate(page: PageName, id?: string): void {
  location.hash = href(page, id);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
