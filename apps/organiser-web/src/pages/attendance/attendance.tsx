/**
 * Live attendance (GET /dashboard, #/attendance): the control-room screen. Counts, categories,
 * gates, sessions, arrivals and the latest scans come from check-in's attendance stream (server-
 * sent events, within a second of a scan); the not-arrived list and the exports are asked for.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { DownloadIcon, SessionsPanel } from './sessions';
import { ForecastPanel } from './forecast';
import { DoorDevices } from '../setup/door-devices';
import { WORDS as SETUP_WORDS } from '../setup/words';
import { LatestScansPanel } from './latest-scans';
import { NotArrivedPanel } from './not-arrived';
import { ArrivalsPanel, CategoryPanel, GatePanel, KpiTiles } from './overview';
import type { Attendance } from '@einlass/contracts';
import type { ProgrammeSession } from '../../shared/types';
import { type AttendanceWords, WORDS } from './words';
import { formatDateTime, formatNumber, formatTime, type Lang, useLang, useWords } from '../../i18n';
import { useSession } from '../../session';
import { type StreamState, useEventStream } from './stream';

/** Screen readers hear the counts at most this often (the tiles change with every scan). */
const ANNOUNCE_MS = 60_000;

export function AttendancePage() {
  const t = useWords(WORDS);
  const setupWords = useWords(SETUP_WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const base = `/api/events/${encodeURIComponent(event.slug)}`;
  const stream = useEventStream<Attendance>(api, 'checkin', `${base}/attendance/stream`, {
    eventName: 'attendance',
    fallbackPath: `${base}/attendance`,
  });
  const data = stream.data;

  const [programme, setProgramme] = useState<ProgrammeSession[] | null>(null);
  useEffect(() => {
    api
      .get<ProgrammeSession[]>('registration', `${base}/sessions`)
      .then(setProgramme)
      .catch(() => setProgramme([])); // the occupancy still shows, without times and rooms
  }, [api, base]);

  // The chart runs up to now: tick once a minute.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);

  const [downloading, setDownloading] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const download = async (key: string, path: string, name: string) => {
    setDownloading(key);
    setExportError(null);
    // German Excel splits CSV at semicolons; English Excel at commas.
    const query = lang === 'de' ? '?delimiter=semicolon' : '';
    try {
      await api.download('checkin', `${base}${path}${query}`, `${event.slug}-${name}.csv`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        setExportError(t.exportFailed(error instanceof Error ? error.message : String(error)));
      }
    } finally {
      setDownloading(null);
    }
  };

  const categories = useMemo(() => Object.keys(data?.byCategory ?? {}).sort(), [data?.byCategory]);

  return (
    <div class="attendance" data-state={stream.state}>
      <div class="page-top">
        <header class="page-head">
          <div>
            <h1>{t.title}</h1>
            <p class="muted event-line">
              {[event.venue, formatDateTime(lang, event.startsAt)].filter(Boolean).join(' · ')}
            </p>
          </div>
          <div class="page-tools">
            <ConnectionIndicator state={stream.state} updatedAt={stream.updatedAt} words={t} />
            <div class="export-buttons" role="group" aria-label={t.exports}>
              <button
                type="button"
                class="button"
                data-export="attendance"
                disabled={downloading === 'attendance'}
                onClick={() =>
                  void download('attendance', '/exports/attendance.csv', t.fileAttendance)
                }
              >
                <DownloadIcon />
                {downloading === 'attendance' ? t.exportBusy : t.exportAttendance}
              </button>
              <button
                type="button"
                class="button"
                data-export="checkins"
                disabled={downloading === 'checkins'}
                onClick={() => void download('checkins', '/exports/checkins.csv', t.fileCheckins)}
              >
                <DownloadIcon />
                {downloading === 'checkins' ? t.exportBusy : t.exportCheckins}
              </button>
            </div>
          </div>
        </header>
        {data &&
          stream.updatedAt &&
          (stream.state === 'reconnecting' || stream.state === 'offline') && (
            <p class="alert warning stale-note">{t.stale(formatTime(lang, stream.updatedAt))}</p>
          )}
      </div>
      {exportError && (
        <p class="alert error" role="alert">
          {exportError}
        </p>
      )}
      {stream.state === 'failed' && (
        <p class="alert error" role="alert">
          {t.failed(stream.error ?? '')}
        </p>
      )}
      {!data ? (
        stream.state !== 'failed' && (
          <p class="loading-note" aria-busy="true">
            {t.loading}
          </p>
        )
      ) : (
        <>
          <Announcer data={data} lang={lang} words={t} />
          <KpiTiles data={data} />
          <div class="grid">
            <ArrivalsPanel data={data} now={now} />
            <ForecastPanel />
            <CategoryPanel data={data} />
            <GatePanel data={data} />
            <LatestScansPanel scans={data.latest} />
            <SessionsPanel
              sessions={data.sessions}
              programme={programme}
              busy={downloading}
              onDownload={(code) =>
                void download(
                  code,
                  `/sessions/${encodeURIComponent(code)}/attendance.csv`,
                  `${code}-${t.fileSession}`,
                )
              }
            />
            <NotArrivedPanel
              categories={categories}
              checkedIn={data.checkedIn}
              live={stream.state === 'live'}
            />
            <DoorDevices t={setupWords} live />
          </div>
        </>
      )}
    </div>
  );
}

function ConnectionIndicator(props: {
  state: StreamState;
  updatedAt: Date | null;
  words: AttendanceWords;
}) {
  const lang = useLang();
  const t = props.words;
  return (
    <div class="connection" id="connection" data-state={props.state}>
      <span class="connection-dot" aria-hidden="true" />
      <span role="status" class="connection-text">
        <span class="visually-hidden">{t.connectionLabel}: </span>
        {t.connection[props.state]}
      </span>
      <span class="connection-updated">
        {t.updated}{' '}
        {props.updatedAt ? (
          <time dateTime={props.updatedAt.toISOString()}>{formatTime(lang, props.updatedAt)}</time>
        ) : (
          t.never
        )}
      </span>
    </div>
  );
}

/**
 * A polite live region with the main counts, refreshed at most once a minute: the tiles change
 * with every scan, a screen reader would otherwise hear each one.
 */
function Announcer(props: { data: Attendance; lang: Lang; words: AttendanceWords }) {
  const n = (value: number) => formatNumber(props.lang, value);
  const text = props.words.summary(
    n(props.data.checkedIn),
    n(props.data.registered),
    n(props.data.onSite),
  );
  const [spoken, setSpoken] = useState(text);
  const [lastSpoken, setLastSpoken] = useState(0);
  useEffect(() => {
    if (text === spoken) return;
    const wait = Math.max(0, lastSpoken + ANNOUNCE_MS - Date.now());
    const timer = setTimeout(() => {
      setSpoken(text);
      setLastSpoken(Date.now());
    }, wait);
    return () => clearTimeout(timer);
  }, [text, spoken, lastSpoken]);
  return (
    <p class="visually-hidden" aria-live="polite" aria-atomic="true">
      {spoken}
    </p>
  );
}
