import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api';

/** An event as registration lists it (API.md: GET /api/events). */
export interface EventSummary {
  id: string;
  slug: string;
  name: string;
  venue?: string | null;
  startsAt: string;
  endsAt: string;
  timezone: string;
}

/** What every page gets: the signed-in API client and the chosen event. */
export interface Session {
  api: Api;
  event: EventSummary;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

const TOKEN_KEY = 'einlass.dashboard.token';
const EVENT_KEY = 'einlass.dashboard.event';

/**
 * The token lives for the browser tab only (sessionStorage): a shared office computer forgets it
 * when the tab closes. The chosen event is remembered across visits.
 */
export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const storeToken = (token: string) => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);
export const storedEvent = () => localStorage.getItem(EVENT_KEY);
export const storeEvent = (slug: string) => localStorage.setItem(EVENT_KEY, slug);
