/**
 * Import: upload the registration list (an Excel workbook, or CSV as the registration system or
 * Excel saves it) and see the answer as tiles and a table of the rows refused. Old Excel files,
 * OpenDocument, PDFs and pictures are recognised by their first bytes and refused here with a
 * word on how to save the list.
 */
import { useRef, useState } from 'preact/hooks';
import { locale } from '@einlass/web-ui';
import { formatDateTime, formatNumber, type Lang, useLang, useWords } from '../../i18n';
import { href } from '../../router';
import { useSession } from '../../session';
import { type FileKind, sniffFile } from './file-kind';
import {
  eventPath,
  type ImportProblem,
  type ImportResult,
  type RejectedImportRow,
} from '../../shared/types';
import { errorText, Icon, Notice, useFocusOnMount } from '../../shared/ui';
import { ApiError } from '../../api';

const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const WORDS = {
  de: {
    title: 'Teilnehmende importieren',
    intro:
      'Laden Sie die Liste aus dem Anmeldeformular oder aus Excel hoch. Personen werden über die Buchungsnummer abgeglichen: Neue werden angelegt, bekannte aktualisiert.',
    upload: 'Datei hochladen',
    choose: 'Excel- oder CSV-Datei auswählen',
    orDrop: 'oder hierher ziehen',
    selected: 'Ausgewählt',
    noFile: 'Noch keine Datei ausgewählt.',
    submit: 'Importieren',
    busy: 'Wird importiert …',
    pickFirst: 'Bitte zuerst eine Datei auswählen.',
    rules: 'Was der Import annimmt',
    rulesItems: [
      'Excel-Arbeitsmappen (.xlsx, das erste Tabellenblatt) und CSV mit Komma, Semikolon oder Tabulator (Windows-1252 oder UTF-8).',
      'Spalten auf Deutsch oder Englisch: Buchungsnummer, Titel, Vorname, Nachname, E-Mail, Organisation, Kategorie, Workshops. Über der Kopfzeile darf ein Titel stehen.',
      'Kategorien: Teilnehmer, Referent, Presse, Organisation, Aussteller.',
      'Bis 50 MB. Dieselbe Datei zweimal zu importieren ändert nichts.',
    ],
    excelHint:
      'Excel-Dateien im alten Format (.xls): Datei → Speichern unter → „Excel-Arbeitsmappe (.xlsx)“.',
    kinds: {
      xls: 'Das ist eine Excel-Datei im alten Format (.xls). Bitte in Excel über „Datei → Speichern unter“ als „Excel-Arbeitsmappe (.xlsx)“ oder „CSV (Trennzeichen-getrennt)“ speichern und diese Datei hochladen.',
      ods: 'Das ist eine OpenDocument-Tabelle (.ods). Bitte als Excel-Arbeitsmappe (.xlsx) oder CSV speichern und diese Datei hochladen.',
      pdf: 'Das ist ein PDF. Der Import braucht die Liste als Tabelle: bitte aus Excel oder dem Anmeldesystem als Excel-Arbeitsmappe (.xlsx) oder CSV speichern.',
      image:
        'Das ist ein Bild. Bitte die Teilnehmendenliste als Excel-Arbeitsmappe (.xlsx) oder CSV hochladen.',
      zip: 'Das ist ein ZIP-Archiv, keine Excel-Arbeitsmappe. Bitte die Liste daraus entpacken und hochladen.',
      binary:
        'Diese Datei ist weder eine Excel-Arbeitsmappe noch eine Textdatei. Bitte die Liste als „Excel-Arbeitsmappe (.xlsx)“ oder „CSV (Trennzeichen-getrennt)“ speichern und hochladen.',
      empty: 'Diese Datei ist leer.',
    } satisfies Record<Exclude<FileKind, 'text' | 'xlsx'>, string>,
    refused: 'Der Import wurde abgelehnt',
    tooLarge: 'Die Datei ist größer als 50 MB. Bitte teilen Sie die Liste auf.',
    nothingImported: 'Es wurde nichts importiert.',
    network: 'Der Anmeldedienst ist nicht erreichbar. Bitte Verbindung prüfen.',
    resultTitle: 'Ergebnis',
    resultOf: (file: string, at: string) => `${file} · importiert ${at}`,
    created: 'Neu angelegt',
    updated: 'Aktualisiert',
    unchanged: 'Unverändert',
    rejected: 'Abgelehnt',
    rejectedTitle: 'Abgelehnte Zeilen',
    rejectedIntro:
      'Diese Zeilen wurden nicht übernommen, alle anderen schon. Korrigieren Sie sie in der Datei und laden Sie sie erneut hoch – bereits importierte Personen bleiben unverändert.',
    line: 'Zeile',
    reason: 'Grund',
    allIn: 'Alle Zeilen wurden übernommen.',
    summary: (n: number) =>
      n === 0
        ? 'Keine Zeile abgelehnt.'
        : n === 1
          ? '1 Zeile abgelehnt.'
          : `${n} Zeilen abgelehnt.`,
    toList: 'Zur Teilnehmendenliste',
    another: 'Weitere Datei importieren',
    bytes: (size: string) => `${size}`,
  },
  en: {
    title: 'Import attendees',
    intro:
      'Upload the list from the registration form or from Excel. People are matched by booking number: new ones are added, known ones updated.',
    upload: 'Upload a file',
    choose: 'Choose an Excel or CSV file',
    orDrop: 'or drop it here',
    selected: 'Selected',
    noFile: 'No file chosen yet.',
    submit: 'Import',
    busy: 'Importing…',
    pickFirst: 'Please choose a file first.',
    rules: 'What the import takes',
    rulesItems: [
      'Excel workbooks (.xlsx, the first sheet) and CSV with commas, semicolons or tabs (Windows-1252 or UTF-8).',
      'Columns in English or German: external id/booking number, title, first name, last name, email, organisation, category, workshops. A title above the header row is fine.',
      'Categories: attendee, speaker, press, staff, exhibitor (or their German names).',
      'Up to 50 MB. Importing the same file twice changes nothing.',
    ],
    excelHint: 'Excel files in the old format (.xls): File → Save As → “Excel Workbook (.xlsx)”.',
    kinds: {
      xls: 'This is an Excel file in the old format (.xls). Please save it from Excel as “Excel Workbook (.xlsx)” or “CSV (Comma delimited)” (File → Save As) and upload that file.',
      ods: 'This is an OpenDocument spreadsheet (.ods). Please save it as an Excel workbook (.xlsx) or as CSV and upload that file.',
      pdf: 'This is a PDF. The import needs the list as a table: please save it from Excel or the registration system as an Excel workbook (.xlsx) or as CSV.',
      image:
        'This is a picture. Please upload the attendee list as an Excel workbook (.xlsx) or as CSV.',
      zip: 'This is a ZIP archive, not an Excel workbook. Please unpack the list and upload it.',
      binary:
        'This file is neither an Excel workbook nor a text file. Please save the list as “Excel Workbook (.xlsx)” or “CSV (Comma delimited)” and upload it.',
      empty: 'This file is empty.',
    } satisfies Record<Exclude<FileKind, 'text' | 'xlsx'>, string>,
    refused: 'The import was refused',
    tooLarge: 'The file is larger than 50 MB. Please split the list.',
    nothingImported: 'Nothing was imported.',
    network: 'The registration service cannot be reached. Please check the connection.',
    resultTitle: 'Result',
    resultOf: (file: string, at: string) => `${file} · imported ${at}`,
    created: 'Created',
    updated: 'Updated',
    unchanged: 'Unchanged',
    rejected: 'Rejected',
    rejectedTitle: 'Rejected rows',
    rejectedIntro:
      'These rows were not taken, all others were. Correct them in the file and upload it again – people already imported stay unchanged.',
    line: 'Line',
    reason: 'Reason',
    allIn: 'Every row was imported.',
    summary: (n: number) =>
      n === 0 ? 'No row rejected.' : n === 1 ? '1 row rejected.' : `${n} rows rejected.`,
    toList: 'Go to the attendees list',
    another: 'Import another file',
    bytes: (size: string) => `${size}`,
  },
};

