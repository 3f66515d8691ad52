/**
 * One attendee: details (editable), badge status and version, workshops and waiting lists, the
 * check-in history, and the desk's actions: reprint the badge (badge.pdf), check in by hand
 * (lost badge), cancel the registration (after a confirmation).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { SCAN_RESULT_LABELS } from '@einlass/contracts';
import { ApiError } from '../../api';
import { formatDateTime, formatTime, type Lang, useLang, useWords } from '../../i18n';
import { href } from '../../router';
import { useSession } from '../../session';
import { AttendeeForm, changes, valuesOf } from '../../shared/attendee-form';
import { CategoryTag } from '../../shared/categories';
import { WorkshopsCard } from './workshops-card';
import {
  type Attendee,
  type BadgeState,
  type CheckinLogItem,
  type DoorSettings,
  eventPath,
  fullName,
  type ProgrammeSession,
  type ScanAnswer,
  type ScanResult,
} from '../../shared/types';
import { Dialog, errorText, Icon, Notice, Pill, type Tone } from '../../shared/ui';

const RESULT_TONE: Record<ScanResult, Tone> = {
  admitted: 'green',
  already_admitted: 'amber',
  left: 'brand',
  revoked: 'red',
  invalid: 'red',
  wrong_event: 'red',
  not_on_list: 'red',
  capacity_full: 'red',
};

const WORDS = {
  de: {
    back: 'Alle Teilnehmenden',
    loading: 'Wird geladen …',
    notFound: 'Diese Person gibt es in dieser Veranstaltung nicht.',
    network: 'Ein Dienst ist nicht erreichbar. Bitte Verbindung prüfen.',
    registered: 'Angemeldet',
    cancelled: 'Storniert',
    booking: 'Buchungs-Nr.',
    personalData: 'Auskunft (Art. 15 DSGVO)',
    personalDataLoading: 'Wird zusammengestellt …',
    personalDataDone: 'Alle gespeicherten Daten der Person wurden als JSON-Datei heruntergeladen.',
    reprint: 'Badge drucken',
    reprinting: 'Wird erstellt …',
    reprinted: 'Das Badge-PDF wurde heruntergeladen.',
    lost: 'Badge verloren: neu ausstellen',
    confirmLost:
      'Ein neues Badge ausstellen? Das bisherige wird ab sofort am Einlass abgewiesen; drucken Sie danach das neue.',
    cancel: 'Anmeldung stornieren',
    details: 'Angaben',
    detailsNote:
      'Ändern sich Name, Titel, Organisation oder Kategorie, wird das Badge neu ausgestellt; das alte wird am Einlass abgewiesen.',
    save: 'Änderungen speichern',
    saving: 'Wird gespeichert …',
    saved: 'Gespeichert.',
    nothingChanged: 'Es wurde nichts geändert.',
    reissuing: 'Das Badge wird neu ausgestellt …',
    reissued: (v: number) => `Neues Badge ausgestellt: Version ${v}. Bitte neu drucken.`,
    cancelledNote:
      'Diese Anmeldung ist storniert. Angaben können nicht mehr geändert werden, das Badge ist gesperrt.',
    badge: 'Badge',
    badgeStatus: { pending: 'Wird ausgestellt', issued: 'Gültig', revoked: 'Gesperrt' },
    version: 'Version',
    issuedAt: 'Ausgestellt',
    badgeNote:
      'Jede gedruckte Änderung erhöht die Version; ältere Badges werden am Einlass abgewiesen.',
    checkin: 'Manuell einchecken',
    checkinNote: 'Für Personen ohne Badge (vergessen, verloren). Zählt wie ein Scan.',
    gate: 'Eingang',
    list: 'Liste',
    main: 'Haupteingang',
    checkinSubmit: 'Einchecken',
    checkingIn: 'Wird geprüft …',
    firstScan: (at: string, gate: string) => `Zuerst eingelassen ${at} am Eingang ${gate}.`,
    history: 'Check-in-Verlauf',
    historyEmpty: 'Noch kein Check-in.',
    time: 'Zeit',
    direction: 'Richtung',
    in: 'hinein',
    out: 'hinaus',
    result: 'Ergebnis',
    device: 'Gerät',
    organiserDevice: 'Organisation',
    duplicate: 'Doppelung',
    confirmTitle: 'Anmeldung stornieren?',
    confirmText: (name: string) =>
      `${name} wird storniert. Das Badge wird sofort gesperrt und am Einlass abgewiesen; Workshop-Plätze werden frei und an die Warteliste vergeben. Das lässt sich hier nicht rückgängig machen.`,
    confirm: 'Ja, stornieren',
    keep: 'Nicht stornieren',
    cancelling: 'Wird storniert …',
    wasCancelled: (name: string) => `${name} ist storniert; das Badge ist gesperrt.`,
    failed: 'Das hat nicht geklappt:',
  },
  en: {
    back: 'All attendees',
    loading: 'Loading…',
    notFound: 'This person does not exist in this event.',
    network: 'A service cannot be reached. Please check the connection.',
    registered: 'Registered',
    cancelled: 'Cancelled',
    booking: 'Booking no.',
    personalData: 'Personal data (Art. 15 GDPR)',
    personalDataLoading: 'Gathering…',
    personalDataDone: 'Everything held about this person was downloaded as a JSON file.',
    reprint: 'Print badge',
    reprinting: 'Preparing…',
    reprinted: 'The badge PDF was downloaded.',
    lost: 'Lost badge: issue a new one',
    confirmLost:
      'Issue a new badge? The current one is refused at the door from now on; print the new one afterwards.',
    cancel: 'Cancel registration',
    details: 'Details',
    detailsNote:
      'A change to the name, title, organisation or category re-issues the badge; the old one is refused at the door.',
    save: 'Save changes',
    saving: 'Saving…',
    saved: 'Saved.',
    nothingChanged: 'Nothing was changed.',
    reissuing: 'The badge is being re-issued…',
    reissued: (v: number) => `New badge issued: version ${v}. Please print it again.`,
    cancelledNote:
      'This registration is cancelled. Its details can no longer be changed; the badge is revoked.',
    badge: 'Badge',
    badgeStatus: { pending: 'Being issued', issued: 'Valid', revoked: 'Revoked' },
    version: 'Version',
    issuedAt: 'Issued',
    badgeNote: 'Each printed change raises the version; older badges are refused at the door.',
    checkin: 'Check in by hand',
    checkinNote: 'For people without their badge (forgotten, lost). Counts like a scan.',
    gate: 'Gate',
    list: 'List',
    main: 'Main entrance',
    checkinSubmit: 'Check in',
    checkingIn: 'Checking…',
    firstScan: (at: string, gate: string) => `First admitted ${at} at gate ${gate}.`,
    history: 'Check-in history',
    historyEmpty: 'No check-in yet.',
    time: 'Time',
    direction: 'Direction',
    in: 'in',
    out: 'out',
    result: 'Result',
    device: 'Device',
    organiserDevice: 'Organisers',
    duplicate: 'duplicate',
    confirmTitle: 'Cancel this registration?',
    confirmText: (name: string) =>
      `${name} will be cancelled. The badge is revoked at once and refused at the door; workshop places go to the waiting lists. This cannot be undone here.`,
    confirm: 'Yes, cancel',
    keep: 'Keep registration',
    cancelling: 'Cancelling…',
    wasCancelled: (name: string) => `${name} is cancelled; the badge is revoked.`,
    failed: 'That did not work:',
  },
};

type Words = (typeof WORDS)['de'];

const PRINTED = ['title', 'firstName', 'lastName', 'organisation', 'category'];
const GATE_KEY = 'einlass.dashboard.desk-gate';

interface Flash {
  tone: 'ok' | 'error' | 'info' | 'warn';
  text: string;
  id: number;
}

export function AttendeePage(props: { id: string }) {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [attendee, setAttendee] = useState<Attendee | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [badge, setBadge] = useState<BadgeState | null>(null);
  const [history, setHistory] = useState<CheckinLogItem[] | null>(null);
  const [programme, setProgramme] = useState<ProgrammeSession[]>([]);
  const [flash, setFlash] = useState<Flash | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [reprinting, setReprinting] = useState(false);
  const [reissuing, setReissuing] = useState(false);
  const [gathering, setGathering] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const alive = useRef(true);
  const base = eventPath(event.slug, `/attendees/${encodeURIComponent(props.id)}`);

  const say = (tone: Flash['tone'], text: string) => setFlash({ tone, text, id: Date.now() });

  const loadBadge = () =>
    api
      .get<BadgeState>('badges', `${base}/badge`)
      .then((b) => {
        if (alive.current) setBadge(b);
        return b;
      })
      .catch(() => null);

  const loadProgramme = () =>
    api
      .get<ProgrammeSession[]>('registration', eventPath(event.slug, '/sessions'))
      .then((p) => alive.current && setProgramme(p))
      .catch(() => alive.current && setProgramme([]));

  /** After a workshop change: the person (places, waiting lists) and the programme's counts. */
  const reloadPerson = () => {
    void api
      .get<Attendee>('registration', base)
      .then((a) => alive.current && setAttendee(a))
      .catch(() => undefined);
    void loadProgramme();
  };

  const loadHistory = () =>
    api
      .get<{ items: CheckinLogItem[] }>(
        'checkin',
        eventPath(event.slug, `/checkins?attendeeId=${encodeURIComponent(props.id)}&limit=100`),
      )
      .then((page) => alive.current && setHistory(page.items))
      .catch(() => alive.current && setHistory([]));

  useEffect(() => {
    alive.current = true;
    api
      .get<Attendee>('registration', base)
      .then((a) => {
        setAttendee(a);
        requestAnimationFrame(() => heading.current?.focus());
      })
      .catch((e) =>
        setMissing(
          e instanceof ApiError && e.status === 404 ? t.notFound : errorText(e, t.network),
        ),
      );
    void loadBadge();
    void loadHistory();
    void loadProgramme();
    return () => {
      alive.current = false;
    };
  }, [props.id, event.slug]);

  // A badge still being issued (someone just registered or imported): ask again until it is.
  useEffect(() => {
    if (badge?.status !== 'pending' || attendee?.status === 'cancelled') return;
    const timer = setTimeout(() => void loadBadge(), 1000);
    return () => clearTimeout(timer);
  }, [badge, attendee?.status]);

  /** After a printed change: ask until the badges service has issued the next version. */
  const waitForVersion = async (above: number) => {
    setReissuing(true);
    for (let i = 0; i < 40 && alive.current; i++) {
      const b = await loadBadge();
      if (b && b.version !== null && b.version > above) {
        say('ok', `${t.saved} ${t.reissued(b.version)}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (alive.current) setReissuing(false);
  };

  if (missing) {
    return (
      <div class="org-page">
        <BackLink label={t.back} />
        <Notice tone="error" focus>
          {missing}
        </Notice>
      </div>
    );
  }
  if (!attendee) {
    return (
      <div class="org-page" aria-busy="true">
        <BackLink label={t.back} />
        <p class="org-loading">{t.loading}</p>
      </div>
    );
  }

  const name = fullName(attendee);
  const cancelled = attendee.status === 'cancelled';

  const reprint = async () => {
    setReprinting(true);
    try {
      const file = `badge-${attendee.lastName}-${attendee.firstName}.pdf`
        .normalize('NFKD')
        .replace(/[^\w.-]+/g, '_');
      await api.download('badges', `${base}/badge.pdf`, file);
      say('ok', t.reprinted);
    } catch (e) {
      say('error', `${t.failed} ${errorText(e, t.network)}`);
    } finally {
      setReprinting(false);
    }
  };

  /** Everything the three services hold about the person, as one JSON file (Art. 15 GDPR). */
  const downloadPersonalData = async () => {
    setGathering(true);
    try {
      await api.download('registration', `${base}/personal-data`, `personal-data-${props.id}.json`);
      say('ok', t.personalDataDone);
    } catch (e) {
      say('error', `${t.failed} ${errorText(e, t.network)}`);
    } finally {
      setGathering(false);
    }
  };

  /** A lost badge: the next version, so the lost one is refused at the door. */
  const replaceLost = async () => {
    if (!window.confirm(t.confirmLost)) return;
    setReissuing(true);
    try {
      const issued = await api.request<BadgeState>('badges', 'POST', `${base}/badge/reissue`);
      setBadge(issued);
      if (issued.version !== null) say('ok', t.reissued(issued.version));
    } catch (e) {
      say('error', `${t.failed} ${errorText(e, t.network)}`);
    } finally {
      setReissuing(false);
    }
  };

  const cancel = async () => {
    setCancelling(true);
    try {
      const updated = await api.request<Attendee>('registration', 'POST', `${base}/cancel`);
      setAttendee(updated);
      setConfirming(false);
      say('ok', t.wasCancelled(name));
      heading.current?.focus();
      // the revocation reaches the badges service through its queue
      for (let i = 0; i < 20 && alive.current; i++) {
        const b = await loadBadge();
        if (b?.status === 'revoked') break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } catch (e) {
      setConfirming(false);
      say('error', `${t.failed} ${errorText(e, t.network)}`);
    } finally {
      setCancelling(false);
    }
  };

  return (
    <div class="org-page attendee-page">
      <BackLink label={t.back} />
      <header class="org-head att-person-head">
        <div>
          <h1 ref={heading} tabIndex={-1} id="attendee-name">
            {name}
          </h1>
          <p class="att-facts">
            {attendee.status === 'cancelled' ? (
              <Pill tone="red">
                <span id="attendee-status" data-status={attendee.status}>
                  {t.cancelled}
                </span>
              </Pill>
            ) : (
              <Pill tone="green">
                <span id="attendee-status" data-status={attendee.status}>
                  {t.registered}
                </span>
              </Pill>
            )}
            <CategoryTag lang={lang} category={attendee.category} />
            {attendee.organisation && <span>{attendee.organisation}</span>}
            {attendee.externalId && (
              <span class="muted">
                {t.booking} {attendee.externalId}
              </span>
            )}
          </p>
        </div>
        <div class="org-actions">
          <button
            type="button"
            class="button primary"
            id="reprint"
            onClick={() => void reprint()}
            disabled={reprinting || cancelled || badge?.status !== 'issued'}
          >
            <Icon name="printer" />
            {reprinting ? t.reprinting : t.reprint}
          </button>
          <button
            type="button"
            class="button"
            id="replace-lost-badge"
            onClick={() => void replaceLost()}
            disabled={reissuing || cancelled || badge?.status !== 'issued'}
          >
            {t.lost}
          </button>
          <button
            type="button"
            class="button"
            id="download-personal-data"
            onClick={() => void downloadPersonalData()}
            disabled={gathering}
          >
            {gathering ? t.personalDataLoading : t.personalData}
          </button>
          <button
            type="button"
            class="button danger"
            id="cancel-registration"
            disabled={cancelled}
            onClick={() => setConfirming(true)}
          >
            {t.cancel}
          </button>
        </div>
      </header>

      {flash && (
        <Notice key={flash.id} tone={flash.tone} focus id="attendee-flash">
          {flash.text}
        </Notice>
      )}

      <div class="att-detail">
        <div class="att-detail-main">
          <section class="card" aria-labelledby="details-title">
            <h2 id="details-title">{t.details}</h2>
            {cancelled ? (
              <Notice tone="info">{t.cancelledNote}</Notice>
            ) : (
              <p class="org-hint att-section-note">{t.detailsNote}</p>
            )}
            <AttendeeForm
              key={attendee.revision}
              idPrefix="edit"
              initial={valuesOf(attendee)}
              disabled={cancelled}
              submitLabel={t.save}
              busyLabel={t.saving}
              onSubmit={async (values) => {
                const body = changes(values, valuesOf(attendee));
                if (Object.keys(body).length === 0) return say('info', t.nothingChanged);
                const versionBefore = badge?.version ?? 0;
                const updated = await api.request<Attendee>('registration', 'PATCH', base, body);
                setAttendee(updated);
                const printed = Object.keys(body).some((field) => PRINTED.includes(field));
                if (printed) {
                  say('ok', `${t.saved} ${t.reissuing}`);
                  void waitForVersion(versionBefore);
                } else {
                  say('ok', t.saved);
                }
              }}
            />
          </section>

          <HistoryCard words={t} lang={lang} history={history} programme={programme} />
        </div>

        <div class="att-detail-side">
          <BadgeCard words={t} lang={lang} badge={badge} reissuing={reissuing} />
          <CheckinCard
            words={t}
            lang={lang}
            attendee={attendee}
            programme={programme}
            onDone={() => void loadHistory()}
          />
          <WorkshopsCard attendee={attendee} programme={programme} onChanged={reloadPerson} />
        </div>
      </div>

      <Dialog
        open={confirming}
        id="cancel-dialog"
        title={t.confirmTitle}
        onClose={() => setConfirming(false)}
      >
        <p>{t.confirmText(name)}</p>
        <div class="org-actions org-dialog-actions">
          <button type="button" class="button" autoFocus onClick={() => setConfirming(false)}>
            {t.keep}
          </button>
          <button
            type="button"
            class="button danger-solid"
            id="confirm-cancel"
            disabled={cancelling}
            onClick={() => void cancel()}
          >
            {cancelling ? t.cancelling : t.confirm}
          </button>
        </div>
      </Dialog>
    </div>
  );
}

function BackLink(props: { label: string }) {
  return (
    <a class="org-back" href={href('attendees')}>
      <Icon name="back" />
      {props.label}
    </a>
  );
}

function BadgeCard(props: {
  words: Words;
  lang: Lang;
  badge: BadgeState | null;
  reissuing: boolean;
}) {
  const t = props.words;
  const b = props.badge;
  const tone: Tone = !b
    ? 'neutral'
    : b.status === 'issued'
      ? 'green'
      : b.status === 'revoked'
        ? 'red'
        : 'amber';
  return (
    <section class="card att-badge" aria-labelledby="badge-title" aria-busy={props.reissuing}>
      <h2 id="badge-title">{t.badge}</h2>
      <dl class="att-dl">
        <div>
          <dt>Status</dt>
          <dd>
            {b ? (
              <Pill tone={tone}>
                <span id="badge-status" data-status={b.status}>
                  {t.badgeStatus[b.status]}
                </span>
              </Pill>
            ) : (
              '–'
            )}
          </dd>
        </div>
        <div>
          <dt>{t.version}</dt>
          <dd id="badge-version" data-version={b?.version ?? ''} class="att-version">
            {b?.version ?? '–'}
          </dd>
        </div>
        <div>
          <dt>{t.issuedAt}</dt>
          <dd>{formatDateTime(props.lang, b?.issuedAt)}</dd>
        </div>
      </dl>
      {props.reissuing && (
        <p class="org-hint" role="status">
          {t.reissuing}
        </p>
      )}
      <p class="org-hint">{t.badgeNote}</p>
    </section>
  );
}

function CheckinCard(props: {
  words: Words;
  lang: Lang;
  attendee: Attendee;
  programme: ProgrammeSession[];
  onDone: () => void;
}) {
  const t = props.words;
  const { api, event } = useSession();
  const [gates, setGates] = useState<string[]>([]);
  const [gate, setGate] = useState(() => localStorage.getItem(GATE_KEY) ?? 'Info');
  const [list, setList] = useState('main');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ScanAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<DoorSettings>('checkin', eventPath(event.slug, '/door-settings'))
      .then((s) => {
        setGates(s.gates);
        if (s.gates.length && !s.gates.includes(gate)) setGate(s.gates[0]);
      })
      .catch(() => setGates([]));
  }, [event.slug]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      const result = await api.request<ScanAnswer>(
        'checkin',
        'POST',
        eventPath(event.slug, `/attendees/${encodeURIComponent(props.attendee.id)}/checkin`),
        { gate: gate.trim(), list },
      );
      localStorage.setItem(GATE_KEY, gate.trim());
      setAnswer(result);
      props.onDone();
    } catch (err) {
      setError(errorText(err, t.network));
    } finally {
      setBusy(false);
    }
  };

  // The person's own workshops first, then the rest of the programme.
  const own = new Set([...props.attendee.sessions, ...props.attendee.waitlist]);
  const sessions = [...props.programme].sort(
    (a, b) => Number(own.has(b.code)) - Number(own.has(a.code)),
  );

  return (
    <section class="card att-checkin" aria-labelledby="checkin-title">
      <h2 id="checkin-title">{t.checkin}</h2>
      <p class="org-hint att-section-note">{t.checkinNote}</p>
      <form class="att-checkin-form" onSubmit={(e) => void submit(e)}>
        <div class="field">
          <label for="checkin-gate">{t.gate}</label>
          {gates.length > 0 ? (
            <select
              id="checkin-gate"
              value={gate}
              onChange={(e) => setGate((e.target as HTMLSelectElement).value)}
            >
              {gates.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          ) : (
            <input
              id="checkin-gate"
              value={gate}
              required
              maxLength={64}
              onInput={(e) => setGate((e.target as HTMLInputElement).value)}
            />
          )}
        </div>
        <div class="field">
          <label for="checkin-list">{t.list}</label>
          <select
            id="checkin-list"
            value={list}
            onChange={(e) => setList((e.target as HTMLSelectElement).value)}
          >
            <option value="main">{t.main}</option>
            {sessions.map((s) => (
              <option key={s.code} value={s.code}>
                {s.code} · {s.title}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button primary" id="checkin-submit" disabled={busy}>
          <Icon name="door" />
          {busy ? t.checkingIn : t.checkinSubmit}
        </button>
      </form>
      {answer && (
        <div
          class={`att-answer tone-${RESULT_TONE[answer.result]}`}
          id="checkin-answer"
          data-result={answer.result}
          role="status"
          tabIndex={-1}
          ref={(el) => el?.focus()}
        >
          <strong>{SCAN_RESULT_LABELS[props.lang][answer.result]}</strong>
          {answer.firstScan && answer.result === 'already_admitted' ? (
            <span>
              {t.firstScan(formatTime(props.lang, answer.firstScan.at), answer.firstScan.gate)}
            </span>
          ) : (
            answer.result !== 'admitted' && <span lang="en">{answer.message}</span>
          )}
        </div>
      )}
      {error && (
        <Notice tone="error" focus>
          {t.failed} {error}
        </Notice>
      )}
    </section>
  );
}

function HistoryCard(props: {
  words: Words;
  lang: Lang;
  history: CheckinLogItem[] | null;
  programme: ProgrammeSession[];
}) {
  const t = props.words;
  const listName = (code: string) => (code === 'main' ? t.main : code);
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">{t.history}</h2>
      {props.history === null ? (
        <p class="muted">{t.loading}</p>
      ) : props.history.length === 0 ? (
        <p class="muted" id="history-empty">
          {t.historyEmpty}
        </p>
      ) : (
        <div class="org-table-wrap">
          <table class="data org-table" id="checkin-history">
            <thead>
              <tr>
                <th scope="col">{t.time}</th>
                <th scope="col">{t.gate}</th>
                <th scope="col">{t.list}</th>
                <th scope="col">{t.direction}</th>
                <th scope="col">{t.result}</th>
                <th scope="col">{t.device}</th>
              </tr>
            </thead>
            <tbody>
              {props.history.map((row) => (
                <tr key={row.id} data-result={row.result}>
                  <td class="att-nowrap">{formatDateTime(props.lang, row.scannedAt ?? row.at)}</td>
                  <td>{row.gate}</td>
                  <td>{listName(row.list)}</td>
                  <td>{row.direction === 'out' ? t.out : t.in}</td>
                  <td>
                    <Pill tone={RESULT_TONE[row.result]}>
                      {SCAN_RESULT_LABELS[props.lang][row.result]}
                    </Pill>
                    {row.flag === 'duplicate' && (
                      <>
                        {' '}
                        <Pill tone="amber">{t.duplicate}</Pill>
                      </>
                    )}
                  </td>
                  <td class="muted att-device">
                    {row.device === 'ORGANISER_TOKEN' ? t.organiserDevice : row.device}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
