import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { otherLang } from '@einlass/web-ui';
import { Api, ApiError, type DashboardConfig, loadConfig } from './api';
import { LangContext, type Lang, initialLang, setDisplayTimeZone, storeLang } from './i18n';
import { href, type PageName, type Route, useRoute } from './router';
import {
  type EventSummary,
  forgetToken,
  SessionContext,
  storedEvent,
  storedToken,
  storeEvent,
  storeToken,
  useSession,
} from './session';
import { SignIn } from './sign-in';
import { AttendancePage } from './pages/attendance/attendance';
import { AttendeePage } from './pages/attendee/attendee';
import { AttendeesPage } from './pages/attendees/attendees';
import { ImportsPage } from './pages/imports/imports';
import { CertificatesPage } from './pages/certificates/certificates';
import { PrintJobsPage } from './pages/print-jobs/print-jobs';
import { SetupPage } from './pages/setup/setup';
import { AuditPage } from './pages/audit/audit';
import { DeskPage } from './pages/desk/desk';

const WORDS = {
  de: {
    product: 'Einlass',
    area: 'Organisation',
    nav: 'Bereiche',
    skip: 'Zum Inhalt springen',
    pages: {
      attendance: 'Live-Anwesenheit',
      attendees: 'Teilnehmende',
      imports: 'Import',
      'print-jobs': 'Badges drucken',
      certificates: 'Bescheinigungen',
      setup: 'Einrichtung',
      audit: 'Protokoll',
      desk: 'Empfang',
    } satisfies Record<PageName, string>,
    event: 'Veranstaltung',
    signOut: 'Abmelden',
    switchLang: 'English',
    switchLangLabel: 'Switch to English',
    loading: 'Wird geladen …',
    noEvents:
      'Es gibt noch keine Veranstaltung. Legen Sie eine über die API an (POST /api/events).',
    configFailed: 'Der Check-in-Dienst antwortet nicht. Bitte Seite neu laden.',
    expired: 'Ihre Anmeldung ist nicht mehr gültig. Bitte melden Sie sich erneut an.',
  },
  en: {
    product: 'Einlass',
    area: 'Organisers',
    nav: 'Sections',
    skip: 'Skip to content',
    pages: {
      attendance: 'Live attendance',
      attendees: 'Attendees',
      imports: 'Import',
      'print-jobs': 'Print badges',
      certificates: 'Certificates',
      setup: 'Set-up',
      audit: 'Audit log',
      desk: 'Registration desk',
    } satisfies Record<PageName, string>,
    event: 'Event',
    signOut: 'Sign out',
    switchLang: 'Deutsch',
    switchLangLabel: 'Auf Deutsch umschalten',
    loading: 'Loading…',
    noEvents: 'There is no event yet. Create one through the API (POST /api/events).',
    configFailed: 'The check-in service does not answer. Please reload the page.',
    expired: 'Your sign-in is no longer valid. Please sign in again.',
  },
};

