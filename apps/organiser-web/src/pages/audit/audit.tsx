/**
 * The audit log of the event (GET /api/events/:slug/audit on registration): who (the token's
 * label) did what, when, in which service; newest first, a page at a time, and the whole log as
 * CSV. It never holds names or emails: people appear by a link to their page.
 */
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, useLang, useWords } from '../../i18n';
import { href } from '../../router';
import { useSession } from '../../session';
import { eventPath } from '../../shared/types';
import { errorText, Notice } from '../../shared/ui';

interface AuditEntry {
  id: string;
  at: string;
  service: string;
  token: { id: string | null; label: string };
  action: string;
  attendeeId: string | null;
  details: Record<string, unknown>;
}

const PAGE = 50;

const WORDS = {
  de: {
    title: 'Protokoll',
    lead: 'Wer hat wann was eingesehen, geändert, importiert, exportiert oder gelöscht. Einlass-Scans stehen im Einlassprotokoll.',
    time: 'Zeit',
    service: 'Dienst',
    token: 'Token',
    action: 'Aktion',
    person: 'Person',
    details: 'Details',
    open: 'öffnen',
    more: 'Ältere Einträge laden',
    csv: 'Als CSV herunterladen',
    empty: 'Noch keine Einträge.',
    loading: 'Wird geladen …',
    failed: 'Das Protokoll konnte nicht geladen werden:',
    network: 'Keine Verbindung zum Server.',
  },
  en: {
    title: 'Audit log',
    lead: 'Who read, changed, imported, exported or erased what, and when. Door scans are in the check-in log.',
    time: 'Time',
    service: 'Service',
    token: 'Token',
    action: 'Action',
    person: 'Person',
    details: 'Details',
    open: 'open',
    more: 'Load older entries',
    csv: 'Download as CSV',
    empty: 'No entries yet.',
    loading: 'Loading…',
    failed: 'The audit log could not be loaded:',
    network: 'No connection to the server.',
  },
};

const detailText = (details: Record<string, unknown>) =>
  Object.entries(details)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join(' · ');

export function AuditPage() {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = eventPath(event.slug, '/audit');

  const load = async (after: string | null) => {
    try {
      const page = await api.get<{ items: AuditEntry[]; nextCursor: string | null }>(
        'registration',
        `${path}?limit=${PAGE}${after ? `&cursor=${after}` : ''}`,
      );
      setEntries((before) => [...(after ? (before ?? []) : []), ...page.items]);
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(errorText(e, t.network));
    }
  };

  useEffect(() => {
    void load(null);
  }, []);

  return (
    <div class="org-page audit-page">
      <header class="org-head">
        <div>
          <h1>{t.title}</h1>
          <p class="org-lead">{t.lead}</p>
        </div>
        <div class="org-actions">
          <button
            type="button"
            class="button"
            id="audit-csv"
            onClick={() =>
              void api.download('registration', `${path}.csv`, `${event.slug}-audit.csv`)
            }
          >
            {t.csv}
          </button>
        </div>
      </header>
      {error && (
        <Notice tone="error" id="audit-error">
          {t.failed} {error}
        </Notice>
      )}
      <section class="card">
        {entries === null ? (
          <p class="muted">{t.loading}</p>
        ) : entries.length === 0 ? (
          <p class="muted">{t.empty}</p>
        ) : (
          <div class="org-table-wrap">
            <table class="data org-table" id="audit-list">
              <thead>
                <tr>
                  <th scope="col">{t.time}</th>
                  <th scope="col">{t.service}</th>
                  <th scope="col">{t.token}</th>
                  <th scope="col">{t.action}</th>
                  <th scope="col">{t.person}</th>
                  <th scope="col">{t.details}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.id} data-action={entry.action}>
                    <td>{formatDateTime(lang, entry.at)}</td>
                    <td>{entry.service}</td>
                    <td>{entry.token.label}</td>
                    <td>
                      <code>{entry.action}</code>
                    </td>
                    <td>
                      {entry.attendeeId && (
                        <a href={href('attendees', entry.attendeeId)}>{t.open}</a>
                      )}
                    </td>
                    <td>{detailText(entry.details)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {cursor && (
          <button type="button" class="button" id="audit-more" onClick={() => void load(cursor)}>
            {t.more}
          </button>
        )}
      </section>
    </div>
  );
}
