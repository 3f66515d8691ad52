/**
 * Set-up: what an organiser prepares once per event, without the API. Door tokens for the
 * stewards' phones and scanners (shown once, revocable), the gates and what devices may hold
 * offline, the programme (sessions.csv), and the badge design (labels, category colours, logo).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { categoryName, formatDateTime, formatNumber, useLang, useWords } from '../../i18n';
import { useSession } from '../../session';

const CATEGORIES = ['attendee', 'speaker', 'press', 'staff', 'exhibitor'] as const;

const WORDS = {
  de: {
    title: 'Einrichtung',
    intro:
      'Was vor der Veranstaltung einmal eingerichtet wird: Zugänge für das Einlasspersonal, Eingänge, Programm und Badge-Gestaltung.',
    network: 'Der Dienst ist nicht erreichbar. Bitte Verbindung prüfen.',
    saved: 'Gespeichert.',
    save: 'Speichern',
    saving: 'Wird gespeichert …',
    pipeline: {
      title: 'Nachrichten zwischen den Diensten',
      intro:
        'Ob Anmeldung, Badges und Einlass einander alles zugestellt haben: wartende Nachrichten, Warteschlangen, und was der Abgleich zuletzt nachgeholt hat.',
      service: 'Dienst',
      services: { registration: 'Anmeldung', badges: 'Badges', checkin: 'Einlass' },
      unsent: 'Nicht gesendet',
      oldest: 'Älteste wartet seit',
      waiting: 'In der Warteschlange',
      failed: 'Fehlgeschlagen',
      lastRun: 'Letzter Abgleich',
      repairs: 'Nachgeholt',
      none: 'nichts',
      never: 'noch nie',
      unreachable: 'nicht erreichbar',
      redisAway: 'Redis nicht erreichbar',
      losses: 'Redis-Datenverluste erkannt',
      seconds: 's',
      repair: (stream: string, had: number, of: number) => `${stream}: ${had} von ${of}`,
      refresh: 'Aktualisieren',
    },
    tokens: {
      title: 'Zugänge für das Einlasspersonal',
      intro:
        'Jedes Scan-Gerät (Handy, Handscanner-Tablet) meldet sich mit einem eigenen Einlass-Token an. Es darf nur scannen und Namen nachschlagen, nie E-Mail-Adressen sehen oder etwas ändern. Geht ein Gerät verloren, widerrufen Sie sein Token.',
      label: 'Bezeichnung',
      labelHint: 'z. B. „Tablet Eingang Nord“',
      gates: 'Nur an diesen Eingängen (optional)',
      gatesHint: 'durch Komma getrennt; leer = alle Eingänge',
      create: 'Token erstellen',
      creating: 'Wird erstellt …',
      createdTitle: 'Neues Token – nur jetzt sichtbar',
      createdIntro:
        'Kopieren Sie es jetzt und geben Sie es an das Gerät weiter; es wird nicht noch einmal angezeigt. Auf dem Gerät: Scanner-Seite öffnen, Token einfügen, Veranstaltungscode eingeben:',
      copy: 'Kopieren',
      copied: 'Kopiert',
      openScanner: 'Scanner-Seite öffnen',
      none: 'Noch keine Einlass-Tokens für diese Veranstaltung.',
      colLabel: 'Bezeichnung',
      colGates: 'Eingänge',
      colCreated: 'Erstellt',
      allGates: 'alle',
      revoke: 'Widerrufen',
      confirmRevoke: (label: string) =>
        `Token „${label}“ widerrufen? Das Gerät kann danach innerhalb weniger Sekunden nicht mehr scannen.`,
      revoked: (label: string) => `Token „${label}“ wurde widerrufen.`,
    },
    doors: {
      title: 'Eingänge',
      intro:
        'Sind Eingänge festgelegt, werden Scans an anderen Eingängen abgelehnt – so fallen Tippfehler auf den Geräten sofort auf.',
      gates: 'Eingänge',
      gatesHint: 'durch Komma getrennt, z. B. Nord, Süd; leer = beliebige',
      holdNames: 'Geräte dürfen Namen und Organisationen offline speichern',
      holdNamesHint:
        'Dann zeigen die Geräte auch ohne Netz Namen an und können suchen. Aus Datenschutzgründen standardmäßig aus.',
    },
    programme: {
      title: 'Programm',
      intro:
        'Laden Sie das Programm als CSV hoch (Spalten wie in sessions.csv: code, title, room, startsAt, endsAt, capacity, kind). Bekannte Codes werden aktualisiert.',
      file: 'Programmdatei (CSV)',
      upload: 'Programm hochladen',
      uploading: 'Wird hochgeladen …',
      result: (created: number, updated: number) =>
        `${created} neu angelegt, ${updated} aktualisiert.`,
      pickFirst: 'Bitte zuerst eine Datei auswählen.',
      count: (n: number) => `${n} Programmpunkte`,
      colCode: 'Code',
      colTitle: 'Titel',
      colRoom: 'Raum',
      colStarts: 'Beginn',
      colCapacity: 'Plätze',
      colSignedUp: 'Angemeldet',
      colWaiting: 'Warteliste',
      workshop: 'Workshop',
      talk: 'Vortrag',
    },
    design: {
      title: 'Badge-Gestaltung',
      intro: 'Gilt für jeden Badge dieser Veranstaltung, einzeln und im Stapeldruck.',
      labels: 'Sprache der Kategorie auf dem Badge',
      labelOptions: { de: 'Deutsch', en: 'Englisch', 'de-en': 'Deutsch · Englisch' },
      colours: 'Farbe des Kategoriebands',
      logo: 'Logo',
      logoHint: 'PNG oder JPEG, höchstens 1 MB; erscheint oben auf dem Badge.',
      logoNone: 'Kein Logo hinterlegt.',
      logoStored: (kb: string, type: string) => `Logo hinterlegt (${type}, ${kb} KB).`,
      uploadLogo: 'Logo hochladen',
      removeLogo: 'Logo entfernen',
      logoAlt: 'Aktuelles Logo der Veranstaltung',
    },
  },
  en: {
    title: 'Set-up',
    intro:
      'What is prepared once before the event: access for door staff, gates, the programme and the badge design.',
    network: 'The service cannot be reached. Check the connection.',
    saved: 'Saved.',
    save: 'Save',
    saving: 'Saving…',
    pipeline: {
      title: 'Messages between the services',
      intro:
        'Whether registration, badges and check-in have delivered everything to each other: messages waiting, the queues, and what the reconciliation last repaired.',
      service: 'Service',
      services: { registration: 'Registration', badges: 'Badges', checkin: 'Check-in' },
      unsent: 'Not sent',
      oldest: 'Oldest waiting for',
      waiting: 'In the queue',
      failed: 'Failed',
      lastRun: 'Last reconciliation',
      repairs: 'Repaired',
      none: 'nothing',
      never: 'never',
      unreachable: 'not reachable',
      redisAway: 'Redis not reachable',
      losses: 'Redis data losses found',
      seconds: 's',
      repair: (stream: string, had: number, of: number) => `${stream}: ${had} of ${of}`,
      refresh: 'Refresh',
    },
    tokens: {
      title: 'Access for door staff',
      intro:
        'Each scanning device (phone, tablet with a handheld scanner) signs in with a door token of its own. It may only scan and look up names, never see emails or change anything. If a device is lost, revoke its token.',
      label: 'Label',
      labelHint: 'e.g. "Tablet north entrance"',
      gates: 'Only at these gates (optional)',
      gatesHint: 'separated by commas; empty = every gate',
      create: 'Create token',
      creating: 'Creating…',
      createdTitle: 'New token – visible this once',
      createdIntro:
        'Copy it now and hand it to the device; it will not be shown again. On the device: open the scanner page, paste the token, enter the event code:',
      copy: 'Copy',
      copied: 'Copied',
      openScanner: 'Open the scanner page',
      none: 'No door tokens for this event yet.',
      colLabel: 'Label',
      colGates: 'Gates',
      colCreated: 'Created',
      allGates: 'all',
      revoke: 'Revoke',
      confirmRevoke: (label: string) =>
        `Revoke the token "${label}"? The device stops scanning within seconds.`,
      revoked: (label: string) => `The token "${label}" was revoked.`,
    },
    doors: {
      title: 'Gates',
      intro:
        'When gates are set, scans at any other gate are refused, so a typo on a device shows at once.',
      gates: 'Gates',
      gatesHint: 'separated by commas, e.g. North, South; empty = any',
      holdNames: 'Devices may keep names and organisations offline',
      holdNamesHint:
        'Devices then show names and can search without the network. Off by default, for privacy.',
    },
    programme: {
      title: 'Programme',
      intro:
        'Upload the programme as CSV (columns as in sessions.csv: code, title, room, startsAt, endsAt, capacity, kind). Known codes are updated.',
      file: 'Programme file (CSV)',
      upload: 'Upload programme',
      uploading: 'Uploading…',
      result: (created: number, updated: number) => `${created} created, ${updated} updated.`,
      pickFirst: 'Please choose a file first.',
      count: (n: number) => `${n} sessions`,
      colCode: 'Code',
      colTitle: 'Title',
      colRoom: 'Room',
      colStarts: 'Starts',
      colCapacity: 'Places',
      colSignedUp: 'Signed up',
      colWaiting: 'Waiting',
      workshop: 'Workshop',
      talk: 'Talk',
    },
    design: {
      title: 'Badge design',
      intro: 'Applies to every badge of this event, printed one by one or in a batch.',
      labels: 'Language of the category on the badge',
      labelOptions: { de: 'German', en: 'English', 'de-en': 'German · English' },
      colours: 'Colour of the category band',
      logo: 'Logo',
      logoHint: 'PNG or JPEG, at most 1 MB; printed at the top of the badge.',
      logoNone: 'No logo yet.',
      logoStored: (kb: string, type: string) => `Logo stored (${type}, ${kb} KB).`,
      uploadLogo: 'Upload logo',
      removeLogo: 'Remove logo',
      logoAlt: "The event's current logo",
    },
  },
};

type Words = (typeof WORDS)['de'];

/** A message after an action: green for done, red for refused. */
type Outcome = { tone: 'ok' | 'error'; text: string } | null;

