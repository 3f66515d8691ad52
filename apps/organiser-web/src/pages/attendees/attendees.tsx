/**
 * Attendees: the event's people in name order, searchable (names, organisation, email, booking
 * number; accents and case ignored by the server), filtered by category, status and a place in a
 * workshop — all on the server, so every page is full and the total is the whole event's — a page
 * at a time ("load more" follows the server's keyset cursor). Adding someone is a dialog.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { categoryName, formatNumber, useLang, useWords } from '../../i18n';
import { href, navigate } from '../../router';
import { useSession } from '../../session';
import { AttendeeForm, changes, valuesOf } from '../../shared/attendee-form';
import { CategoryTag } from '../../shared/categories';
import {
  type Attendee,
  type AttendeePage,
  CATEGORIES,
  eventPath,
  fullName,
  type ProgrammeSession,
  shortTitle,
} from '../../shared/types';
import { Dialog, errorText, Icon, Notice, Pill } from '../../shared/ui';

const WORDS = {
  de: {
    title: 'Teilnehmende',
    lead: 'Suchen, prüfen und korrigieren Sie Anmeldungen. Ein Klick auf den Namen öffnet Details, Badge und Check-ins.',
    add: 'Person hinzufügen',
    import: 'Liste importieren',
    search: 'Suche',
    searchPlaceholder: 'Name, Organisation, E-Mail oder Buchungsnummer',
    category: 'Kategorie',
    allCategories: 'Alle Kategorien',
    status: 'Status',
    allStatuses: 'Alle',
    registered: 'Angemeldet',
    cancelled: 'Storniert',
    workshop: 'Platz im Workshop',
    allWorkshops: 'Alle',
    clear: 'Filter zurücksetzen',
    name: 'Name',
    organisation: 'Organisation',
    workshops: 'Workshops',
    booking: 'Buchungs-Nr.',
    waiting: 'wartet',
    waitingTitle: (code: string) => `Auf der Warteliste für ${code}`,
    placeTitle: (code: string) => `Platz in ${code}`,
    loading: 'Wird geladen …',
    more: 'Weitere laden',
    shown: (n: string) => `${n} angezeigt`,
    all: (n: string) => `${n} Personen`,
    one: '1 Person',
    emptyEvent: 'Noch niemand angemeldet',
    emptyEventText: 'Importieren Sie die Anmeldeliste oder fügen Sie Personen einzeln hinzu.',
    noMatch: 'Niemand gefunden',
    noMatchText: (q: string) =>
      q
        ? `Keine Person passt zu „${q}“ mit diesen Filtern.`
        : 'Keine Person passt zu diesen Filtern.',
    failed: 'Die Liste konnte nicht geladen werden.',
    retry: 'Erneut versuchen',
    network: 'Der Anmeldedienst ist nicht erreichbar.',
    addTitle: 'Person hinzufügen',
    addSubmit: 'Hinzufügen',
    addBusy: 'Wird gespeichert …',
    close: 'Abbrechen',
    addNote: 'Das Badge wird sofort ausgestellt.',
    exists: 'Diese Buchungsnummer ist schon vergeben:',
    openExisting: 'Vorhandene Person öffnen',
    workshopLabel: (s: ProgrammeSession) => `${s.code} · ${shortTitle(s.title)}`,
  },
  en: {
    title: 'Attendees',
    lead: 'Search, check and correct registrations. Click a name for details, badge and check-ins.',
    add: 'Add attendee',
    import: 'Import a list',
    search: 'Search',
    searchPlaceholder: 'Name, organisation, email or booking number',
    category: 'Category',
    allCategories: 'All categories',
    status: 'Status',
    allStatuses: 'All',
    registered: 'Registered',
    cancelled: 'Cancelled',
    workshop: 'Place in workshop',
    allWorkshops: 'All',
    clear: 'Reset filters',
    name: 'Name',
    organisation: 'Organisation',
    workshops: 'Workshops',
    booking: 'Booking no.',
    waiting: 'waiting',
    waitingTitle: (code: string) => `On the waiting list for ${code}`,
    placeTitle: (code: string) => `Place in ${code}`,
    loading: 'Loading…',
    more: 'Load more',
    shown: (n: string) => `${n} shown`,
    all: (n: string) => `${n} people`,
    one: '1 person',
    emptyEvent: 'No one registered yet',
    emptyEventText: 'Import the registration list or add people one by one.',
    noMatch: 'No one found',
    noMatchText: (q: string) =>
      q ? `No one matches “${q}” with these filters.` : 'No one matches these filters.',
    failed: 'The list could not be loaded.',
    retry: 'Try again',
    network: 'The registration service cannot be reached.',
    addTitle: 'Add attendee',
    addSubmit: 'Add',
    addBusy: 'Saving…',
    close: 'Cancel',
    addNote: 'The badge is issued right away.',
    exists: 'This booking number is taken:',
    openExisting: 'Open that person',
    workshopLabel: (s: ProgrammeSession) => `${s.code} · ${shortTitle(s.title)}`,
  },
};

/** Rows asked per "load more". */
const PAGE = 50;
const TYPING_MS = 250;