type Words = (typeof WORDS)['de'];

/**
 * What a problem's words get: its parameters, already written for the page's language (numbers
 * as that language writes them, fields by their names on this page).
 */
interface Said {
  field: string;
  value: string;
  number: (param: string) => string;
  list: (param: string) => string;
  /** Whether an array parameter holds more than one item (for the plural). */
  many: (param: string) => boolean;
  /** Each attendee field an array parameter names, as a column of the file is headed. */
  columns: (param: string) => string;
}

interface ProblemWords {
  /** The attendee fields, as the server names them in `field`. */
  fields: Record<string, string>;
  /** A column heading the import takes for each field, for "these columns are missing". */
  columns: Record<string, string>;
  /** A rejected row's problems, by code (API.md, Extensions). */
  row: Record<string, (said: Said) => string>;
  /** A refused file, by code. */
  file: Record<string, (said: Said) => string>;
  nothing: string;
}

/**
 * The server says each problem in English in `reason` / `message` and, next to it, as a code with
 * parameters: these are the words for those codes. A code not listed here (a newer server) falls
 * back to the server's English.
 */
const PROBLEM_WORDS: { de: ProblemWords; en: ProblemWords } = {
  de: {
    fields: {
      externalId: 'Externe ID',
      title: 'Titel',
      firstName: 'Vorname',
      lastName: 'Nachname',
      email: 'E-Mail',
      organisation: 'Organisation',
      category: 'Kategorie',
      sessions: 'Workshops',
    },
    columns: {
      externalId: 'Buchungsnummer',
      title: 'Titel',
      firstName: 'Vorname',
      lastName: 'Nachname',
      email: 'E-Mail',
      organisation: 'Organisation',
      category: 'Kategorie',
      sessions: 'Workshops',
    },
    row: {
      empty: (s) => `${s.field} fehlt`,
      too_long: (s) =>
        `${s.field} ist länger als ${s.number('max')} Zeichen (${s.number('length')})`,
      invalid_external_id: (s) =>
        `Externe ID „${s.value}“ enthält Leerzeichen oder einen Doppelpunkt`,
      invalid_email: (s) => `E-Mail „${s.value}“ ist keine gültige E-Mail-Adresse`,
      unknown_category: (s) =>
        `Kategorie „${s.value}“ ist unbekannt (möglich: Teilnehmer, Referent, Presse, Organisation, Aussteller)`,
      too_many_sessions: (s) => `mehr als ${s.number('max')} Workshops (${s.number('count')})`,
      duplicate_external_id: (s) =>
        `Externe ID „${s.value}“ steht schon in Zeile ${s.number('firstLine')}`,
      unknown_session: (s) =>
        `${s.many('codes') ? 'unbekannte Workshop-Codes' : 'unbekannter Workshop-Code'} ${s.list('codes')}`,
      cancelled: (s) => `${s.value} ist storniert; die Zeile wurde nicht übernommen`,
      too_many_values: (s) =>
        `mehr Werte als die Kopfzeile Spalten hat (${s.number('columns')}); ein Wert mit Trennzeichen muss in Anführungszeichen stehen`,
    },
    file: {
      empty_file: () => 'Die Datei ist leer.',
      header_only: () => 'Die Datei enthält nur die Kopfzeile und keine Teilnehmenden.',
      not_text: () =>
        'Die Datei ist keine CSV-Textdatei. Bitte aus Excel als „CSV UTF-8“ oder „CSV (Trennzeichen-getrennt)“ speichern.',
      invalid_utf8: () =>
        'Die Datei beginnt wie UTF-8, ist aber kein gültiges UTF-8. Bitte erneut als „CSV UTF-8“ speichern.',
      unclosed_quote: (s) =>
        `Die Datei ist ab Zeile ${s.number('line')} nicht als CSV lesbar: Ein dort geöffnetes Anführungszeichen wird nie geschlossen.`,
      unreadable_csv: (s) => `Die Datei ist ab Zeile ${s.number('line')} nicht als CSV lesbar.`,
      duplicate_column: (s) =>
        `Die Spalten ${s.list('columns')} enthalten beide das Feld „${s.field}“. Bitte nur eine behalten.`,
      missing_columns: (s) =>
        `Der Datei fehlen die Spalten ${s.columns('fields')}. Gefunden: ${s.list('found')}.`,
      unreadable_workbook: () =>
        'Die Datei ist ein ZIP-Archiv, aber keine lesbare Excel-Arbeitsmappe (.xlsx). Bitte die Liste als .xlsx oder als CSV speichern.',
      workbook_too_large: () =>
        'Die Arbeitsmappe ist entpackt zu groß für den Import. Bitte nur die Teilnehmendenliste darin lassen oder dieses Blatt als CSV speichern.',
      legacy_excel: () =>
        'Das ist eine Excel-Datei im alten Format (.xls). Bitte als „Excel-Arbeitsmappe (.xlsx)“ oder als CSV speichern.',
    },
    nothing: 'nichts',
  },
  en: {
    fields: {
      externalId: 'external id',
      title: 'title',
      firstName: 'first name',
      lastName: 'last name',
      email: 'email',
      organisation: 'organisation',
      category: 'category',
      sessions: 'workshops',
    },
    columns: {
      externalId: 'external_id',
      title: 'title',
      firstName: 'first_name',
      lastName: 'last_name',
      email: 'email',
      organisation: 'organisation',
      category: 'category',
      sessions: 'sessions',
    },
    row: {
      empty: (s) => `${s.field} is empty`,
      too_long: (s) =>
        `${s.field} is longer than ${s.number('max')} characters (${s.number('length')})`,
      invalid_external_id: (s) => `external id “${s.value}” contains spaces or a colon`,
      invalid_email: (s) => `email “${s.value}” is not a valid email address`,
      unknown_category: (s) =>
        `category “${s.value}” is unknown (possible: attendee, speaker, press, staff, exhibitor)`,
      too_many_sessions: (s) => `more than ${s.number('max')} workshops (${s.number('count')})`,
      duplicate_external_id: (s) =>
        `external id “${s.value}” already appears on line ${s.number('firstLine')}`,
      unknown_session: (s) =>
        `${s.many('codes') ? 'unknown workshop codes' : 'unknown workshop code'} ${s.list('codes')}`,
      cancelled: (s) => `${s.value} is cancelled; the row was not applied`,
      too_many_values: (s) =>
        `more values than the header has columns (${s.number('columns')}); a value containing the delimiter needs quotes`,
    },
    file: {
      empty_file: () => 'The file is empty.',
      header_only: () => 'The file holds only the header line and no attendees.',
      not_text: () =>
        'The file is not a CSV text file. Please save it from Excel as “CSV UTF-8” or “CSV (Comma delimited)”.',
      invalid_utf8: () =>
        'The file starts like UTF-8 but is not valid UTF-8. Please save it again as “CSV UTF-8”.',
      unclosed_quote: (s) =>
        `The file is not readable as CSV from line ${s.number('line')} on: a quote opened there is never closed.`,
      unreadable_csv: (s) => `The file is not readable as CSV from line ${s.number('line')} on.`,
      duplicate_column: (s) =>
        `The columns ${s.list('columns')} both hold the ${s.field}. Please keep one of them.`,
      missing_columns: (s) =>
        `The file lacks the columns ${s.columns('fields')}. Found: ${s.list('found')}.`,
      unreadable_workbook: () =>
        'The file is a ZIP archive but no readable Excel workbook (.xlsx). Please save the list as .xlsx or as CSV.',
      workbook_too_large: () =>
        'The workbook unpacks to more than the import reads. Please keep only the attendee list in it, or save that sheet as CSV.',
      legacy_excel: () =>
        'This is an Excel file in the old format (.xls). Please save it as “Excel Workbook (.xlsx)” or as CSV.',
    },
    nothing: 'nothing',
  },
};

