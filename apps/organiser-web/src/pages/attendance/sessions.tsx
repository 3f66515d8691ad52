/** Each session's occupancy against its capacity, marked in words and colour as it fills. */
import { Meter } from './charts';
import { formatClock, formatNumber, formatPercent, useLang, useWords } from '../../i18n';
import type { SessionPresence } from '@einlass/contracts';
import type { ProgrammeSession } from '../../shared/types';
import { WORDS } from './words';

/** From this share on a session is "nearly full". */
export const NEARLY_FULL = 0.8;

export type Fill = 'open' | 'nearly-full' | 'full';

export function fillOf(present: number, capacity: number): Fill {
  if (capacity > 0 && present >= capacity) return 'full';
  if (capacity > 0 && present / capacity >= NEARLY_FULL) return 'nearly-full';
  return 'open';
}

export function SessionsPanel(props: {
  sessions: SessionPresence[];
  programme: ProgrammeSession[] | null;
  onDownload: (code: string) => void;
  busy: string | null;
}) {
  const t = useWords(WORDS);
  const lang = useLang();
  const byCode = new Map((props.programme ?? []).map((s) => [s.code, s]));
  const rows = props.sessions
    .map((s) => ({ ...s, programme: byCode.get(s.code) }))
    .sort(
      (a, b) =>
        (a.programme?.startsAt ?? '').localeCompare(b.programme?.startsAt ?? '') ||
        a.code.localeCompare(b.code),
    );
  return (
    <section class="card panel sessions" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t.sessions}</h2>
      {rows.length === 0 ? (
        <p class="empty">{t.sessionsNone}</p>
      ) : (
        <table class="data sessions-table">
          <thead>
            <tr>
              <th scope="col">{t.session}</th>
              <th scope="col" class="occupancy-col">
                {t.occupancy}
              </th>
              <th scope="col" class="number figures-col">
                {t.present}
              </th>
              <th scope="col" class="action-col">
                <span class="visually-hidden">{t.exports}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => {
              const fill = fillOf(s.present, s.capacity);
              const title = s.title ?? s.programme?.title ?? s.code;
              const kind = s.kind ?? s.programme?.kind;
              const figures = `${formatNumber(lang, s.present)} / ${formatNumber(lang, s.capacity)}`;
              const share = s.capacity > 0 ? s.present / s.capacity : 0;
              return (
                <tr key={s.code} data-session={s.code} data-fill={fill}>
                  <td>
                    <div class="session-title" title={title}>
                      <span class="session-code">{s.code}</span> {title}
                    </div>
                    <div class="session-meta">
                      {[
                        s.programme &&
                          `${formatClock(lang, s.programme.startsAt)}–${formatClock(lang, s.programme.endsAt)}`,
                        s.programme?.room,
                        kind && (t.kind[kind] ?? kind),
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </div>
                  </td>
                  <td class="occupancy-col">
                    <Meter
                      value={s.present}
                      max={s.capacity}
                      tone={fill === 'full' ? 'red' : fill === 'nearly-full' ? 'amber' : 'brand'}
                      label={`${s.code}: ${figures}`}
                    />
                    <span class="session-share">
                      {formatPercent(lang, share)}
                      {fill !== 'open' && (
                        <span class={`badge-pill ${fill === 'full' ? 'red' : 'amber'}`}>
                          {fill === 'full' ? t.full : t.nearlyFull}
                        </span>
                      )}
                    </span>
                  </td>
                  <td class="number">
                    <span class="session-figures">{figures}</span>
                  </td>
                  <td class="action-col">
                    <button
                      type="button"
                      class="button small"
                      title={t.sessionList(s.code)}
                      disabled={props.busy === s.code}
                      onClick={() => props.onDownload(s.code)}
                    >
                      <DownloadIcon /> {t.sessionListShort}
                      <span class="visually-hidden"> {t.sessionListHidden(s.code)}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function DownloadIcon() {
  return (
    <svg class="icon" viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
      <path
        d="M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M4 14.5V16h12v-1.5"
        fill="none"
        stroke="currentColor"
        stroke-width="1.8"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
