/**
 * Print badges: choose who (categories, workshops, only those not printed yet), the order and
 * the sheet layout; start a print job; watch its progress (GET /api/print-jobs/:id); download
 * the PDF (the job's progress and download: shared/file-jobs.tsx, as on the certificates page).
 * Earlier jobs of the event stay listed with their files (GET …/print-jobs). Below, the event's
 * signing keys (signing-keys.tsx).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  categoryName,
  formatDateTime,
  formatNumber,
  type Lang,
  useLang,
  useWords,
} from '../../i18n';
import { useSession } from '../../session';
import {
  CATEGORIES,
  type Category,
  eventPath,
  type Layout,
  LAYOUTS,
  type PrintFilter,
  type PrintJob,
  type ProgrammeSession,
  shortTitle,
  type Sort,
  SORTS,
} from '../../shared/types';
import {
  activeJob,
  EarlierFileJobs,
  FileJobProgress,
  useCurrentJobTitle,
  useFileJobs,
} from '../../shared/file-jobs';
import { errorText, Icon, Notice } from '../../shared/ui';
import { SigningKeys } from './signing-keys';

const WORDS = {
  de: {
    title: 'Badges drucken',
    lead: 'Wählen Sie aus, welche Badges gedruckt werden, in welcher Reihenfolge und auf welchem Papier. Das PDF entsteht im Hintergrund.',
    who: 'Welche Badges',
    whoNote: 'Nichts ausgewählt heißt: alle gültigen Badges.',
    categories: 'Kategorien',
    workshops: 'Workshops (Personen mit Platz)',
    withPlace: (n: string) => `${n} mit Platz`,
    onlyUnprinted: 'Nur Badges, die noch nicht gedruckt wurden',
    onlyUnprintedNote: 'Praktisch für Nachmeldungen und geänderte Badges.',
    order: 'Reihenfolge',
    sorts: {
      lastName: ['Nachname', 'A–Z in deutscher Sortierung (Ä bei A, ß wie ss).'],
      organisation: [
        'Organisation',
        'Nach Organisation, darin nach Namen – für Ausgabe je Behörde.',
      ],
      category: ['Kategorie', 'Nach Kategorie, darin nach Namen – Farbbänder liegen beisammen.'],
    } satisfies Record<Sort, [string, string]>,
    layout: 'Papier',
    layouts: {
      'a4-4up': [
        'A4, 4 Badges',
        'Vier A6-Badges je A4-Blatt mit Schnittmarken – für den Büro­drucker.',
      ],
      'a4-2up': [
        'A4 quer, 2 Badges',
        'Zwei A6-Badges nebeneinander, mittig – für Drucker ohne randlosen Druck.',
      ],
      a6: ['A6, 1 Badge', 'Ein Badge je Seite – für Badge-Drucker und A6-Karten.'],
    } satisfies Record<Layout, [string, string]>,
    start: 'Druckauftrag starten',
    starting: 'Wird gestartet …',
    selection: (parts: string[]) => (parts.length ? parts.join(' · ') : 'Alle gültigen Badges'),
    only: 'nur ungedruckte',
    people: (n: string) => `${n} ausgewählte Personen`,
    noCurrent: 'Noch kein Auftrag gestartet. Wählen Sie links aus und starten Sie den Druck.',
    progress: (done: string, total: string) => `${done} von ${total} Badges`,
    download: 'PDF herunterladen',
    downloaded: 'Das PDF wurde heruntergeladen.',
    earlier: 'Frühere Aufträge',
    noEarlier: 'Für diese Veranstaltung gibt es noch keine Druckaufträge.',
    started: 'Gestartet',
    finished: 'Fertig um',
    badges: 'Badges',
    actions: 'Aktion',
    failed: 'Der Druckauftrag wurde nicht gestartet:',
    jobFailed: 'Der Druckauftrag ist fehlgeschlagen:',
    network: 'Der Badge-Dienst ist nicht erreichbar.',
    listFailed: 'Die früheren Aufträge konnten nicht geladen werden.',
  },
  en: {
    title: 'Print badges',
    lead: 'Choose which badges to print, in which order and on which paper. The PDF is made in the background.',
    who: 'Which badges',
    whoNote: 'Nothing chosen means: every valid badge.',
    categories: 'Categories',
    workshops: 'Workshops (people with a place)',
    withPlace: (n: string) => `${n} with a place`,
    onlyUnprinted: 'Only badges not printed yet',
    onlyUnprintedNote: 'Handy for late registrations and changed badges.',
    order: 'Order',
    sorts: {
      lastName: ['Last name', 'A–Z in German order (Ä with A, ß as ss).'],
      organisation: ['Organisation', 'By organisation, then name – for handing out per agency.'],
      category: ['Category', 'By category, then name – colour bands stay together.'],
    } satisfies Record<Sort, [string, string]>,
    layout: 'Paper',
    layouts: {
      'a4-4up': [
        'A4, 4 badges',
        'Four A6 badges per A4 sheet with crop marks – for the office printer.',
      ],
      'a4-2up': [
        'A4 landscape, 2 badges',
        'Two A6 badges side by side, centred – for printers that cannot print to the edge.',
      ],
      a6: ['A6, 1 badge', 'One badge per page – for badge printers and A6 cards.'],
    } satisfies Record<Layout, [string, string]>,
    start: 'Start print job',
    starting: 'Starting…',
    selection: (parts: string[]) => (parts.length ? parts.join(' · ') : 'Every valid badge'),
    only: 'unprinted only',
    people: (n: string) => `${n} chosen people`,
    noCurrent: 'No job started yet. Choose on the left and start printing.',
    progress: (done: string, total: string) => `${done} of ${total} badges`,
    download: 'Download PDF',
    downloaded: 'The PDF was downloaded.',
    earlier: 'Earlier jobs',
    noEarlier: 'There are no print jobs for this event yet.',
    started: 'Started',
    finished: 'Finished',
    badges: 'Badges',
    actions: 'Action',
    failed: 'The print job was not started:',
    jobFailed: 'The print job failed:',
    network: 'The badges service cannot be reached.',
    listFailed: 'The earlier jobs could not be loaded.',
  },
};

type Words = (typeof WORDS)['de'];

/** What a job prints, in words: its categories, workshops, people and "unprinted only". */
function selectionWords(t: Words, lang: Lang, filter: PrintFilter): string {
  return t.selection([
    ...(filter.categories ?? []).map((c) => categoryName(lang, c)),
    ...(filter.sessions ?? []),
    ...(filter.ids?.length ? [t.people(formatNumber(lang, filter.ids.length))] : []),
    ...(filter.onlyUnprinted ? [t.only] : []),
  ]);
}