/** A problem's parameters as the words of `lang` write them. */
function said(words: ProblemWords, lang: Lang, problem: ImportProblem): Said {
  const param = (name: string): unknown => problem[name];
  const asText = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  return {
    field: (problem.field && words.fields[problem.field]) || (problem.field ?? ''),
    value: problem.value ?? '',
    number: (name) => {
      const v = param(name);
      return typeof v === 'number' ? formatNumber(lang, v) : asText(v);
    },
    list: (name) => {
      const v = param(name);
      if (!Array.isArray(v)) return asText(v);
      const quoted = name === 'codes' ? v.map(asText) : v.map((item) => quote(lang, asText(item)));
      return quoted.join(', ') || words.nothing;
    },
    many: (name) => {
      const v = param(name);
      return Array.isArray(v) && v.length > 1;
    },
    columns: (name) => {
      const v = param(name);
      const fields = Array.isArray(v) ? v.map(asText) : [];
      return fields.map((field) => quote(lang, words.columns[field] ?? field)).join(', ');
    },
  };
}

const quote = (lang: Lang, text: string) => (lang === 'de' ? `„${text}“` : `“${text}”`);

/**
 * A rejected row's problems in the page's language, or undefined when the server sent none or one
 * this page has no words for: then its English `reason` is shown.
 */
