/** Checking the person in by hand at a gate (a lost or forgotten badge), and the answer. */
import { useEffect, useState } from 'preact/hooks';
import { SCAN_REASON_LABELS, SCAN_RESULT_LABELS } from '@einlass/contracts';
import { formatTime, type Lang } from '../../i18n';
import { useSession } from '../../session';
import {
  type Attendee,
  type DoorSettings,
  eventPath,
  type ProgrammeSession,
  type ScanAnswer,
} from '../../shared/types';
import { errorText, Icon, Notice } from '../../shared/ui';
import { RESULT_TONE } from './history-card';
import type { Words } from './words';

/** An answer, with the list it was for (and that list's capacity) to word its reason. */
type Answered = ScanAnswer & { list: string; capacity?: number };

/**
 * Why, in the page's language from the answer's reason code, worded as the scanner words it;
 * the server's English message when the answer has no code.
 */
function ReasonLine(props: { answer: Answered; lang: Lang }) {
  const { reason, list, capacity, message } = props.answer;
  if (!reason) return <span lang="en">{message}</span>;
  const words = SCAN_REASON_LABELS[props.lang];
  const text =
    reason === 'not_on_list'
      ? words.not_on_list(list)
      : reason === 'capacity_full'
        ? words.capacity_full(list, capacity ?? 0)
        : words[reason];
  return <span>{text}</span>;
}

/** The gate the desk checked people in at last. */
const GATE_KEY = 'einlass.dashboard.desk-gate';

export function CheckinCard(props: {
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
  const [answer, setAnswer] = useState<Answered | null>(null);
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
      setAnswer({
        ...result,
        list,
        capacity: props.programme.find((s) => s.code === list)?.capacity,
      });
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
            answer.result !== 'admitted' && <ReasonLine answer={answer} lang={props.lang} />
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