type Phase =
  | { name: 'loading' }
  | { name: 'failed' }
  | { name: 'signed-out'; notice?: 'expired' }
  | { name: 'signed-in'; api: Api; events: EventSummary[]; role: 'organiser' | 'desk' };

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [config, setConfig] = useState<DashboardConfig | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  const [eventSlug, setEventSlug] = useState<string | null>(storedEvent);
  const t = WORDS[lang];

  useEffect(() => storeLang(lang), [lang]);

  /** The client of the signed-in token; a late 401 of an earlier one changes nothing. */
  const currentApi = useRef<Api | null>(null);

  /** Back to sign-in: the pages unmount, so everything they showed is dropped with them. */
  const signOut = useCallback((notice?: 'expired') => {
    currentApi.current = null;
    forgetToken();
    setPhase({ name: 'signed-out', notice });
  }, []);

  /** Checks a token with the services; organiser tokens get in, desk tokens to the desk page. */
  const signIn = useCallback(
    async (cfg: DashboardConfig, token: string): Promise<'ok' | 'rejected' | 'door'> => {
      const api: Api = new Api(cfg, token, () => {
        if (currentApi.current === api) signOut('expired');
      });
      try {
        const me = await new Api(cfg, token).get<{ role: string }>('checkin', '/api/me');
        if (me.role !== 'organiser' && me.role !== 'desk') return 'door';
        const role = me.role;
        const events = await api.get<EventSummary[]>('registration', '/api/events');
        storeToken(token);
        currentApi.current = api;
        setPhase({ name: 'signed-in', api, events, role });
        return 'ok';
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
          return 'rejected';
        }
        throw error;
      }
    },
    [signOut],
  );

  useEffect(() => {
    loadConfig()
      .then(async (cfg) => {
        setConfig(cfg);
        const token = storedToken();
        if (!token) return setPhase({ name: 'signed-out' });
        const outcome = await signIn(cfg, token);
        if (outcome !== 'ok') signOut('expired');
      })
      .catch(() => setPhase({ name: 'failed' }));
  }, [signIn, signOut]);

  const event = useMemo(() => {
    if (phase.name !== 'signed-in') return null;
    return phase.events.find((e) => e.slug === eventSlug) ?? phase.events[0] ?? null;
  }, [phase, eventSlug]);

  const session = useMemo(
    () => (phase.name === 'signed-in' && event ? { api: phase.api, event } : null),
    [phase, event],
  );

  const toggleLang = (
    <button
      type="button"
      class="button ghost"
      lang={otherLang(lang)}
      aria-label={t.switchLangLabel}
      onClick={() => setLang(otherLang(lang))}
    >
      {t.switchLang}
    </button>
  );

  let content;
  if (phase.name === 'loading') {
    content = (
      <main class="centered" aria-busy="true">
        <p>{t.loading}</p>
      </main>
    );
  } else if (phase.name === 'failed' || !config) {
    content = (
      <main class="centered">
        <p role="alert">{t.configFailed}</p>
      </main>
    );
  } else if (phase.name === 'signed-out') {
    content = (
      <SignIn
        notice={phase.notice === 'expired' ? t.expired : undefined}
        onSignIn={(token) => signIn(config, token)}
        langToggle={toggleLang}
      />
    );
  } else if (!session) {
    content = (
      <main class="centered">
        <p role="status">{t.noEvents}</p>
      </main>
    );
  } else {
    content = (
      <SessionContext.Provider value={session}>
        <Shell
          events={phase.events}
          onEvent={(slug) => {
            storeEvent(slug);
            setEventSlug(slug);
          }}
          onSignOut={() => signOut()}
          langToggle={toggleLang}
          words={t}
          deskOnly={phase.role === 'desk'}
        />
      </SessionContext.Provider>
    );
  }
  return <LangContext.Provider value={lang}>{content}</LangContext.Provider>;
}

function Shell(props: {
  events: EventSummary[];
  onEvent: (slug: string) => void;
  onSignOut: () => void;
  langToggle: JSX.Element;
  words: (typeof WORDS)['de'];
  /** A desk token: the desk page only (the services refuse it everything else anyway). */
  deskOnly: boolean;
}) {
  const visited = useRoute();
  const route: Route = props.deskOnly ? { page: 'desk' } : visited;
  const t = props.words;
  const pages = props.deskOnly ? (['desk'] as PageName[]) : (Object.keys(t.pages) as PageName[]);
  const { event } = useSession();
  // Before the pages render: every time they show is the event's local time.
  setDisplayTimeZone(event.timezone);
  useEffect(() => {
    document.title = `${t.pages[route.page]} · ${event.name} · Einlass`;
  }, [route.page, event.name, t]);
  return (
    <div class="shell">
      {/* not a hash link: the hash is the router's, "#main" would leave the page */}
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t.skip}
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            E
          </span>
          <span>
            <strong>{t.product}</strong> <span class="brand-area">{t.area}</span>
          </span>
        </div>
        <label class="event-picker">
          <span class="visually-hidden">{t.event}</span>
          <select
            value={event.slug}
            onChange={(e) => props.onEvent((e.target as HTMLSelectElement).value)}
          >
            {props.events.map((e) => (
              <option key={e.slug} value={e.slug}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        <div class="topbar-actions">
          {props.langToggle}
          <button type="button" class="button ghost" onClick={props.onSignOut}>
            {t.signOut}
          </button>
        </div>
      </header>
      <nav class="tabs" aria-label={t.nav}>
        {pages.map((page) => (
          <a
            key={page}
            href={href(page)}
            class="tab"
            aria-current={route.page === page ? 'page' : undefined}
          >
            {t.pages[page]}
          </a>
        ))}
      </nav>
      <main
        id="main"
        tabIndex={-1}
        class="page"
        key={`${event.slug}/${route.page}/${route.id ?? ''}`}
      >
        {route.page === 'attendance' && <AttendancePage />}
        {route.page === 'attendees' && !route.id && <AttendeesPage />}
        {route.page === 'attendees' && route.id && <AttendeePage id={route.id} />}
        {route.page === 'imports' && <ImportsPage />}
        {route.page === 'print-jobs' && <PrintJobsPage />}
        {route.page === 'certificates' && <CertificatesPage />}
        {route.page === 'setup' && <SetupPage />}
        {route.page === 'audit' && <AuditPage />}
        {route.page === 'desk' && <DeskPage />}
      </main>
    </div>
  );
}