function OutcomeLine(props: { outcome: Outcome; id: string }) {
  if (!props.outcome) return null;
  return (
    <p
      id={props.id}
      class={`alert ${props.outcome.tone}`}
      role={props.outcome.tone === 'error' ? 'alert' : 'status'}
    >
      {props.outcome.text}
    </p>
  );
}

function failure(error: unknown, t: Words): Outcome {
  return { tone: 'error', text: error instanceof ApiError ? error.message : t.network };
}

/**
 * What every card's buttons share: busy while a request runs (the buttons wait), and a line
 * saying what came of it. `run` shows the text `work` returns as success, an error as failure.
 */
function useSubmission(t: Words) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const run = async (work: () => Promise<string | undefined>) => {
    setBusy(true);
    setOutcome(null);
    try {
      const done = await work();
      if (done) setOutcome({ tone: 'ok', text: done });
    } catch (error) {
      setOutcome(failure(error, t));
    } finally {
      setBusy(false);
    }
  };
  const fail = (error: unknown) => setOutcome(failure(error, t));
  return { busy, outcome, setOutcome, run, fail };
}

const splitList = (text: string) => [
  ...new Set(
    text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  ),
];

/**
 * Door tokens made here stop working one day after the event's end (API.md, Access); for an event
 * already over (a rehearsal with old data), one day from now.
 */
