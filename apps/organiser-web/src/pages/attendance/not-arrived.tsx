/**
 * The people registered but not arrived yet, searchable (debounced) and by category, a page at a
 * time. The list refreshes quietly when someone checks in, so arrivals drop off it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { categoryName, formatNumber, useLang, useWords } from '../../i18n';
import { href } from '../../router';
import { useSession } from '../../session';
import type { NotArrivedPage, NotArrivedPerson } from '@einlass/contracts';
import { WORDS } from './words';

const PAGE = 25;
const TYPING_MS = 300;
/** After a check-in, wait this long for more before asking again (a rush sends many). */
const REFRESH_MS = 2000;

export function NotArrivedPanel(props: { categories: string[]; checkedIn: number; live: boolean }) {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [items, setItems] = useState<NotArrivedPerson[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The search the list on screen answers (it lags what is typed by the debounce). */
  const [shownQ, setShownQ] = useState('');
  const request = useRef(0);

  const path = (after: string | null) => {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (q) params.set('q', q);
    if (category) params.set('category', category);
    if (after) params.set('cursor', after);
    return `/api/events/${encodeURIComponent(event.slug)}/attendance/not-arrived?${params}`;
  };

  const load = async (after: string | null) => {
    const mine = ++request.current;
    setBusy(true);
    try {
      const page = await api.get<NotArrivedPage>('checkin', path(after));
      if (mine !== request.current) return;
      setItems((current) => (after ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setTotal(page.total);
      setShownQ(q);
      setError(null);
    } catch (e) {
      if (mine !== request.current) return;
      setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
    } finally {
      if (mine === request.current) setBusy(false);
    }
  };

  // What was typed, once the typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), TYPING_MS);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    void load(null);
  }, [q, category, event.slug]);

  // Someone checked in: the first page again, a little later (only while nobody paged on).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => {
      if (items.length <= PAGE) void load(null);
    }, REFRESH_MS);
    return () => clearTimeout(timer);
  }, [props.checkedIn]);

  // Back from a lost connection: whatever failed meanwhile is asked again.
  const wasLive = useRef(props.live);
  useEffect(() => {
    if (props.live && !wasLive.current) void load(null);
    wasLive.current = props.live;
  }, [props.live]);

  return (
    <section class="card panel not-arrived" aria-labelledby="not-arrived-title" data-q={shownQ}>
      <div class="panel-head">
        <h2 id="not-arrived-title">{t.notArrived}</h2>
        {total !== null && (
          <p class="panel-aside" data-total={total}>
            {t.notArrivedCount(formatNumber(lang, total))}
          </p>
        )}
      </div>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label class="field grow">
          <span>{t.search}</span>
          <input
            type="search"
            name="q"
            value={text}
            placeholder={t.searchPlaceholder}
            autoComplete="off"
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="field">
          <span>{t.category}</span>
          <select
            name="category"
            value={category}
            onChange={(e) => setCategory((e.target as HTMLSelectElement).value)}
          >
            <option value="">{t.allCategories}</option>
            {props.categories.map((c) => (
              <option key={c} value={c}>
                {categoryName(lang, c)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && (
        <p class="alert error" role="alert">
          {error}
        </p>
      )}
      <div aria-busy={busy ? 'true' : 'false'}>
        {items.length === 0 && total !== null && !busy ? (
          <p class="empty">{q || category ? t.notArrivedNone : t.everyoneHere}</p>
        ) : (
          <ul class="people">
            {items.map((person) => (
              <li key={person.id}>
                <a href={href('attendees', person.id)} class="person-name">
                  {person.name}
                </a>
                <span class="person-org">{person.organisation ?? ''}</span>
                <span class="person-category">{categoryName(lang, person.category)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {total !== null && items.length > 0 && (
        <div class="list-foot">
          <span class="muted">
            {t.shown(formatNumber(lang, items.length), formatNumber(lang, total))}
          </span>
          {cursor && (
            <button type="button" class="button" disabled={busy} onClick={() => void load(cursor)}>
              {t.more}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