function rowProblemsText(
  words: ProblemWords,
  lang: Lang,
  row: RejectedImportRow,
): string | undefined {
  const problems = row.problems ?? [];
  if (problems.length === 0 || problems.some((p) => !Object.hasOwn(words.row, p.code))) {
    return undefined;
  }
  const text = problems.map((p) => words.row[p.code](said(words, lang, p))).join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A refused file's problem in the page's language, or undefined for a code it does not know. */
function fileProblemText(words: ProblemWords, lang: Lang, body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || !('code' in body) || typeof body.code !== 'string') {
    return undefined;
  }
  const problem = body as ImportProblem;
  if (!Object.hasOwn(words.file, problem.code)) return undefined;
  return words.file[problem.code](said(words, lang, problem));
}

interface Outcome {
  file: string;
  at: string;
  result: ImportResult;
}

function fileSize(lang: Lang, bytes: number): string {
  const units = ['B', 'KB', 'MB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

export function ImportsPage() {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const problemWords = useWords(PROBLEM_WORDS);
  const [error, setError] = useState<{
    title: string;
    text: string;
    server?: boolean;
    /** The server's answer, said in the page's language when its code is known. */
    body?: unknown;
  } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const choose = (chosen: File | null) => {
    setFile(chosen);
    setError(null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) {
      setError({ title: t.refused, text: t.pickFirst });
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const kind = await sniffFile(file);
      if (kind !== 'text' && kind !== 'xlsx') {
        setError({ title: t.refused, text: t.kinds[kind] });
        return;
      }
      const result = await api.request<ImportResult>(
        'registration',
        'POST',
        eventPath(event.slug, '/attendees/import'),
        file,
        kind === 'xlsx' ? XLSX_CONTENT_TYPE : 'text/csv',
      );
      setOutcome({ file: file.name, at: new Date().toISOString(), result });
    } catch (err) {
      const tooLarge = err instanceof ApiError && err.status === 413;
      setError({
        title: t.refused,
        text: tooLarge ? t.tooLarge : errorText(err, t.network),
        // the services answer in English
        server: err instanceof ApiError && !tooLarge,
        body: err instanceof ApiError && !tooLarge ? err.body : undefined,
      });
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setOutcome(null);
    setFile(null);
    if (input.current) input.current.value = '';
    input.current?.focus();
  };

  return (
    <div class="org-page imports-page">
      <header class="org-head">
        <div>
          <h1>{t.title}</h1>
          <p class="org-lead">{t.intro}</p>
        </div>
      </header>

      <div class="imp-layout">
        <section class="card imp-upload" aria-labelledby="imp-upload-title">
          <h2 id="imp-upload-title">{t.upload}</h2>
          <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
            <label
              class={`imp-drop${dragging ? ' is-dragging' : ''}${file ? ' has-file' : ''}`}
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={(e) => {
                e.preventDefault();
                setDragging(false);
                choose(e.dataTransfer?.files[0] ?? null);
              }}
            >
              <input
                ref={input}
                id="import-file"
                name="file"
                type="file"
                class="imp-input"
                accept={`.xlsx,.csv,.txt,${XLSX_CONTENT_TYPE},text/csv,text/plain`}
                aria-describedby="imp-file-state imp-excel-hint"
                onChange={(e) => choose((e.target as HTMLInputElement).files?.[0] ?? null)}
              />
              <span class="imp-drop-icon" aria-hidden="true">
                <Icon name="upload" size={28} />
              </span>
              <span class="imp-drop-text">
                <strong>{t.choose}</strong>
                <span class="muted">{t.orDrop}</span>
              </span>
            </label>
            <p id="imp-file-state" class="imp-file-state">
              {file ? (
                <>
                  <Icon name="file" />
                  <span>
                    <span class="visually-hidden">{t.selected}: </span>
                    <strong>{file.name}</strong>{' '}
                    <span class="muted">· {fileSize(lang, file.size)}</span>
                  </span>
                </>
              ) : (
                <span class="muted">{t.noFile}</span>
              )}
            </p>
            <div class="org-actions">
              <button type="submit" id="import-submit" class="button primary" disabled={busy}>
                <Icon name="upload" />
                {busy ? t.busy : t.submit}
              </button>
            </div>
          </form>
          {error && (
            <ImportError
              error={error}
              said={error.server ? fileProblemText(problemWords, lang, error.body) : undefined}
              nothingImported={t.nothingImported}
            />
          )}
        </section>

        <aside class="card imp-help" aria-labelledby="imp-help-title">
          <h2 id="imp-help-title">{t.rules}</h2>
          <ul>
            {t.rulesItems.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
          <p id="imp-excel-hint" class="imp-excel-hint">
            {t.excelHint}
          </p>
        </aside>
      </div>

      {outcome && (
        <ImportOutcome outcome={outcome} words={t} problemWords={problemWords} onAnother={reset} />
      )}
    </div>
  );
}

function ImportError(props: {
  error: { title: string; text: string; server?: boolean };
  /** The server's refusal in the page's language; undefined shows its English message. */
  said: string | undefined;
  nothingImported: string;
}) {
  const { error, said } = props;
  const english = error.server && said === undefined;
  return (
    <Notice tone="error" focus id="import-error">
      <p class="imp-error-title">
        <strong>{error.title}.</strong> {english ? '' : (said ?? error.text)}
      </p>
      {english && (
        <p class="imp-error-server" lang="en">
          {error.text}
        </p>
      )}
      <p class="imp-error-after">{props.nothingImported}</p>
    </Notice>
  );
}

function ImportOutcome(props: {
  outcome: Outcome;
  words: Words;
  problemWords: ProblemWords;
  onAnother: () => void;
}) {
  const t = props.words;
  const lang = useLang();
  const { result } = props.outcome;
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const tiles: { key: keyof ImportResult; label: string; value: number; tone: string }[] = [
    { key: 'created', label: t.created, value: result.created, tone: 'green' },
    { key: 'updated', label: t.updated, value: result.updated, tone: 'accent' },
    { key: 'unchanged', label: t.unchanged, value: result.unchanged, tone: 'neutral' },
    {
      key: 'rejected',
      label: t.rejected,
      value: result.rejectedCount ?? result.rejected.length,
      tone: result.rejected.length ? 'red' : 'neutral',
    },
  ];
  return (
    <section class="imp-result" aria-labelledby="imp-result-title" data-testid="import-result">
      <div class="imp-result-head">
        <div>
          <h2 id="imp-result-title" ref={heading} tabIndex={-1}>
            {t.resultTitle}
          </h2>
          <p class="muted">
            {t.resultOf(props.outcome.file, formatDateTime(lang, props.outcome.at))}
          </p>
        </div>
        <div class="org-actions">
          <a class="button primary" href={href('attendees')} id="import-to-list">
            {t.toList}
          </a>
          <button type="button" class="button" onClick={props.onAnother}>
            {t.another}
          </button>
        </div>
      </div>
      <dl class="imp-tiles">
        {tiles.map((tile) => (
          <div key={tile.key} class={`imp-tile tone-${tile.tone}`} data-count={tile.key}>
            <dt>{tile.label}</dt>
            <dd id={`import-${tile.key}`} data-value={tile.value}>
              {formatNumber(lang, tile.value)}
            </dd>
          </div>
        ))}
      </dl>
      <div class="card imp-rejected">
        <h3>{t.rejectedTitle}</h3>
        {result.rejected.length === 0 ? (
          <Notice tone="ok">{t.allIn}</Notice>
        ) : (
          <>
            <p class="muted">{t.rejectedIntro}</p>
            <div class="org-table-wrap">
              <table class="data org-table" id="import-rejected">
                <caption class="visually-hidden">
                  {t.summary(result.rejectedCount ?? result.rejected.length)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" class="number imp-line">
                      {t.line}
                    </th>
                    <th scope="col">{t.reason}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rejected.map((row) => {
                    const said = rowProblemsText(props.problemWords, lang, row);
                    return (
                      <tr key={`${row.line}-${row.reason}`}>
                        <td class="number imp-line">{row.line}</td>
                        {said === undefined ? <td lang="en">{row.reason}</td> : <td>{said}</td>}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