export function doorTokenExpiry(eventEndsAt: string, now = Date.now()): string {
  const day = 24 * 60 * 60 * 1000;
  return new Date(Math.max(Date.parse(eventEndsAt), now) + day).toISOString();
}

export function SetupPage() {
  const t = useWords(WORDS);
  return (
    <div class="setup">
      <div class="page-head">
        <div>
          <h1>{t.title}</h1>
          <p class="muted">{t.intro}</p>
        </div>
      </div>
      <DoorTokens t={t} />
      <DoorSettings t={t} />
      <Programme t={t} />
      <BadgeDesign t={t} />
      <Pipeline t={t} />
    </div>
  );
}

type ServiceName = 'registration' | 'badges' | 'checkin';

interface PipelineView {
  service: ServiceName;
  outbox: { unsent: number; oldestUnsentAgeSeconds: number | null };
  queue: { name: string; waiting: number; active: number; delayed: number; failed: number } | null;
  redis: { lossesFound: number; lastLossAt: string | null; replayPending: boolean };
  reconciliation: {
    lastRunAt: string | null;
    repairs: {
      stream: string;
      scope: string;
      producer: { count: number };
      consumer: { count: number };
      at: string;
    }[];
  };
}

const SERVICES: ServiceName[] = ['registration', 'badges', 'checkin'];

