/**
 * What the print and certificate pages share about their jobs (a file rendered in the background
 * by the badges service): the event's jobs and the current one, followed until they end
 * (useFileJobs); the current job's status, progress bar and download (FileJobProgress); the
 * table of earlier jobs with their status and downloads (EarlierFileJobs). Each page keeps its
 * form, its words for what it makes and its own columns of the table.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fileJobActive, type FileJobStatus as Status, type FileJobView } from '@einlass/contracts';
import { formatDateTime, formatNumber, useLang, useWords } from '../i18n';
import { useSession } from '../session';
import { errorText, Icon, Notice, Pill, type Tone } from './ui';

const WORDS = {
  de: {
    status: {
      queued: 'Wartet',
      running: 'Läuft',
      done: 'Fertig',
      failed: 'Fehlgeschlagen',
    } satisfies Record<Status, string>,
    current: 'Aktueller Auftrag',
    latest: 'Letzter Auftrag',
    downloading: 'Wird geladen …',
    network: 'Der Badge-Dienst ist nicht erreichbar.',
  },
  en: {
    status: {
      queued: 'Queued',
      running: 'Running',
      done: 'Done',
      failed: 'Failed',
    } satisfies Record<Status, string>,
    current: 'Current job',
    latest: 'Latest job',
    downloading: 'Downloading…',
    network: 'The badges service cannot be reached.',
  },
};

const TONE: Record<Status, Tone> = {
  queued: 'neutral',
  running: 'brand',
  done: 'green',
  failed: 'red',
};

/** The current job is asked every half second, the list every 2 s while other jobs run. */
const POLL_MS = 500;
const LIST_POLL_MS = 2000;

export const activeJob = fileJobActive;

/** How far a job is, 0–100 (a done job of nothing is whole). */
export const percentDone = (job: FileJobView): number =>
  job.total > 0 ? Math.round((job.done / job.total) * 100) : job.status === 'done' ? 100 : 0;

/** The title over the current job: "Current job" while it runs, "Latest job" once it ended. */
export function useCurrentJobTitle(job: FileJobView | null): string {
  const t = useWords(WORDS);
  return job && !activeJob(job) ? t.latest : t.current;
}

export interface FileJobs<Job extends FileJobView> {
  /** The event's jobs, newest first; null until the first answer. */
  jobs: Job[] | null;
  /** Whether the last look at the list failed. */
  listError: boolean;
  /** The job shown big: the one just started, else one under way, else the newest. */
  current: Job | null;
  /** Changes whenever a job becomes the current one (a key that restarts its view). */
  shownAt: number;
  /** Makes the job with this id the current one (just started on this page or elsewhere). */
  show(id: string): Promise<void>;
  reload(): Promise<Job[] | null>;
}

/**
 * An event's jobs of one kind, from `GET <list>` and `GET <one>/:id`: after a reload a job still
 * under way is the current one again; the current job is followed until it is done or failed,
 * and the list while other jobs run (started elsewhere or before a reload).
 */
export function useFileJobs<Job extends FileJobView>(paths: {
  /** The event's jobs: `/api/events/<slug>/print-jobs`. */
  list: string;
  /** One job: `/api/print-jobs`. */
  one: string;
}): FileJobs<Job> {
  const { api } = useSession();
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [listError, setListError] = useState(false);
  const [current, setCurrent] = useState<Job | null>(null);
  const [shownAt, setShownAt] = useState(0);
  const alive = useRef(true);

  const reload = async () => {
    try {
      const list = await api.get<Job[]>('badges', paths.list);
      if (!alive.current) return list;
      setJobs(list);
      setListError(false);
      return list;
    } catch {
      if (alive.current) setListError(true);
      return null;
    }
  };

  useEffect(() => {
    alive.current = true;
    void reload().then((list) => {
      const shown = list?.find(activeJob) ?? list?.[0];
      if (shown && alive.current) setCurrent((c) => c ?? shown);
    });
    return () => {
      alive.current = false;
    };
  }, [paths.list]);

  useEffect(() => {
    if (!current || !activeJob(current)) return;
    const poll = async () => {
      try {
        const job = await api.get<Job>('badges', `${paths.one}/${current.id}`);
        if (!alive.current) return;
        setCurrent(job);
        if (!activeJob(job)) void reload();
      } catch {
        // a missed answer: the next tick asks again
        if (alive.current) setCurrent({ ...current });
      }
    };
    const timer = setTimeout(() => void poll(), POLL_MS);
    return () => clearTimeout(timer);
  }, [current]);

  useEffect(() => {
    if (!jobs?.some((job) => activeJob(job) && job.id !== current?.id)) return;
    const timer = setTimeout(() => void reload(), LIST_POLL_MS);
    return () => clearTimeout(timer);
  }, [jobs, current?.id]);

  /** Throws when the job cannot be read (the list is looked at anyway). */
  const show = async (id: string) => {
    try {
      const job = await api.get<Job>('badges', `${paths.one}/${id}`);
      if (!alive.current) return;
      setCurrent(job);
      setShownAt(Date.now());
    } finally {
      void reload();
    }
  };

  return { jobs, listError, current, shownAt, show, reload };
}

export function FileJobStatus(props: { job: FileJobView; id?: string }) {
  const t = useWords(WORDS);
  const word = t.status[props.job.status];
  return (
    <Pill tone={TONE[props.job.status]}>{props.id ? <span id={props.id}>{word}</span> : word}</Pill>
  );
}

