/**
 * Attendance certificates (Teilnahmebescheinigungen) for everyone admitted at the event: choose
 * the file (one PDF or a ZIP of one PDF each), the language, the rule for talks without a door
 * list and the issuer; start the job; watch its progress (GET /api/certificate-jobs/:id) and
 * download the file. Earlier jobs stay listed. The job's progress and download are the print
 * page's (shared/file-jobs.tsx), laid out alike (its pj-* styles).
 */
import { useState } from 'preact/hooks';
import {
  ATTENDANCE_RULES,
  type AttendanceRule,
  CERTIFICATE_JOB_FORMATS,
  type CertificateJobFormat,
  type CertificateJobView,
  type CertificateLanguage,
} from '@einlass/contracts';
import { formatNumber, useLang, useWords } from '../../i18n';
import { useSession } from '../../session';
import { eventPath } from '../../shared/types';
import {
  EarlierFileJobs,
  FileJobProgress,
  useCurrentJobTitle,
  useFileJobs,
} from '../../shared/file-jobs';
import { errorText, Notice } from '../../shared/ui';

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
    noCurrent: 'Noch kein Auftrag gestartet.',
    progress: (done: string, total: string) => `${done} von ${total} Bescheinigungen`,
    download: 'Herunterladen',
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
    noCurrent: 'No job started yet.',
    progress: (done: string, total: string) => `${done} of ${total} certificates`,
    download: 'Download',
    earlier: 'Earlier jobs',
    started: 'Started',
    people: 'People',
    failed: 'The job was not started:',
    jobFailed: 'The job failed:',
    network: 'The badges service cannot be reached.',
  },
};
type Words = (typeof WORDS)['de'] | (typeof WORDS)['en'];

export function CertificatesPage() {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [format, setFormat] = useState<CertificateJobFormat>('pdf');
  const [language, setLanguage] = useState<CertificateLanguage>(lang);
  const [rule, setRule] = useState<AttendanceRule>('door_lists');
  const [issuer, setIssuer] = useState('');
  const certificateJobs = useFileJobs<CertificateJobView>({
    list: eventPath(event.slug, '/certificate-jobs'),
    one: '/api/certificate-jobs',
  });
  const { current } = certificateJobs;
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const currentTitle = useCurrentJobTitle(current);

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
      await certificateJobs.show(id);
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
          <h2 id="certificate-current-title">{currentTitle}</h2>
          {current ? (
            <CurrentJob key={`${current.id}-${certificateJobs.shownAt}`} job={current} words={t} />
          ) : (
            <p class="muted">{t.noCurrent}</p>
          )}
        </section>
      </div>
      <EarlierFileJobs
        jobs={certificateJobs.jobs}
        ids={{ title: 'certificate-earlier-title', table: 'certificate-job-list' }}
        words={{ title: t.earlier, started: t.started, actions: t.download }}
        columns={[
          { head: t.format, cell: (job) => t.formats[job.format][0] },
          { head: t.people, number: true, cell: (job) => formatNumber(lang, job.total) },
        ]}
        download={(job) => download(job, event.slug, t.download)}
      />
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
  const t = props.words;
  const { event } = useSession();
  return (
    <FileJobProgress
      job={props.job}
      progress={t.progress}
      failed={t.jobFailed}
      download={download(props.job, event.slug, t.download)}
      ids={{ job: 'certificate-job', status: 'certificate-status' }}
    />
  );
}

/** A job's file, saved as `certificates-<event>-<day it was started>.<pdf or zip>`. */
function download(job: CertificateJobView, slug: string, label: string) {
  return {
    path: `/api/certificate-jobs/${job.id}/file`,
    filename: `certificates-${slug}-${job.createdAt.slice(0, 10)}.${job.format}`,
    label,
  };
}