interface Filters {
  text: string;
  category: string;
  status: string;
  workshop: string;
}

const EMPTY: Filters = { text: '', category: '', status: '', workshop: '' };
const filterKey = (slug: string) => `einlass.dashboard.attendees.${slug}`;

function storedFilters(slug: string): Filters {
  try {
    return { ...EMPTY, ...(JSON.parse(sessionStorage.getItem(filterKey(slug)) ?? '{}') as object) };
  } catch {
    return EMPTY;
  }
}

export function AttendeesPage() {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [filters, setFilters] = useState<Filters>(() => storedFilters(event.slug));
  const [q, setQ] = useState(filters.text.trim());
  const [items, setItems] = useState<Attendee[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // null until the programme has been read (a stored workshop is checked against it then)
  const [programme, setProgramme] = useState<ProgrammeSession[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [conflictId, setConflictId] = useState<string | null>(null);
  const request = useRef(0);
  const firstNew = useRef<number | null>(null);

  const workshops = (programme ?? []).filter((s) => s.kind === 'workshop');
  const filtered = Boolean(q || filters.category || filters.status || filters.workshop);

  useEffect(() => {
    sessionStorage.setItem(filterKey(event.slug), JSON.stringify(filters));
  }, [filters, event.slug]);

  useEffect(() => {
    const timer = setTimeout(() => setQ(filters.text.trim()), TYPING_MS);
    return () => clearTimeout(timer);
  }, [filters.text]);

  useEffect(() => {
    api
      .get<ProgrammeSession[]>('registration', eventPath(event.slug, '/sessions'))
      .then(setProgramme)
      .catch(() => setProgramme(null));
  }, [event.slug]);

  // A workshop remembered from earlier in this tab may have left the programme since; the server
  // would refuse it (400), so the filter drops it instead.
  useEffect(() => {
    if (programme && filters.workshop && !workshops.some((s) => s.code === filters.workshop)) {
      setFilters((current) => ({ ...current, workshop: '' }));
    }
  }, [programme]);

  const load = async (after: string | null) => {
    const mine = ++request.current;
    setBusy(true);
    setError(null);
    try {
      const params = new URLSearchParams({ limit: String(PAGE) });
      if (q) params.set('q', q);
      if (filters.category) params.set('category', filters.category);
      if (filters.status) params.set('status', filters.status);
      // the server counts a confirmed place only, not the waiting list
      if (filters.workshop) params.set('session', filters.workshop);
      if (after) params.set('cursor', after);
      const page = await api.get<AttendeePage>(
        'registration',
        eventPath(event.slug, `/attendees?${params}`),
      );
      if (mine !== request.current) return;
      firstNew.current = after ? (items?.length ?? 0) : null;
      setItems((current) => (after && current ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setTotal(page.total);
    } catch (e) {
      if (mine === request.current) setError(errorText(e, t.network));
    } finally {
      if (mine === request.current) setBusy(false);
    }
  };

  useEffect(() => {
    void load(null);
  }, [q, filters.category, filters.status, filters.workshop, event.slug]);

  // After "load more", the keyboard lands on the first new row's link.
  useEffect(() => {
    if (firstNew.current === null || !items) return;
    const link =
      document.querySelectorAll<HTMLAnchorElement>('#attendee-table tbody a')[firstNew.current];
    // Until the new rows are drawn, wait.
    if (!link) return;
    link.focus();
    firstNew.current = null;
  }, [items]);

  const update = (change: Partial<Filters>) => setFilters({ ...filters, ...change });

  // "1.234 Personen", and while not all are shown, how many are: "1.234 Personen · 50 angezeigt".
  // The total is the server's count of every match, not what has been loaded.
  const count = items?.length ?? 0;
  const people = total === 1 ? t.one : t.all(formatNumber(lang, total));
  const summary = !items
    ? t.loading
    : cursor
      ? `${people} · ${t.shown(formatNumber(lang, count))}`
      : people;

  return (
    <div class="org-page attendees-page">
      <header class="org-head">
        <div>
          <h1>{t.title}</h1>
          <p class="org-lead">{t.lead}</p>
        </div>
        <div class="org-actions">
          <a class="button" href={href('imports')}>
            <Icon name="upload" />
            {t.import}
          </a>
          <button
            type="button"
            class="button primary"
            id="add-attendee"
            onClick={() => {
              setConflictId(null);
              setAdding(true);
            }}
          >
            <Icon name="plus" />
            {t.add}
          </button>
        </div>
      </header>

      <section class="card att-list" aria-labelledby="att-list-title">
        <h2 id="att-list-title" class="visually-hidden">
          {t.title}
        </h2>
        <form class="att-filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <div class="field att-search">
            <label for="attendee-search">{t.search}</label>
            <span class="att-search-box">
              <Icon name="search" />
              <input
                id="attendee-search"
                type="search"
                placeholder={t.searchPlaceholder}
                value={filters.text}
                autoComplete="off"
                onInput={(e) => update({ text: (e.target as HTMLInputElement).value })}
              />
            </span>
          </div>
          <div class="field">
            <label for="attendee-category">{t.category}</label>
            <select
              id="attendee-category"
              value={filters.category}
              onChange={(e) => update({ category: (e.target as HTMLSelectElement).value })}
            >
              <option value="">{t.allCategories}</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryName(lang, c)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="attendee-status">{t.status}</label>
            <select
              id="attendee-status"
              value={filters.status}
              onChange={(e) => update({ status: (e.target as HTMLSelectElement).value })}
            >
              <option value="">{t.allStatuses}</option>
              <option value="registered">{t.registered}</option>
              <option value="cancelled">{t.cancelled}</option>
            </select>
          </div>
          <div class="field">
            <label for="attendee-workshop">{t.workshop}</label>
            <select
              id="attendee-workshop"
              value={filters.workshop}
              onChange={(e) => update({ workshop: (e.target as HTMLSelectElement).value })}
            >
              <option value="">{t.allWorkshops}</option>
              {workshops.map((s) => (
                <option key={s.code} value={s.code}>
                  {t.workshopLabel(s)}
                </option>
              ))}
            </select>
          </div>
          {filtered && (
            <button type="button" class="button ghost att-clear" onClick={() => setFilters(EMPTY)}>
              {t.clear}
            </button>
          )}
        </form>

        <p class="att-summary" role="status" aria-live="polite" id="attendee-summary">
          {summary}
        </p>

        {error && (
          <Notice tone="error">
            {t.failed} {error}{' '}
            <button type="button" class="button" onClick={() => void load(null)}>
              {t.retry}
            </button>
          </Notice>
        )}

        {items && items.length === 0 && !busy && !error && (
          <div class="org-empty" id="attendees-empty">
            <p class="org-empty-title">{filtered ? t.noMatch : t.emptyEvent}</p>
            <p class="muted">{filtered ? t.noMatchText(q) : t.emptyEventText}</p>
            <div class="org-actions">
              {filtered ? (
                <button type="button" class="button" onClick={() => setFilters(EMPTY)}>
                  {t.clear}
                </button>
              ) : (
                <>
                  <a class="button primary" href={href('imports')}>
                    {t.import}
                  </a>
                  <button type="button" class="button" onClick={() => setAdding(true)}>
                    {t.add}
                  </button>
                </>
              )}
            </div>
          </div>
        )}

        {items && items.length > 0 && (
          <div class="org-table-wrap">
            <table class="data org-table att-table" id="attendee-table" aria-busy={busy}>
              <caption class="visually-hidden">{summary}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.name}</th>
                  <th scope="col">{t.organisation}</th>
                  <th scope="col">{t.category}</th>
                  <th scope="col">{t.workshops}</th>
                  <th scope="col">{t.booking}</th>
                  <th scope="col">{t.status}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id} class={a.status === 'cancelled' ? 'is-cancelled' : undefined}>
                    <td class="att-name">
                      <a href={href('attendees', a.id)}>{fullName(a)}</a>
                      {a.email && <span class="att-email">{a.email}</span>}
                    </td>
                    <td>{a.organisation ?? <span class="muted">–</span>}</td>
                    <td>
                      <CategoryTag lang={lang} category={a.category} />
                    </td>
                    <td class="att-workshops">
                      {a.sessions.map((code) => (
                        <Pill key={code} tone="brand" title={t.placeTitle(code)}>
                          {code}
                        </Pill>
                      ))}
                      {a.waitlist.map((code) => (
                        <Pill key={code} tone="amber" title={t.waitingTitle(code)}>
                          {code} · {t.waiting}
                        </Pill>
                      ))}
                      {a.sessions.length + a.waitlist.length === 0 && <span class="muted">–</span>}
                    </td>
                    <td class="att-booking">{a.externalId ?? <span class="muted">–</span>}</td>
                    <td>
                      {a.status === 'cancelled' ? (
                        <Pill tone="red">{t.cancelled}</Pill>
                      ) : (
                        <Pill tone="green">{t.registered}</Pill>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        {cursor && (
          <div class="att-more">
            <button
              type="button"
              class="button"
              id="attendees-more"
              disabled={busy}
              onClick={() => void load(cursor)}
            >
              {busy ? t.loading : t.more}
            </button>
          </div>
        )}
      </section>

      <Dialog
        open={adding}
        id="add-dialog"
        title={t.addTitle}
        wide
        onClose={() => setAdding(false)}
      >
        {conflictId && (
          <Notice tone="warn" focus>
            {t.exists}{' '}
            <a href={href('attendees', conflictId)} onClick={() => setAdding(false)}>
              {t.openExisting}
            </a>
          </Notice>
        )}
        <AttendeeForm
          idPrefix="add"
          initial={valuesOf()}
          workshops={workshops}
          submitLabel={t.addSubmit}
          busyLabel={t.addBusy}
          note={t.addNote}
          cancelLabel={t.close}
          onCancel={() => setAdding(false)}
          onSubmit={async (values, sessions) => {
            setConflictId(null);
            try {
              const created = await api.request<Attendee>(
                'registration',
                'POST',
                eventPath(event.slug, '/attendees'),
                { ...changes(values), ...(sessions.length ? { sessions } : {}) },
              );
              setAdding(false);
              navigate('attendees', created.id);
            } catch (error) {
              const body = (error as { status?: number; body?: { id?: string } }).body;
              if ((error as { status?: number }).status === 409 && body?.id) setConflictId(body.id);
              throw error;
            }
          }}
        />
      </Dialog>
    </div>
  );
}
