/**
 * The arrival forecast on the live page: how many are expected at the entrance in the next 15,
 * 30 and 60 minutes (with a range), each gate's lanes and expected queue, and whether to open
 * more lanes (GET …/attendance/forecast, asked once a minute).
 */
import { useEffect, useState } from 'preact/hooks';
import type { ArrivalForecast } from '@einlass/contracts';
import { formatClock, formatNumber, useLang, useWords } from '../../i18n';
import { useSession } from '../../session';
import { WORDS } from './words';

const REFRESH_MS = 60_000;

export function ForecastPanel() {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [forecast, setForecast] = useState<ArrivalForecast | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let stopped = false;
    const path = `/api/events/${encodeURIComponent(event.slug)}/attendance/forecast`;
    const load = () =>
      api
        .get<ArrivalForecast>('checkin', path)
        .then((value) => {
          if (stopped) return;
          setForecast(value);
          setFailed(false);
        })
        .catch(() => !stopped && setFailed(true));
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, event.slug]);

  const n = (value: number) => formatNumber(lang, value);
  const clock = (iso: string) => formatClock(lang, iso);
  const advice = forecast?.gates.filter((g) => g.advice.action === 'open_lanes') ?? [];

  return (
    <section class="card panel forecast" id="forecast" aria-labelledby="forecast-title">
      <h2 id="forecast-title">{t.forecast}</h2>
      {!forecast ? (
        <p class="empty">{failed ? t.forecastUnavailable : '…'}</p>
      ) : (
        <>
          <ul class="forecast-next">
            {forecast.next.map((next) => (
              <li key={next.minutes} data-minutes={next.minutes}>
                <span class="forecast-label">{t.forecastNext(next.minutes)}</span>
                <strong class="forecast-value">{n(next.expected)}</strong>
                <span class="muted">{t.forecastRange(n(next.low), n(next.high))}</span>
              </li>
            ))}
          </ul>
          <p class="forecast-advice" data-advice={advice.length > 0 ? 'open_lanes' : 'enough'}>
            {advice.length === 0
              ? t.forecastEnough
              : advice
                  .map((g) =>
                    g.advice.action === 'open_lanes'
                      ? t.forecastOpen(g.advice.lanes, g.gate, clock(g.advice.until))
                      : '',
                  )
                  .join(' ')}
          </p>
          {forecast.gates.length > 0 && (
            <table class="forecast-gates">
              <thead>
                <tr>
                  <th scope="col">{t.forecastGate}</th>
                  <th scope="col">{t.forecastLanes}</th>
                  <th scope="col">{t.forecastPerLane}</th>
                  <th scope="col">{t.forecastQueue}</th>
                </tr>
              </thead>
              <tbody>
                {forecast.gates.map((g) => (
                  <tr key={g.gate} data-gate={g.gate}>
                    <th scope="row">{g.gate}</th>
                    <td>{n(g.lanes)}</td>
                    <td>
                      {n(g.perLanePerMinute)} {g.measured ? '' : t.forecastAssumed}
                    </td>
                    <td>{g.queue.map((q) => n(q.waiting)).join(' / ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
