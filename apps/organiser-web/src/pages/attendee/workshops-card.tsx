/**
 * One person's workshops: the places they hold and the waiting lists they are on (with their
 * position), signing them up for another workshop, and giving a place up (after asking: the
 * first one waiting moves up, and the place cannot be taken back).
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, type Lang, useLang, useWords } from '../../i18n';
import { useSession } from '../../session';
import {
  type Attendee,
  eventPath,
  fullName,
  type ProgrammeSession,
  type SessionSignups,
  shortTitle,
} from '../../shared/types';
import { Dialog, errorText, Notice, Pill } from '../../shared/ui';

const WORDS = {
  de: {
    title: 'Workshops',
    none: 'Für keinen Workshop eingetragen.',
    place: 'Platz',
    waiting: (n: number) => (n ? `Warteliste, Platz ${n}` : 'Warteliste'),
    giveUp: 'Platz freigeben',
    leave: 'Von der Warteliste nehmen',
    add: 'Für einen Workshop eintragen',
    choose: 'Workshop',
    submit: 'Eintragen',
    busy: 'Wird eingetragen …',
    free: (n: number) => `${n} frei`,
    full: (n: number) => `voll, ${n} warten`,
    gotPlace: (code: string) => `Eingetragen: Platz in ${code}.`,
    onList: (code: string, n: number) => `${code} ist voll: auf der Warteliste, Platz ${n}.`,
    withdrawn: (code: string) => `Aus ${code} ausgetragen.`,
    confirmTitle: 'Platz freigeben?',
    confirmText: (name: string, code: string) =>
      `${name} verliert den Platz in ${code}. Die erste Person auf der Warteliste rückt nach; der Platz lässt sich nicht zurückholen.`,
    confirm: 'Ja, freigeben',
    keep: 'Platz behalten',
    failed: 'Das hat nicht geklappt:',
    network: 'Der Anmeldedienst ist nicht erreichbar.',
    allTaken: 'Die Person ist für alle Workshops eingetragen.',
  },
  en: {
    title: 'Workshops',
    none: 'Not signed up for any workshop.',
    place: 'Place',
    waiting: (n: number) => (n ? `Waiting list, position ${n}` : 'Waiting list'),
    giveUp: 'Give up place',
    leave: 'Leave waiting list',
    add: 'Sign up for a workshop',
    choose: 'Workshop',
    submit: 'Sign up',
    busy: 'Signing up…',
    free: (n: number) => `${n} free`,
    full: (n: number) => `full, ${n} waiting`,
    gotPlace: (code: string) => `Signed up: a place in ${code}.`,
    onList: (code: string, n: number) => `${code} is full: on the waiting list, position ${n}.`,
    withdrawn: (code: string) => `Withdrawn from ${code}.`,
    confirmTitle: 'Give up this place?',
    confirmText: (name: string, code: string) =>
      `${name} loses the place in ${code}. The first person waiting moves up; the place cannot be taken back.`,
    confirm: 'Yes, give it up',
    keep: 'Keep place',
    failed: 'That did not work:',
    network: 'The registration service cannot be reached.',
    allTaken: 'This person is signed up for every workshop.',
  },
};

interface SignupAnswer {
  status: 'confirmed' | 'waiting' | 'withdrawn';
  position?: number;
}

export function WorkshopsCard(props: {
  attendee: Attendee;
  programme: ProgrammeSession[];
  /** Called after a change: the page reloads the person (places, waiting lists, revision). */
  onChanged: () => void;
}) {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const { attendee } = props;
  const [positions, setPositions] = useState<Record<string, number>>({});
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{
    tone: 'ok' | 'info' | 'error';
    text: string;
    id: number;
  } | null>(null);
  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  const cancelled = attendee.status === 'cancelled';
  const workshops = props.programme.filter((s) => s.kind === 'workshop');
  const held = new Set([...attendee.sessions, ...attendee.waitlist]);
  const open = workshops.filter((w) => !held.has(w.code));
  const sessionOf = (c: string) => props.programme.find((s) => s.code === c);
  const signups = (c: string) =>
    eventPath(event.slug, `/sessions/${encodeURIComponent(c)}/signups`);

  useEffect(() => {
    if (!attendee.waitlist.length) return setPositions({});
    void Promise.all(
      attendee.waitlist.map((c) =>
        api
          .get<SessionSignups>('registration', signups(c))
          .then((s): [string, number] => [
            c,
            s.waiting.find((p) => p.attendeeId === attendee.id)?.position ?? 0,
          ])
          .catch((): [string, number] => [c, 0]),
      ),
    ).then((pairs) => setPositions(Object.fromEntries(pairs)));
  }, [attendee.revision, attendee.waitlist.join(',')]);

  useEffect(() => {
    if (!open.some((w) => w.code === code)) setCode(open[0]?.code ?? '');
  }, [open.map((w) => w.code).join(',')]);

  const say = (tone: 'ok' | 'info' | 'error', text: string) =>
    setNotice({ tone, text, id: Date.now() });

  const signUp = async (e: Event) => {
    e.preventDefault();
    if (!code) return;
    setBusy(true);
    try {
      const answer = await api.request<SignupAnswer>('registration', 'POST', signups(code), {
        attendeeId: attendee.id,
      });
      if (answer.status === 'waiting') say('info', t.onList(code, answer.position ?? 0));
      else say('ok', t.gotPlace(code));
      props.onChanged();
    } catch (error) {
      say('error', `${t.failed} ${errorText(error, t.network)}`);
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async (c: string) => {
    setBusy(true);
    try {
      await api.request<SignupAnswer>(
        'registration',
        'DELETE',
        `${signups(c)}/${encodeURIComponent(attendee.id)}`,
      );
      setWithdrawing(null);
      say('ok', t.withdrawn(c));
      props.onChanged();
    } catch (error) {
      setWithdrawing(null);
      say('error', `${t.failed} ${errorText(error, t.network)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card att-workshops-card" aria-labelledby="workshops-title">
      <h2 id="workshops-title">{t.title}</h2>
      {attendee.sessions.length + attendee.waitlist.length === 0 ? (
        <p class="muted">{t.none}</p>
      ) : (
        <ul class="att-workshop-list" id="attendee-workshops">
          {attendee.sessions.map((c) => (
            <WorkshopRow
              key={c}
              lang={lang}
              code={c}
              session={sessionOf(c)}
              pill={<Pill tone="green">{t.place}</Pill>}
              action={cancelled ? undefined : t.giveUp}
              onAction={() => setWithdrawing(c)}
            />
          ))}
          {attendee.waitlist.map((c) => (
            <WorkshopRow
              key={c}
              lang={lang}
              code={c}
              session={sessionOf(c)}
              pill={<Pill tone="amber">{t.waiting(positions[c] ?? 0)}</Pill>}
              action={cancelled ? undefined : t.leave}
              onAction={() => void withdraw(c)}
            />
          ))}
        </ul>
      )}
      {!cancelled && workshops.length > 0 && (
        <form class="att-signup" onSubmit={(e) => void signUp(e)}>
          {open.length === 0 ? (
            <p class="org-hint">{t.allTaken}</p>
          ) : (
            <>
              <div class="field">
                <label for="signup-workshop">{t.add}</label>
                <select
                  id="signup-workshop"
                  value={code}
                  onChange={(e) => setCode((e.target as HTMLSelectElement).value)}
                >
                  {open.map((w) => {
                    const free = Math.max(0, w.capacity - w.signedUp);
                    return (
                      <option key={w.code} value={w.code}>
                        {w.code} · {shortTitle(w.title)} ({free ? t.free(free) : t.full(w.waiting)})
                      </option>
                    );
                  })}
                </select>
              </div>
              <button type="submit" class="button" disabled={busy || !code}>
                {busy ? t.busy : t.submit}
              </button>
            </>
          )}
        </form>
      )}
      {notice && (
        <div class="att-workshop-notice">
          <Notice key={notice.id} tone={notice.tone} focus>
            {notice.text}
          </Notice>
        </div>
      )}
      <Dialog
        open={withdrawing !== null}
        id="withdraw-dialog"
        title={t.confirmTitle}
        onClose={() => setWithdrawing(null)}
      >
        <p>{t.confirmText(fullName(attendee), withdrawing ?? '')}</p>
        <div class="org-actions org-dialog-actions">
          <button type="button" class="button" autoFocus onClick={() => setWithdrawing(null)}>
            {t.keep}
          </button>
          <button
            type="button"
            class="button danger-solid"
            disabled={busy}
            onClick={() => withdrawing && void withdraw(withdrawing)}
          >
            {t.confirm}
          </button>
        </div>
      </Dialog>
    </section>
  );
}

function WorkshopRow(props: {
  lang: Lang;
  code: string;
  session?: ProgrammeSession;
  pill: JSX.Element;
  action?: string;
  onAction: () => void;
}) {
  const s = props.session;
  return (
    <li data-workshop={props.code}>
      <span class="att-workshop-text">
        <strong>{props.code}</strong> {s ? shortTitle(s.title) : ''}
        {s && (
          <span class="att-session-when">
            {formatDateTime(props.lang, s.startsAt)}
            {s.room ? ` · ${s.room}` : ''}
          </span>
        )}
      </span>
      <span class="att-workshop-meta">
        {props.pill}
        {props.action && (
          <button
            type="button"
            class="button ghost att-workshop-action"
            aria-label={`${props.action}: ${props.code}`}
            onClick={props.onAction}
          >
            {props.action}
          </button>
        )}
      </span>
    </li>
  );
}