export function PrintJobsPage() {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [categories, setCategories] = useState<Category[]>([]);
  const [sessions, setSessions] = useState<string[]>([]);
  const [onlyUnprinted, setOnlyUnprinted] = useState(false);
  const [sort, setSort] = useState<Sort>('lastName');
  const [layout, setLayout] = useState<Layout>('a4-4up');
  const [programme, setProgramme] = useState<ProgrammeSession[]>([]);
  const printJobs = useFileJobs<PrintJob>({
    list: eventPath(event.slug, '/print-jobs'),
    one: '/api/print-jobs',
  });
  const { jobs, listError, current } = printJobs;
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  const currentTitle = useCurrentJobTitle(current);

  const workshops = programme.filter((s) => s.kind === 'workshop');

  useEffect(() => {
    alive.current = true;
    api
      .get<ProgrammeSession[]>('registration', eventPath(event.slug, '/sessions'))
      .then((p) => alive.current && setProgramme(p))
      .catch(() => undefined);
    return () => {
      alive.current = false;
    };
  }, [event.slug]);

  const start = async (e: Event) => {
    e.preventDefault();
    setStarting(true);
    setError(null);
    const filter = {
      ...(categories.length ? { categories } : {}),
      ...(sessions.length ? { sessions } : {}),
      ...(onlyUnprinted ? { onlyUnprinted: true } : {}),
    };
    try {
      const { id } = await api.request<{ id: string }>(
        'badges',
        'POST',
        eventPath(event.slug, '/print-jobs'),
        { ...(Object.keys(filter).length ? { filter } : {}), sort, layout },
      );
      await printJobs.show(id);
    } catch (err) {
      setError(errorText(err, t.network));
    } finally {
      setStarting(false);
    }
  };

  const toggle = <T,>(list: T[], value: T, on: boolean) =>
    on ? [...list, value] : list.filter((v) => v !== value);

  const selection = selectionWords(t, lang, {
    categories,
    sessions,
    ...(onlyUnprinted ? { onlyUnprinted: true } : {}),
  });

  return (
    <div class="org-page print-page">
      <header class="org-head">
        <div>
          <h1>{t.title}</h1>
          <p class="org-lead">{t.lead}</p>
        </div>
      </header>

      <div class="pj-layout">
        <form class="card pj-form" onSubmit={(e) => void start(e)} aria-labelledby="pj-form-title">
          <h2 id="pj-form-title" class="visually-hidden">
            {t.title}
          </h2>
          <fieldset class="org-fieldset">
            <legend>{t.who}</legend>
            <p class="org-hint">{t.whoNote}</p>
            <div class="pj-who">
              <fieldset class="pj-group">
                <legend>{t.categories}</legend>
                {CATEGORIES.map((c) => (
                  <label key={c} class="org-check">
                    <input
                      type="checkbox"
                      name="categories"
                      value={c}
                      checked={categories.includes(c)}
                      onChange={(e) =>
                        setCategories(toggle(categories, c, (e.target as HTMLInputElement).checked))
                      }
                    />
                    <span>{categoryName(lang, c)}</span>
                  </label>
                ))}
              </fieldset>
              {workshops.length > 0 && (
                <fieldset class="pj-group">
                  <legend>{t.workshops}</legend>
                  {workshops.map((w) => (
                    <label key={w.code} class="org-check">
                      <input
                        type="checkbox"
                        name="sessions"
                        value={w.code}
                        checked={sessions.includes(w.code)}
                        onChange={(e) =>
                          setSessions(
                            toggle(sessions, w.code, (e.target as HTMLInputElement).checked),
                          )
                        }
                      />
                      <span>
                        <strong>{w.code}</strong> {shortTitle(w.title)}
                        <span class="org-check-note">
                          {t.withPlace(formatNumber(lang, w.signedUp))}
                        </span>
                      </span>
                    </label>
                  ))}
                </fieldset>
              )}
            </div>
            <label class="org-check pj-unprinted">
              <input
                type="checkbox"
                id="only-unprinted"
                checked={onlyUnprinted}
                onChange={(e) => setOnlyUnprinted((e.target as HTMLInputElement).checked)}
              />
              <span>
                {t.onlyUnprinted}
                <span class="org-check-note">{t.onlyUnprintedNote}</span>
              </span>
            </label>
          </fieldset>

          <fieldset class="org-fieldset">
            <legend>{t.layout}</legend>
            <div class="pj-options pj-layouts">
              {LAYOUTS.map((name) => (
                <label key={name} class={`pj-option${layout === name ? ' is-chosen' : ''}`}>
                  <input
                    type="radio"
                    name="layout"
                    value={name}
                    checked={layout === name}
                    onChange={() => setLayout(name)}
                  />
                  <SheetPicture layout={name} />
                  <span class="pj-option-text">
                    <strong>{t.layouts[name][0]}</strong>
                    <span>{t.layouts[name][1]}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>

          <fieldset class="org-fieldset">
            <legend>{t.order}</legend>
            <div class="pj-options pj-sorts">
              {SORTS.map((name) => (
                <label key={name} class={`pj-option${sort === name ? ' is-chosen' : ''}`}>
                  <input
                    type="radio"
                    name="sort"
                    value={name}
                    checked={sort === name}
                    onChange={() => setSort(name)}
                  />
                  <span class="pj-option-text">
                    <strong>{t.sorts[name][0]}</strong>
                    <span>{t.sorts[name][1]}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>

          {error && (
            <Notice tone="error" focus id="print-error">
              {t.failed} {error}
            </Notice>
          )}
          <div class="pj-submit">
            <p class="pj-selection">
              <span class="muted">{t.who}:</span> <strong>{selection}</strong> ·{' '}
              {t.layouts[layout][0]} · {t.sorts[sort][0]}
            </p>
            <button type="submit" class="button primary" id="print-start" disabled={starting}>
              <Icon name="printer" />
              {starting ? t.starting : t.start}
            </button>
          </div>
        </form>

        <section class="card pj-current" aria-labelledby="pj-current-title">
          <h2 id="pj-current-title">{currentTitle}</h2>
          {current ? (
            <CurrentJob
              key={`${current.id}-${printJobs.shownAt}`}
              job={current}
              words={t}
              lang={lang}
            />
          ) : (
            <p class="muted">{t.noCurrent}</p>
          )}
        </section>
      </div>

      <EarlierFileJobs
        jobs={jobs}
        listError={listError}
        ids={{ title: 'pj-earlier-title', table: 'print-job-list' }}
        words={{
          title: t.earlier,
          started: t.started,
          actions: t.actions,
          empty: t.noEarlier,
          listFailed: t.listFailed,
        }}
        columns={[
          { head: t.who, cell: (job) => selectionWords(t, lang, job.filter ?? {}) },
          { head: t.layout, cell: (job) => t.layouts[job.layout]?.[0] ?? job.layout },
          { head: t.order, cell: (job) => t.sorts[job.sort]?.[0] ?? job.sort },
          {
            head: t.badges,
            number: true,
            cell: (job) =>
              activeJob(job)
                ? t.progress(formatNumber(lang, job.done), formatNumber(lang, job.total))
                : formatNumber(lang, job.total),
          },
        ]}
        after={[
          {
            head: t.finished,
            cell: (job) => (job.finishedAt ? formatDateTime(lang, job.finishedAt) : '–'),
          },
        ]}
        download={(job) => download(job, event.slug, t.download)}
      />

      <SigningKeys onPrintJob={(id) => void printJobs.show(id).catch(() => undefined)} />
    </div>
  );
}

function CurrentJob(props: { job: PrintJob; words: Words; lang: Lang }) {
  const { job } = props;
  const t = props.words;
  const { event } = useSession();
  return (
    <FileJobProgress
      job={job}
      progress={t.progress}
      failed={t.jobFailed}
      download={{ ...download(job, event.slug, t.download), id: 'print-download' }}
      ids={{ job: 'current-job', status: 'current-status', progress: 'print-progress' }}
      meta={[
        selectionWords(t, props.lang, job.filter ?? {}),
        t.layouts[job.layout]?.[0],
        t.sorts[job.sort]?.[0],
      ]
        .filter(Boolean)
        .join(' · ')}
    />
  );
}

/** A print job's PDF, saved as `badges-<event>-<layout>-<day and time it was started>.pdf`. */
function download(job: PrintJob, slug: string, label: string) {
  const day = job.createdAt.slice(0, 16).replace(/[:T]/g, '-');
  return {
    path: `/api/print-jobs/${job.id}/file`,
    filename: `badges-${slug}-${job.layout}-${day}.pdf`,
    label,
  };
}

/** A small drawing of the sheet: where the badges go. */
function SheetPicture(props: { layout: Layout }) {
  const cells = props.layout === 'a4-4up' ? 4 : props.layout === 'a4-2up' ? 2 : 1;
  return (
    <span class={`pj-sheet pj-sheet-${props.layout}`} aria-hidden="true">
      {Array.from({ length: cells }, (_, i) => (
        <span key={i} class="pj-sheet-badge" />
      ))}
    </span>
  );
}
