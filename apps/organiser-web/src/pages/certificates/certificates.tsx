/**
 * Attendance certificates (Teilnahmebescheinigungen) for everyone admitted at the event: choose
 * the file (one PDF or a ZIP of one PDF each), the language, the rule for talks without a door
 * list and the issuer; start the job; watch its progress (GET /api/certificate-jobs/:id) and
 * download the file. Earlier jobs stay listed. Laid out like the print page (its pj-* styles).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ATTENDANCE_RULES,
  type AttendanceRule,
  CERTIFICATE_JOB_FORMATS,
  type CertificateJobFormat,
  type CertificateJobView,
  type CertificateLanguage,
} from '@einlass/contracts';
import { formatDateTime, formatNumber, useLang, useWords } from '../../i18n';
import { useSession } from '../../session';
import { eventPath } from '../../shared/types';
import { errorText, Icon, Notice, Pill, type Tone } from '../../shared/ui';

const WORDS = {
  de: {
    title: 'Teilnahmebescheinigungen',
    lead: 'Eine Bescheinigung für jede Person, die eingelassen wurde (Eingang oder Programmpunkt): mit den besuchten Programmpunkten und einem QR-Code, mit dem jede Stelle die Echtheit prüfen kann.',
    format: 'Datei',
    formats: {
      pdf: ['Ein PDF', 'Eine Seite je Person, zum Drucken.'],
      zip: ['ZIP mit einem PDF je Person', 'Zum Versenden an die Teilnehmenden.'],
    } satisfies Record<CertificateJobFormat, [string, string]>,
    language: 'Sprache der Bescheinigung',
    languages: { de: 'Deutsch', en: 'Englisch' } satisfies Record<CertificateLanguage, string>,
    rule: 'Vorträge ohne Einlasskontrolle',
    rules: {
      door_lists: [
        'Nur gescannte Programmpunkte',
        'Es zählen nur Programmpunkte, an deren Tür die Person gescannt wurde.',
      ],
      talks_on_days_entered: [
        'Alle Vorträge des Tages',
        'Dazu jeder Vortrag ohne Türkontrolle an einem Tag, an dem die Person da war.',
      ],
    } satisfies Record<AttendanceRule, [string, string]>,
    issuer: 'Ausgestellt von (Veranstalter)',
    start: 'Bescheinigungen erstellen',
    starting: 'Wird gestartet …',
    current: 'Aktueller Auftrag',
    noCurrent: 'Noch kein Auftrag gestartet.',
    progress: (done: string, total: string) => `${done} von ${total} Bescheinigungen`,
    status: {
      queued: 'Wartet',
      running: 'Läuft',
      done: 'Fertig',
      failed: 'Fehlgeschlagen',
    } satisfies Record<CertificateJobView['status'], string>,
    download: 'Herunterladen',
    downloading: 'Wird geladen …',
    earlier: 'Frühere Aufträge',
    started: 'Gestartet',
    people: 'Personen',
    failed: 'Der Auftrag wurde nicht gestartet:',
    jobFailed: 'Der Auftrag ist fehlgeschlagen:',
    network: 'Der Badge-Dienst ist nicht erreichbar.',
  },
  en: {
    title: 'Attendance certificates',
    lead: 'A certificate for everyone admitted (at the entrance or a session): with the sessions attended and a QR code anyone can check it with.',
    format: 'File',
    formats: {
      pdf: ['One PDF', 'A page per person, for printing.'],
      zip: ['ZIP of one PDF each', 'For sending to each attendee.'],
    } satisfies Record<CertificateJobFormat, [string, string]>,
    language: 'Language of the certificate',
    languages: { de: 'German', en: 'English' } satisfies Record<CertificateLanguage, string>,
    rule: 'Talks without a door check',
    rules: {
      door_lists: ['Only scanned sessions', 'Only sessions the person was scanned into count.'],
      talks_on_days_entered: [
        'Every talk of the day',
        'Also every talk without a door check on a day the person came.',
      ],
    } satisfies Record<AttendanceRule, [string, string]>,
    issuer: 'Issued by (organiser)',
    start: 'Make certificates',
    starting: 'Starting…',
    current: 'Current job',
    noCurrent: 'No job started yet.',
    progress: (done: string, total: string) => `${done} of ${total} certificates`,
    status: {
      queued: 'Waiting',
      running: 'Running',
      done: 'Done',
      failed: 'Failed',
    } satisfies Record<CertificateJobView['status'], string>,
    download: 'Download',
    downloading: 'Downloading…',
    earlier: 'Earlier jobs',
    started: 'Started',
    people: 'People',
    failed: 'The job was not started:',
    jobFailed: 'The job failed:',
    network: 'The badges service cannot be reached.',
  },
};
type Words = (typeof WORDS)['de'] | (typeof WORDS)['en'];

const TONE: Record<CertificateJobView['status'], Tone> = {
  queued: 'neutral',
  running: 'amber',
  done: 'green',
  failed: 'red',
};
const active = (job: CertificateJobView) => job.status === 'queued' || job.status === 'running';

export function CertificatesPage() {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [format, setFormat] = useState<CertificateJobFormat>('pdf');
  const [language, setLanguage] = useState<CertificateLanguage>(lang);
  const [rule, setRule] = useState<AttendanceRule>('door_lists');
  const [issuer, setIssuer] = useState('');
  const [jobs, setJobs] = useState<CertificateJobView[]>([]);
  const [current, setCurrent] = useState<CertificateJobView | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);

  const loadJobs = async () => {
    const list = await api
      .get<CertificateJobView[]>('badges', eventPath(event.slug, '/certificate-jobs'))
      .catch(() => null);
    if (list && alive.current) setJobs(list);
    return list;
  };

  useEffect(() => {
    alive.current = true;
    void loadJobs().then((list) => {
      const shown = list?.find(active) ?? list?.[0];
      if (shown && alive.current) setCurrent((c) => c ?? shown);
    });
    return () => {
      alive.current = false;
    };
  }, [event.slug]);

  useEffect(() => {
    if (!current || !active(current)) return;
    const timer = setTimeout(() => {
      api
        .get<CertificateJobView>('badges', `/api/certificate-jobs/${current.id}`)
        .then((job) => {
          if (!alive.current) return;
          setCurrent(job);
          if (!active(job)) void loadJobs();
        })
        .catch(() => alive.current && setCurrent({ ...current }));
    }, 500);
    return () => clearTimeout(timer);
  }, [current]);

  const start = async (e: Event) => {
    e.preventDefault();
    setStarting(true);
    setError(null);
    try {
      const { id } = await api.request<{ id: string }>(
        'badges',
        'POST',
        eventPath(event.slug, '/certificate-jobs'),
        { format, language, rule, ...(issuer.trim() ? { issuer: issuer.trim() } : {}) },
      );
      setCurrent(await api.get<CertificateJobView>('badges', `/api/certificate-jobs/${id}`));
      void loadJobs();
    } catch (err) {
      setError(errorText(err, t.network));
    } finally {
      setStarting(false);
    }
  };

  return (
    <div class="org-page certificates-page">
      <header class="org-head">
        <div>
          <h1>{t.title}</h1>
          <p class="org-lead">{t.lead}</p>
        </div>
      </header>
      <div class="pj-layout">
        <form class="card pj-form" onSubmit={(e) => void start(e)} aria-label={t.title}>
          <Choice
            legend={t.format}
            name="format"
            options={CERTIFICATE_JOB_FORMATS}
            value={format}
            words={t.formats}
            onChange={setFormat}
          />
          <Choice
            legend={t.rule}
            name="rule"
            options={ATTENDANCE_RULES}
            value={rule}
            words={t.rules}
            onChange={setRule}
          />
          <div class="field">
            <label for="certificate-language">{t.language}</label>
            <select
              id="certificate-language"
              value={language}
              onChange={(e) =>
                setLanguage((e.target as HTMLSelectElement).value as CertificateLanguage)
              }
            >
              <option value="de">{t.languages.de}</option>
              <option value="en">{t.languages.en}</option>
            </select>
          </div>
          <div class="field">
            <label for="certificate-issuer">{t.issuer}</label>
            <input
              id="certificate-issuer"
              maxLength={200}
              value={issuer}
              onInput={(e) => setIssuer((e.target as HTMLInputElement).value)}
            />
          </div>
          {error && (
            <Notice tone="error" focus id="certificate-error">
              {t.failed} {error}
            </Notice>
          )}
          <div class="pj-submit">
            <button type="submit" class="button primary" id="certificate-start" disabled={starting}>
              {starting ? t.starting : t.start}
            </button>
          </div>
        </form>
        <section class="card pj-current" aria-labelledby="certificate-current-title">
          <h2 id="certificate-current-title">{t.current}</h2>
          {current ? <CurrentJob job={current} words={t} /> : <p class="muted">{t.noCurrent}</p>}
        </section>
      </div>
      {jobs.length > 0 && (
        <section class="card pj-earlier" aria-labelledby="certificate-earlier-title">
          <h2 id="certificate-earlier-title">{t.earlier}</h2>
          <div class="org-table-wrap">
            <table class="data org-table" id="certificate-job-list">
              <thead>
                <tr>
                  <th scope="col">{t.started}</th>
                  <th scope="col">{t.format}</th>
                  <th scope="col" class="number">
                    {t.people}
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="visually-hidden">{t.download}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <tr key={job.id} data-status={job.status}>
                    <td>{formatDateTime(lang, job.createdAt)}</td>
                    <td>{t.formats[job.format][0]}</td>
                    <td class="number">{formatNumber(lang, job.total)}</td>
                    <td>
                      <Pill tone={TONE[job.status]}>{t.status[job.status]}</Pill>
                    </td>
                    <td>{job.status === 'done' && <DownloadButton job={job} words={t} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}

function Choice<T extends string>(props: {
  legend: string;
  name: string;
  options: readonly T[];
  value: T;
  words: Record<T, [string, string]>;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset class="org-fieldset">
      <legend>{props.legend}</legend>
      <div class="pj-options pj-sorts">
        {props.options.map((option) => (
          <label key={option} class={`pj-option${props.value === option ? ' is-chosen' : ''}`}>
            <input
              type="radio"
              name={props.name}
              value={option}
              checked={props.value === option}
              onChange={() => props.onChange(option)}
            />
            <span class="pj-option-text">
              <strong>{props.words[option][0]}</strong>
              <span>{props.words[option][1]}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function CurrentJob(props: { job: CertificateJobView; words: Words }) {
  const { job } = props;
  const t = props.words;
  const lang = useLang();
  const value = job.total > 0 ? Math.round((job.done / job.total) * 100) : 0;
  const text = t.progress(formatNumber(lang, job.done), formatNumber(lang, job.total));
  return (
    <div class="pj-job" data-status={job.status} data-job={job.id} id="certificate-job">
      <Pill tone={TONE[job.status]}>
        <span id="certificate-status">{t.status[job.status]}</span>
      </Pill>
      <div class="pj-progress-row">
        <div
          class={`pj-progress is-${job.status}`}
          role="progressbar"
          aria-label={t.current}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={value}
          aria-valuetext={`${value} % · ${text}`}
        >
          <div class="pj-progress-fill" style={{ width: `${value}%` }} />
        </div>
      </div>
      <p class="pj-count">{text}</p>
      {job.status === 'failed' && (
        <Notice tone="error">
          {t.jobFailed} {job.error ?? ''}
        </Notice>
      )}
      {job.status === 'done' && <DownloadButton job={job} words={t} />}
    </div>
  );
}

function DownloadButton(props: { job: CertificateJobView; words: Words }) {
  const t = props.words;
  const { api, event } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.download(
        'badges',
        `/api/certificate-jobs/${props.job.id}/file`,
        `certificates-${event.slug}-${props.job.createdAt.slice(0, 10)}.${props.job.format}`,
      );
    } catch (e) {
      setError(errorText(e, t.network));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="button" onClick={() => void download()} disabled={busy}>
        <Icon name="download" />
        {busy ? t.downloading : t.download}
      </button>
      {error && <p class="org-field-error">{error}</p>}
    </>
  );
}