/**
 * The current job: its status, what it makes (`meta`), a progress bar with the count in the
 * page's words, why it failed, and its download once it is done.
 */
export function FileJobProgress(props: {
  job: FileJobView;
  /** "3 of 9 badges" */
  progress: (done: string, total: string) => string;
  /** "The print job failed:" */
  failed: string;
  download: DownloadProps;
  meta?: ComponentChildren;
  /** Element ids the page's tests and styles use. */
  ids: { job: string; status: string; progress?: string };
}) {
  const { job } = props;
  const t = useWords(WORDS);
  const lang = useLang();
  const value = percentDone(job);
  const text = props.progress(formatNumber(lang, job.done), formatNumber(lang, job.total));
  return (
    <div class="pj-job" data-status={job.status} data-job={job.id} id={props.ids.job}>
      <div class="pj-job-head">
        <FileJobStatus job={job} id={props.ids.status} />
        {props.meta && <span class="pj-job-meta">{props.meta}</span>}
      </div>
      <div class="pj-progress-row">
        <div
          class={`pj-progress is-${job.status}`}
          role="progressbar"
          id={props.ids.progress}
          aria-label={t.current}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={value}
          aria-valuetext={`${value} % · ${text}`}
        >
          <div class="pj-progress-fill" style={{ width: `${value}%` }} />
        </div>
        <span class="pj-percent" aria-hidden="true">
          {value} %
        </span>
      </div>
      <p class="pj-count">{text}</p>
      {job.status === 'failed' && (
        <Notice tone="error" focus>
          {props.failed} {job.error ?? ''}
        </Notice>
      )}
      {job.status === 'done' && <FileJobDownload {...props.download} focus />}
    </div>
  );
}

interface DownloadProps {
  /** `GET <path>` answers the file (`/api/print-jobs/<id>/file`). */
  path: string;
  /** The name the browser saves it under. */
  filename: string;
  /** "Download PDF" */
  label: string;
  id?: string;
}

/**
 * Downloads a done job's file; says why not under the button (a 410 once an erasure deleted it).
 * `compact` in a table row, where `rowLabel` tells the rows' buttons apart for screen readers.
 */
export function FileJobDownload(
  props: DownloadProps & { compact?: boolean; focus?: boolean; rowLabel?: string },
) {
  const t = useWords(WORDS);
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (props.focus) ref.current?.focus();
  }, []);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.download('badges', props.path, props.filename);
    } catch (e) {
      setError(errorText(e, t.network));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        ref={ref}
        type="button"
        id={props.id}
        class={`button ${props.compact ? 'pj-download-small' : 'primary'}`}
        onClick={() => void download()}
        disabled={busy}
        aria-label={props.rowLabel ? `${props.label} (${props.rowLabel})` : undefined}
      >
        <Icon name="download" />
        {busy ? t.downloading : props.label}
      </button>
      {error && <p class="org-field-error">{error}</p>}
    </>
  );
}

/** A column of the earlier jobs' table that a page adds (what the job was asked to make). */
export interface FileJobColumn<Job> {
  head: string;
  cell: (job: Job) => ComponentChildren;
  number?: boolean;
}

/**
 * The event's earlier jobs: when each started, the page's own columns (`columns`, and `after`
 * the status), the status, and the file's download once done. Says why the list is missing
 * (`listFailed`) and, with `empty`, that there is none yet; without it, an empty list shows
 * nothing.
 */
export function EarlierFileJobs<Job extends FileJobView>(props: {
  jobs: Job[] | null;
  listError?: boolean;
  ids: { title: string; table: string };
  words: { title: string; started: string; actions: string; empty?: string; listFailed?: string };
  columns: FileJobColumn<Job>[];
  after?: FileJobColumn<Job>[];
  download: (job: Job) => DownloadProps;
}) {
  const lang = useLang();
  const { jobs, words } = props;
  if (!props.words.empty && !props.listError && !jobs?.length) return null;
  const columns = [
    ...props.columns,
    { head: 'Status', cell: (job: Job) => <FileJobStatus job={job} /> },
    ...(props.after ?? []),
  ];
  return (
    <section class="card pj-earlier" aria-labelledby={props.ids.title}>
      <h2 id={props.ids.title}>{words.title}</h2>
      {props.listError && words.listFailed && <Notice tone="error">{words.listFailed}</Notice>}
      {jobs && jobs.length === 0 && words.empty && <p class="muted">{words.empty}</p>}
      {jobs && jobs.length > 0 && (
        <div class="org-table-wrap">
          <table class="data org-table" id={props.ids.table}>
            <thead>
              <tr>
                <th scope="col">{words.started}</th>
                {columns.map((column) => (
                  <th key={column.head} scope="col" class={column.number ? 'number' : undefined}>
                    {column.head}
                  </th>
                ))}
                <th scope="col">
                  <span class="visually-hidden">{words.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id} data-job={job.id} data-status={job.status}>
                  <td>{formatDateTime(lang, job.createdAt)}</td>
                  {columns.map((column) => (
                    <td key={column.head} class={column.number ? 'number' : undefined}>
                      {column.cell(job)}
                    </td>
                  ))}
                  <td class="pj-row-action">
                    {job.status === 'done' && (
                      <FileJobDownload
                        {...props.download(job)}
                        compact
                        rowLabel={formatDateTime(lang, job.createdAt)}
                      />
                    )}
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
