/**
 * The registration desk, for a tablet at the entrance: one form registers a walk-in (or a
 * substitute takes over a registration), waits for the badge, hands its PDF to the browser's print
 * dialog and admits the person at the desk's gate with an ordinary scan of the badge's QR code.
 * The steps are `DeskRun` (desk-run.ts); this file is the page.
 */
import { useEffect, useState } from 'preact/hooks';
import { useSession } from '../../session';
import { useLang, useWords } from '../../i18n';
import { AttendeeForm, changes, valuesOf } from '../../shared/attendee-form';
import {
  type Attendee,
  type AttendeePage,
  eventPath,
  type ProgrammeSession,
} from '../../shared/types';
import { errorText, Notice } from '../../shared/ui';
import { type DeskOutcome, type DeskStep, DESK_STEPS, printAndAdmit } from './desk-run';
import { WORDS } from './words';

const GATE_KEY = 'einlass.desk.gate';

type Mode = 'walk-in' | 'replace';

export function DeskPage() {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [mode, setMode] = useState<Mode>('walk-in');
  const [gate, setGate] = useState(() => localStorage.getItem(GATE_KEY) || t.defaultGate);
  const [workshops, setWorkshops] = useState<ProgrammeSession[]>([]);
  const [formKey, setFormKey] = useState(0);
  const [step, setStep] = useState<DeskStep | null>(null);
  const [outcome, setOutcome] = useState<DeskOutcome | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Attendee[] | null>(null);
  const [replacing, setReplacing] = useState<Attendee | null>(null);

  const loadWorkshops = () =>
    api
      .get<ProgrammeSession[]>('registration', eventPath(event.slug, '/sessions'))
      .then((sessions) => setWorkshops(sessions.filter((s) => s.kind === 'workshop')))
      .catch(() => setWorkshops([]));
  useEffect(() => {
    void loadWorkshops();
  }, [event.slug]);
  useEffect(() => localStorage.setItem(GATE_KEY, gate), [gate]);
  // A token limited to gates scans only there: start at its first gate unless one of them is set.
  useEffect(() => {
    api
      .get<{ gates: string[] }>('checkin', '/api/me')
      .then(({ gates }) => {
        if (gates.length > 0) setGate((current) => (gates.includes(current) ? current : gates[0]));
      })
      .catch(() => undefined);
  }, [api]);

  /** After the person is registered: badge, print, admission; then the form is empty again. */
  const finish = async (person: Attendee, startedAt: number) => {
    setFailure(null);
    try {
      const result = await printAndAdmit(api, event.slug, person, gate.trim(), setStep);
      setOutcome({ ...result, seconds: (performance.now() - startedAt) / 1000 });
    } catch (error) {
      setFailure(errorText(error, t.network));
    } finally {
      setStep(null);
      setFormKey((key) => key + 1);
      setReplacing(null);
      setFound(null);
      setQuery('');
      void loadWorkshops();
    }
  };

  const registerWalkIn = async (values: Parameters<typeof changes>[0], sessions: string[]) => {
    const startedAt = performance.now();
    setOutcome(null);
    const person = await api.request<Attendee>(
      'registration',
      'POST',
      eventPath(event.slug, '/attendees'),
      { ...changes(values), sessions },
    );
    await finish(person, startedAt);
  };

  const registerSubstitute = async (values: Parameters<typeof changes>[0]) => {
    if (!replacing) return;
    const startedAt = performance.now();
    setOutcome(null);
    const person = await api.request<Attendee>(
      'registration',
      'POST',
      eventPath(event.slug, `/attendees/${replacing.id}/replacement`),
      changes(values),
    );
    await finish(person, startedAt);
  };

  const search = async (e: Event) => {
    e.preventDefault();
    if (!query.trim()) return;
    try {
      const page = await api.get<AttendeePage>(
        'registration',
        eventPath(
          event.slug,
          `/attendees?status=registered&limit=10&q=${encodeURIComponent(query.trim())}`,
        ),
      );
      setFound(page.items);
    } catch (error) {
      setFailure(errorText(error, t.network));
    }
  };

  const busy = step !== null;
  return (
    <div class="desk">
      <h1 class="visually-hidden">{t.title}</h1>
      <div class="desk-gate field">
        <label for="desk-gate">{t.gate}</label>
        <input
          id="desk-gate"
          name="gate"
          value={gate}
          onInput={(e) => setGate((e.target as HTMLInputElement).value)}
          disabled={busy}
        />
      </div>
      <div class="desk-modes" role="group" aria-label={t.modes}>
        {(['walk-in', 'replace'] as Mode[]).map((m) => (
          <button
            key={m}
            type="button"
            id={`desk-mode-${m}`}
            class={`button desk-mode${mode === m ? ' primary' : ''}`}
            aria-pressed={mode === m}
            disabled={busy}
            onClick={() => {
              setMode(m);
              setReplacing(null);
              setFound(null);
            }}
          >
            {t.mode[m]}
          </button>
        ))}
      </div>

      {outcome && (
        <div
          id="desk-result"
          data-result={outcome.answer.result}
          data-seconds={outcome.seconds.toFixed(1)}
          class={`desk-result desk-result-${outcome.answer.result === 'admitted' ? 'ok' : 'warn'}`}
          role="status"
          tabIndex={-1}
        >
          <strong class="desk-result-name">{outcome.name}</strong>
          <span>
            {outcome.answer.result === 'admitted'
              ? t.admitted(outcome.gate)
              : t.notAdmitted(outcome.answer.message)}
          </span>
          <span class="org-hint">
            {t.took(outcome.seconds.toLocaleString(lang, { maximumFractionDigits: 1 }))}
          </span>
          <button
            type="button"
            class="button"
            id="desk-open-badge"
            onClick={() => window.open(outcome.pdfUrl, '_blank')}
          >
            {t.openBadge}
          </button>
        </div>
      )}
      {failure && (
        <Notice tone="error" focus id="desk-failure">
          {failure}
        </Notice>
      )}
      {busy && (
        <ol id="desk-progress" class="desk-progress" aria-live="polite">
          {DESK_STEPS.map((s) => (
            <li
              key={s}
              data-state={
                DESK_STEPS.indexOf(s) < DESK_STEPS.indexOf(step)
                  ? 'done'
                  : s === step
                    ? 'now'
                    : 'later'
              }
            >
              {t.steps[s]}
            </li>
          ))}
        </ol>
      )}

      {mode === 'walk-in' && (
        <AttendeeForm
          key={`walk-in-${formKey}`}
          idPrefix="desk"
          initial={valuesOf()}
          workshops={workshops}
          withoutExternalId
          disabled={busy}
          submitLabel={t.registerWalkIn}
          busyLabel={t.working}
          onSubmit={registerWalkIn}
        />
      )}

      {mode === 'replace' && !replacing && (
        <form class="desk-search" onSubmit={(e) => void search(e)} role="search">
          <div class="field">
            <label for="desk-search">{t.searchLabel}</label>
            <input
              id="desk-search"
              type="search"
              value={query}
              onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
            />
          </div>
          <button type="submit" class="button primary">
            {t.search}
          </button>
          {found && found.length === 0 && <p class="org-hint">{t.noneFound}</p>}
          {found && found.length > 0 && (
            <ul class="desk-found">
              {found.map((person) => (
                <li key={person.id}>
                  <button
                    type="button"
                    class="button desk-pick"
                    data-id={person.id}
                    onClick={() => setReplacing(person)}
                  >
                    <strong>
                      {person.firstName} {person.lastName}
                    </strong>
                    <span>{person.organisation ?? ''}</span>
                    {person.sessions.length > 0 && <span>{person.sessions.join(', ')}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </form>
      )}

      {mode === 'replace' && replacing && (
        <section aria-labelledby="desk-replacing">
          <h2 id="desk-replacing">
            {t.replacing(`${replacing.firstName} ${replacing.lastName}`, replacing.sessions)}
          </h2>
          <AttendeeForm
            key={`replace-${formKey}`}
            idPrefix="desk-sub"
            initial={{
              ...valuesOf(),
              organisation: replacing.organisation ?? '',
              category: replacing.category,
            }}
            withoutExternalId
            disabled={busy}
            submitLabel={t.registerSubstitute}
            busyLabel={t.working}
            onSubmit={registerSubstitute}
            onCancel={() => setReplacing(null)}
            cancelLabel={t.cancel}
          />
        </section>
      )}
    </div>
  );
}
