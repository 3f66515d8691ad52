/**
 * Import: upload the registration list (CSV, or the CSV Excel saves) and see the answer as tiles
 * and a table of the rows refused. Excel workbooks, PDFs and pictures are recognised by their
 * first bytes and refused here with a word on how to save the list as CSV.
 */
import { useRef, useState } from 'preact/hooks';
import { formatDateTime, formatNumber, useLang, useWords } from '../i18n';
import { href } from '../router';
import { useSession } from '../session';
import { type FileKind, sniffFile } from '../organiser/file-kind';
import { eventPath, type ImportResult } from '../organiser/types';
import { errorText, Icon, Notice, useFocusOnMount } from '../organiser/ui';
import { ApiError } from '../api';

const WORDS = {
  de: {
    title: 'Teilnehmende importieren',
    intro:
      'Laden Sie die Liste aus dem Anmeldeformular oder aus Excel hoch. Personen werden über die Buchungsnummer abgeglichen: Neue werden angelegt, bekannte aktualisiert.',
    upload: 'Datei hochladen',
    choose: 'CSV-Datei auswählen',
    orDrop: 'oder hierher ziehen',
    selected: 'Ausgewählt',
    noFile: 'Noch keine Datei ausgewählt.',
    submit: 'Importieren',
    busy: 'Wird importiert …',
    pickFirst: 'Bitte zuerst eine Datei auswählen.',
    rules: 'Was der Import annimmt',
    rulesItems: [
      'CSV mit Komma, Semikolon oder Tabulator – auch so, wie Excel sie speichert (Windows-1252 oder UTF-8).',
      'Spalten auf Deutsch oder Englisch: Buchungsnummer, Titel, Vorname, Nachname, E-Mail, Organisation, Kategorie, Workshops.',
      'Kategorien: Teilnehmer, Referent, Presse, Organisation, Aussteller.',
      'Bis 50 MB. Dieselbe Datei zweimal zu importieren ändert nichts.',
    ],
    excelHint: 'Aus Excel: Datei → Speichern unter → „CSV (Trennzeichen-getrennt)“.',
    kinds: {
      xlsx: 'Das ist eine Excel-Arbeitsmappe (.xlsx), keine CSV-Datei. Bitte in Excel über „Datei → Speichern unter“ als „CSV (Trennzeichen-getrennt)“ speichern und diese Datei hochladen.',
      xls: 'Das ist eine Excel-Datei im alten Format (.xls), keine CSV-Datei. Bitte in Excel über „Datei → Speichern unter“ als „CSV (Trennzeichen-getrennt)“ speichern und diese Datei hochladen.',
      ods: 'Das ist eine OpenDocument-Tabelle (.ods), keine CSV-Datei. Bitte als CSV speichern und diese Datei hochladen.',
      pdf: 'Das ist ein PDF, keine CSV-Datei. Der Import braucht die Liste als Tabelle: bitte aus Excel oder dem Anmeldesystem als CSV speichern.',
      image:
        'Das ist ein Bild, keine CSV-Datei. Bitte die Teilnehmendenliste als CSV hochladen (aus Excel: „Speichern unter“ → CSV).',
      zip: 'Das ist ein ZIP-Archiv, keine CSV-Datei. Bitte die CSV-Datei daraus entpacken und hochladen.',
      binary:
        'Diese Datei ist keine Textdatei. Bitte die Liste aus Excel als „CSV (Trennzeichen-getrennt)“ speichern und hochladen.',
      empty: 'Diese Datei ist leer.',
    } satisfies Record<Exclude<FileKind, 'text'>, string>,
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
    choose: 'Choose a CSV file',
    orDrop: 'or drop it here',
    selected: 'Selected',
    noFile: 'No file chosen yet.',
    submit: 'Import',
    busy: 'Importing…',
    pickFirst: 'Please choose a file first.',
    rules: 'What the import takes',
    rulesItems: [
      'CSV with commas, semicolons or tabs – also as Excel saves it (Windows-1252 or UTF-8).',
      'Columns in English or German: external id/booking number, title, first name, last name, email, organisation, category, workshops.',
      'Categories: attendee, speaker, press, staff, exhibitor (or their German names).',
      'Up to 50 MB. Importing the same file twice changes nothing.',
    ],
    excelHint: 'From Excel: File → Save As → “CSV (Comma delimited)”.',
    kinds: {
      xlsx: 'This is an Excel workbook (.xlsx), not a CSV file. Please save it from Excel as CSV (File → Save As → “CSV (Comma delimited)”) and upload that file.',
      xls: 'This is an Excel file in the old format (.xls), not a CSV file. Please save it from Excel as CSV (File → Save As → “CSV (Comma delimited)”) and upload that file.',
      ods: 'This is an OpenDocument spreadsheet (.ods), not a CSV file. Please save it as CSV and upload that file.',
      pdf: 'This is a PDF, not a CSV file. The import needs the list as a table: please save it from Excel or the registration system as CSV.',
      image:
        'This is a picture, not a CSV file. Please upload the attendee list as CSV (from Excel: Save As → CSV).',
      zip: 'This is a ZIP archive, not a CSV file. Please unpack the CSV file and upload it.',
      binary:
        'This file is not a text file. Please save the list from Excel as “CSV (Comma delimited)” and upload it.',
      empty: 'This file is empty.',
    } satisfies Record<Exclude<FileKind, 'text'>, string>,
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

interface Outcome {
  file: string;
  at: string;
  result: ImportResult;
}

function fileSize(lang: string, bytes: number): string {
  const units = ['B', 'KB', 'MB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

export function ImportsPage() {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; text: string; server?: boolean } | null>(
    null,
  );
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
      if (kind !== 'text') {
        setError({ title: t.refused, text: t.kinds[kind] });
        return;
      }
      const result = await api.request<ImportResult>(
        'registration',
        'POST',
        eventPath(event.slug, '/attendees/import'),
        file,
        'text/csv',
      );
      setOutcome({ file: file.name, at: new Date().toISOString(), result });
    } catch (err) {
      const tooLarge = err instanceof ApiError && err.status === 413;
      setError({
        title: t.refused,
        text: tooLarge ? t.tooLarge : errorText(err, t.network),
        // the services answer in English
        server: err instanceof ApiError && !tooLarge,
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
                accept=".csv,.txt,text/csv,text/plain"
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
            <Notice tone="error" focus id="import-error">
              <p class="imp-error-title">
                <strong>{error.title}.</strong> {error.server ? '' : error.text}
              </p>
              {error.server && (
                <p class="imp-error-server" lang="en">
                  {error.text}
                </p>
              )}
              <p class="imp-error-after">{t.nothingImported}</p>
            </Notice>
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

      {outcome && <ImportOutcome outcome={outcome} words={t} onAnother={reset} />}
    </div>
  );
}

function ImportOutcome(props: { outcome: Outcome; words: Words; onAnother: () => void }) {
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
      value: result.rejected.length,
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
                <caption class="visually-hidden">{t.summary(result.rejected.length)}</caption>
                <thead>
                  <tr>
                    <th scope="col" class="number imp-line">
                      {t.line}
                    </th>
                    <th scope="col">{t.reason}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rejected.map((row) => (
                    <tr key={`${row.line}-${row.reason}`}>
                      <td class="number imp-line">{row.line}</td>
                      <td lang="en">{row.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
