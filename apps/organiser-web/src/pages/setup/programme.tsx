/** The programme: sessions.csv uploaded, the sessions listed. */
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, formatNumber, useLang } from '../../i18n';
import { useSession } from '../../session';
import { type Words } from './words';
import { OutcomeLine, useSubmission } from './submission';

interface SessionRow {
  code: string;
  title: string;
  room: string | null;
  startsAt: string;
  capacity: number;
  kind: string;
  signedUp: number;
  waiting: number;
}

export function Programme({ t }: { t: Words }) {
  const { api, event } = useSession();
  const lang = useLang();
  const [sessions, setSessions] = useState<SessionRow[] | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const { busy, outcome, setOutcome, run, fail } = useSubmission(t);
  const path = `/api/events/${encodeURIComponent(event.slug)}/sessions`;

  const load = () => api.get<SessionRow[]>('registration', path).then(setSessions).catch(fail);
  useEffect(() => {
    void load();
  }, [path]);

  const upload = (e: Event) => {
    e.preventDefault();
    if (!file) return setOutcome({ tone: 'error', text: t.programme.pickFirst });
    void run(async () => {
      const answer = await api.request<{ created: number; updated: number }>(
        'registration',
        'POST',
        path,
        file,
        'text/csv',
      );
      await load();
      return t.programme.result(answer.created, answer.updated);
    });
  };

  return (
    <section class="card setup-section" aria-labelledby="setup-programme">
      <h2 id="setup-programme">{t.programme.title}</h2>
      <p class="muted">{t.programme.intro}</p>
      <form class="setup-form" onSubmit={upload}>
        <label class="field">
          <span>{t.programme.file}</span>
          <input
            type="file"
            name="programme"
            accept=".csv,text/csv"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </label>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t.programme.uploading : t.programme.upload}
        </button>
      </form>
      <OutcomeLine outcome={outcome} id="setup-programme-outcome" />
      {sessions && sessions.length > 0 && (
        <div class="setup-table">
          <table class="data">
            <caption>{t.programme.count(sessions.length)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.programme.colCode}</th>
                <th scope="col">{t.programme.colTitle}</th>
                <th scope="col">{t.programme.colRoom}</th>
                <th scope="col">{t.programme.colStarts}</th>
                <th scope="col" class="number">
                  {t.programme.colCapacity}
                </th>
                <th scope="col" class="number">
                  {t.programme.colSignedUp}
                </th>
                <th scope="col" class="number">
                  {t.programme.colWaiting}
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.code}>
                  <td>
                    <span class="badge-pill">{session.code}</span>
                  </td>
                  <td>
                    {session.title}
                    <span class="muted setup-kind">
                      {' '}
                      · {session.kind === 'workshop' ? t.programme.workshop : t.programme.talk}
                    </span>
                  </td>
                  <td>{session.room ?? '–'}</td>
                  <td>{formatDateTime(lang, session.startsAt)}</td>
                  <td class="number">{formatNumber(lang, session.capacity)}</td>
                  <td class="number">{formatNumber(lang, session.signedUp)}</td>
                  <td class="number">{formatNumber(lang, session.waiting)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