/** Each service's own account of its messages (GET …/pipeline on each), side by side. */
function Pipeline({ t }: { t: Words }) {
  const { api, event } = useSession();
  const lang = useLang();
  const [views, setViews] = useState<Partial<Record<ServiceName, PipelineView | null>>>({});
  const path = `/api/events/${encodeURIComponent(event.slug)}/pipeline`;

  const load = () => {
    for (const service of SERVICES) {
      api
        .get<PipelineView>(service, path)
        .then((view) => setViews((all) => ({ ...all, [service]: view })))
        .catch(() => setViews((all) => ({ ...all, [service]: null })));
    }
  };
  useEffect(load, [path]);

  return (
    <section class="card setup-section" aria-labelledby="setup-pipeline">
      <h2 id="setup-pipeline">{t.pipeline.title}</h2>
      <p class="muted">{t.pipeline.intro}</p>
      <table class="data pipeline">
        <thead>
          <tr>
            <th scope="col">{t.pipeline.service}</th>
            <th scope="col">{t.pipeline.unsent}</th>
            <th scope="col">{t.pipeline.oldest}</th>
            <th scope="col">{t.pipeline.waiting}</th>
            <th scope="col">{t.pipeline.failed}</th>
            <th scope="col">{t.pipeline.lastRun}</th>
            <th scope="col">{t.pipeline.repairs}</th>
          </tr>
        </thead>
        <tbody>
          {SERVICES.map((service) => {
            const view = views[service];
            return (
              <tr key={service} data-service={service}>
                <th scope="row">{t.pipeline.services[service]}</th>
                {view === null ? (
                  <td colSpan={6}>{t.pipeline.unreachable}</td>
                ) : view === undefined ? (
                  <td colSpan={6}>…</td>
                ) : (
                  <>
                    <td data-cell="unsent">{formatNumber(lang, view.outbox.unsent)}</td>
                    <td>
                      {view.outbox.oldestUnsentAgeSeconds === null
                        ? '–'
                        : `${formatNumber(lang, view.outbox.oldestUnsentAgeSeconds)} ${t.pipeline.seconds}`}
                    </td>
                    <td data-cell="waiting">
                      {view.queue ? formatNumber(lang, view.queue.waiting) : t.pipeline.redisAway}
                    </td>
                    <td data-cell="failed">
                      {view.queue ? formatNumber(lang, view.queue.failed) : '–'}
                    </td>
                    <td data-cell="last-run">
                      {view.reconciliation.lastRunAt
                        ? formatDateTime(lang, view.reconciliation.lastRunAt)
                        : t.pipeline.never}
                    </td>
                    <td data-cell="repairs">
                      {view.reconciliation.repairs.length === 0
                        ? t.pipeline.none
                        : view.reconciliation.repairs
                            .map((r) =>
                              t.pipeline.repair(r.stream, r.consumer.count, r.producer.count),
                            )
                            .join('; ')}
                      {view.redis.lossesFound > 0
                        ? ` · ${t.pipeline.losses}: ${formatNumber(lang, view.redis.lossesFound)}`
                        : ''}
                    </td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" class="button" onClick={load}>
        {t.pipeline.refresh}
      </button>
    </section>
  );
}

interface TokenView {
  id: string;
  role: 'organiser' | 'door';
  label: string;
  gates: string[];
  events: string[];
  createdAt: string;
}

function DoorTokens({ t }: { t: Words }) {
  const { api, event } = useSession();
  const lang = useLang();
  const [tokens, setTokens] = useState<TokenView[] | null>(null);
  const [label, setLabel] = useState('');
  const [gates, setGates] = useState('');
  const [created, setCreated] = useState<{ label: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const { busy, outcome, run, fail } = useSubmission(t);

  const load = () =>
    api
      .get<TokenView[]>('registration', '/api/tokens')
      .then((all) =>
        setTokens(
          all.filter(
            (token) =>
              token.role === 'door' &&
              (token.events.length === 0 || token.events.includes(event.slug)),
          ),
        ),
      )
      .catch(fail);
  useEffect(() => {
    void load();
  }, [event.slug]);

  const create = (e: Event) => {
    e.preventDefault();
    setCopied(false);
    void run(async () => {
      const answer = await api.request<{ token: string; label: string }>(
        'registration',
        'POST',
        '/api/tokens',
        {
          role: 'door',
          label: label.trim(),
          gates: splitList(gates),
          events: [event.slug],
          // A steward's device needs no access after the event: the day after its end.
          expiresAt: doorTokenExpiry(event.endsAt),
        },
      );
      setCreated({ label: answer.label, token: answer.token });
      setLabel('');
      setGates('');
      await load();
      return undefined;
    });
  };

  const revoke = (token: TokenView) => {
    if (!window.confirm(t.tokens.confirmRevoke(token.label))) return;
    void run(async () => {
      await api.request('registration', 'DELETE', `/api/tokens/${token.id}`);
      await load();
      return t.tokens.revoked(token.label);
    });
  };

  const scannerUrl = `${location.origin}/scan`;
  return (
    <section class="card setup-section" aria-labelledby="setup-tokens">
      <h2 id="setup-tokens">{t.tokens.title}</h2>
      <p class="muted">{t.tokens.intro}</p>
      <form class="setup-form" onSubmit={create}>
        <label class="field">
          <span>{t.tokens.label}</span>
          <input
            name="token-label"
            value={label}
            required
            maxLength={100}
            placeholder={t.tokens.labelHint}
            onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="field">
          <span>{t.tokens.gates}</span>
          <input
            name="token-gates"
            value={gates}
            placeholder={t.tokens.gatesHint}
            onInput={(e) => setGates((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t.tokens.creating : t.tokens.create}
        </button>
      </form>
      {created && (
        <div class="setup-secret" role="status" aria-labelledby="setup-secret-title">
          <h3 id="setup-secret-title">
            {t.tokens.createdTitle}: {created.label}
          </h3>
          <p>
            {t.tokens.createdIntro} <strong>{event.slug}</strong>
          </p>
          <div class="setup-secret-row">
            <code data-testid="new-door-token">{created.token}</code>
            <button
              type="button"
              class="button"
              onClick={() => {
                void navigator.clipboard
                  ?.writeText(created.token)
                  .then(() => setCopied(true))
                  .catch(() => undefined);
              }}
            >
              {copied ? t.tokens.copied : t.tokens.copy}
            </button>
            <a class="button" href={scannerUrl} target="_blank" rel="noopener">
              {t.tokens.openScanner}
            </a>
          </div>
        </div>
      )}
      <OutcomeLine outcome={outcome} id="setup-tokens-outcome" />
      {tokens && tokens.length === 0 && <p class="muted">{t.tokens.none}</p>}
      {tokens && tokens.length > 0 && (
        <table class="data">
          <caption class="visually-hidden">{t.tokens.title}</caption>
          <thead>
            <tr>
              <th scope="col">{t.tokens.colLabel}</th>
              <th scope="col">{t.tokens.colGates}</th>
              <th scope="col">{t.tokens.colCreated}</th>
              <th scope="col">
                <span class="visually-hidden">{t.tokens.revoke}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>{token.label}</td>
                <td>{token.gates.length ? token.gates.join(', ') : t.tokens.allGates}</td>
                <td>{formatDateTime(lang, token.createdAt)}</td>
                <td class="number">
                  <button
                    type="button"
                    class="button danger"
                    aria-label={`${t.tokens.revoke}: ${token.label}`}
                    onClick={() => void revoke(token)}
                  >
                    {t.tokens.revoke}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DoorSettings({ t }: { t: Words }) {
  const { api, event } = useSession();
  const [gates, setGates] = useState('');
  const [holdNames, setHoldNames] = useState(false);
  const { busy, outcome, run, fail } = useSubmission(t);
  const path = `/api/events/${encodeURIComponent(event.slug)}/door-settings`;

  useEffect(() => {
    api
      .get<{ gates: string[]; devicesHoldNames: boolean }>('checkin', path)
      .then((settings) => {
        setGates(settings.gates.join(', '));
        setHoldNames(settings.devicesHoldNames);
      })
      .catch(fail);
  }, [path]);

  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const saved = await api.request<{ gates: string[]; devicesHoldNames: boolean }>(
        'checkin',
        'PUT',
        path,
        { gates: splitList(gates), devicesHoldNames: holdNames },
      );
      setGates(saved.gates.join(', '));
      setHoldNames(saved.devicesHoldNames);
      return t.saved;
    });
  };

  return (
    <section class="card setup-section" aria-labelledby="setup-doors">
      <h2 id="setup-doors">{t.doors.title}</h2>
      <p class="muted">{t.doors.intro}</p>
      <form class="setup-form" onSubmit={save}>
        <label class="field">
          <span>{t.doors.gates}</span>
          <input
            name="gates"
            value={gates}
            placeholder={t.doors.gatesHint}
            onInput={(e) => setGates((e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="devices-hold-names"
            checked={holdNames}
            aria-describedby="hold-names-hint"
            onChange={(e) => setHoldNames((e.target as HTMLInputElement).checked)}
          />
          <span>{t.doors.holdNames}</span>
        </label>
        <p id="hold-names-hint" class="muted setup-hint">
          {t.doors.holdNamesHint}
        </p>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
      </form>
      <OutcomeLine outcome={outcome} id="setup-doors-outcome" />
    </section>
  );
}

interface SessionRow {
  code: string;
  title: string;
  room: string | null;
  startsAt: string;
  capacity: number;
  kind: string;
  signedUp: number;
  waiting: number;
}

function Programme({ t }: { t: Words }) {
  const { api, event } = useSession();
  const lang = useLang();
  const [sessions, setSessions] = useState<SessionRow[] | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const { busy, outcome, setOutcome, run, fail } = useSubmission(t);
  const path = `/api/events/${encodeURIComponent(event.slug)}/sessions`;

  const load = () => api.get<SessionRow[]>('registration', path).then(setSessions).catch(fail);
  useEffect(() => {
    void load();
  }, [path]);

  const upload = (e: Event) => {
    e.preventDefault();
    if (!file) return setOutcome({ tone: 'error', text: t.programme.pickFirst });
    void run(async () => {
      const answer = await api.request<{ created: number; updated: number }>(
        'registration',
        'POST',
        path,
        file,
        'text/csv',
      );
      await load();
      return t.programme.result(answer.created, answer.updated);
    });
  };

  return (
    <section class="card setup-section" aria-labelledby="setup-programme">
      <h2 id="setup-programme">{t.programme.title}</h2>
      <p class="muted">{t.programme.intro}</p>
      <form class="setup-form" onSubmit={upload}>
        <label class="field">
          <span>{t.programme.file}</span>
          <input
            type="file"
            name="programme"
            accept=".csv,text/csv"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </label>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t.programme.uploading : t.programme.upload}
        </button>
      </form>
      <OutcomeLine outcome={outcome} id="setup-programme-outcome" />
      {sessions && sessions.length > 0 && (
        <div class="setup-table">
          <table class="data">
            <caption>{t.programme.count(sessions.length)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.programme.colCode}</th>
                <th scope="col">{t.programme.colTitle}</th>
                <th scope="col">{t.programme.colRoom}</th>
                <th scope="col">{t.programme.colStarts}</th>
                <th scope="col" class="number">
                  {t.programme.colCapacity}
                </th>
                <th scope="col" class="number">
                  {t.programme.colSignedUp}
                </th>
                <th scope="col" class="number">
                  {t.programme.colWaiting}
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.code}>
                  <td>
                    <span class="badge-pill">{session.code}</span>
                  </td>
                  <td>
                    {session.title}
                    <span class="muted setup-kind">
                      {' '}
                      · {session.kind === 'workshop' ? t.programme.workshop : t.programme.talk}
                    </span>
                  </td>
                  <td>{session.room ?? '–'}</td>
                  <td>{formatDateTime(lang, session.startsAt)}</td>
                  <td class="number">{formatNumber(lang, session.capacity)}</td>
                  <td class="number">{formatNumber(lang, session.signedUp)}</td>
                  <td class="number">{formatNumber(lang, session.waiting)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface Branding {
  categoryColours: Record<string, string>;
  labels: 'de' | 'en' | 'de-en';
  hasLogo: boolean;
  logoType: string | null;
  logoBytes: number | null;
  /** Each category's colour when categoryColours does not set one. */
  defaultColours: Record<string, string>;
}

function BadgeDesign({ t }: { t: Words }) {
  const { api, event } = useSession();
  const lang = useLang();
  const [branding, setBranding] = useState<Branding | null>(null);
  const [labels, setLabels] = useState<Branding['labels']>('de-en');
  const [colours, setColours] = useState<Record<string, string>>({});
  const [logoUrl, setLogoUrl] = useState<string | null>(null);
  const [logoFile, setLogoFile] = useState<File | null>(null);
  const { busy, outcome, run, fail } = useSubmission(t);
  const path = `/api/events/${encodeURIComponent(event.slug)}/branding`;

  const show = (view: Branding) => {
    setBranding(view);
    setLabels(view.labels);
    setColours({ ...view.defaultColours, ...view.categoryColours });
  };

  const loadLogo = (has: boolean) => {
    if (!has) return setLogoUrl(null);
    api
      .blob('badges', `${path}/logo`)
      .then((blob) => setLogoUrl(URL.createObjectURL(blob)))
      .catch(() => setLogoUrl(null));
  };

  useEffect(() => {
    api
      .get<Branding>('badges', path)
      .then((view) => {
        show(view);
        loadLogo(view.hasLogo);
      })
      .catch(fail);
  }, [path]);

  useEffect(() => () => void (logoUrl && URL.revokeObjectURL(logoUrl)), [logoUrl]);

  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      show(
        await api.request<Branding>('badges', 'PUT', path, {
          labels,
          categoryColours: colours,
        }),
      );
      return t.saved;
    });
  };

  const uploadLogo = () => {
    if (!logoFile) return;
    void run(async () => {
      const view = await api.request<Branding>(
        'badges',
        'PUT',
        `${path}/logo`,
        logoFile,
        logoFile.type || 'application/octet-stream',
      );
      show(view);
      loadLogo(view.hasLogo);
      return t.saved;
    });
  };

  const removeLogo = () =>
    void run(async () => {
      await api.request('badges', 'DELETE', `${path}/logo`);
      setBranding(branding && { ...branding, hasLogo: false, logoBytes: null, logoType: null });
      setLogoUrl(null);
      return t.saved;
    });

  return (
    <section class="card setup-section" aria-labelledby="setup-design">
      <h2 id="setup-design">{t.design.title}</h2>
      <p class="muted">{t.design.intro}</p>
      <form class="setup-form" onSubmit={save}>
        <label class="field">
          <span>{t.design.labels}</span>
          <select
            name="labels"
            value={labels}
            onChange={(e) => setLabels((e.target as HTMLSelectElement).value as Branding['labels'])}
          >
            {(['de', 'en', 'de-en'] as const).map((option) => (
              <option key={option} value={option}>
                {t.design.labelOptions[option]}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="setup-colours">
          <legend>{t.design.colours}</legend>
          {CATEGORIES.map((category) => (
            <label key={category} class="setup-colour">
              <input
                type="color"
                name={`colour-${category}`}
                value={colours[category] ?? '#000000'}
                onInput={(e) =>
                  setColours({ ...colours, [category]: (e.target as HTMLInputElement).value })
                }
              />
              <span>{categoryName(lang, category)}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
      </form>
      <div class="setup-logo">
        <h3>{t.design.logo}</h3>
        <p class="muted">{t.design.logoHint}</p>
        {branding?.hasLogo && logoUrl ? (
          <img class="setup-logo-preview" src={logoUrl} alt={t.design.logoAlt} />
        ) : null}
        <p>
          {branding?.hasLogo
            ? t.design.logoStored(
                formatNumber(lang, Math.round((branding.logoBytes ?? 0) / 102.4) / 10),
                branding.logoType === 'image/png' ? 'PNG' : 'JPEG',
              )
            : t.design.logoNone}
        </p>
        <div class="setup-logo-actions">
          <label class="field">
            <span class="visually-hidden">{t.design.logo}</span>
            <input
              type="file"
              name="logo"
              accept="image/png,image/jpeg"
              onChange={(e) => setLogoFile((e.target as HTMLInputElement).files?.[0] ?? null)}
            />
          </label>
          <button
            type="button"
            class="button"
            disabled={busy || !logoFile}
            onClick={() => void uploadLogo()}
          >
            {t.design.uploadLogo}
          </button>
          {branding?.hasLogo && (
            <button
              type="button"
              class="button danger"
              disabled={busy}
              onClick={() => void removeLogo()}
            >
              {t.design.removeLogo}
            </button>
          )}
        </div>
      </div>
      <OutcomeLine outcome={outcome} id="setup-design-outcome" />
    </section>
  );
}
