/** The big figures, the arrivals chart and the breakdowns by category and by gate. */
import { useMemo } from 'preact/hooks';
import { type Column, ColumnChart, Meter } from './charts';
import {
  categoryName,
  formatClock,
  formatNumber,
  formatPercent,
  useLang,
  useWords,
} from '../../i18n';
import type { Attendance } from '@einlass/contracts';
import { WORDS } from './words';

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

export function KpiTiles(props: { data: Attendance }) {
  const t = useWords(WORDS);
  const lang = useLang();
  const { registered, checkedIn, onSite } = props.data;
  const n = (value: number) => formatNumber(lang, value);
  return (
    <section class="kpis" aria-label={t.kpis}>
      <div class="kpi">
        <h2 class="kpi-label">{t.kpi.registered}</h2>
        <p class="kpi-value" data-kpi="registered">
          {n(registered)}
        </p>
        <p class="kpi-note">{t.kpi.registeredNote}</p>
      </div>
      <div class="kpi kpi-checked-in">
        <h2 class="kpi-label">{t.kpi.checkedIn}</h2>
        <p class="kpi-value" data-kpi="checked-in">
          {n(checkedIn)}
        </p>
        <Meter
          value={checkedIn}
          max={registered}
          tone="green"
          label={t.kpi.ofRegistered(formatPercent(lang, share(checkedIn, registered)))}
        />
        <p class="kpi-note">
          {t.kpi.ofRegistered(formatPercent(lang, share(checkedIn, registered)))}
        </p>
      </div>
      <div class="kpi kpi-on-site">
        <h2 class="kpi-label">{t.kpi.onSite}</h2>
        <p class="kpi-value" data-kpi="on-site">
          {n(onSite)}
        </p>
        <Meter
          value={onSite}
          max={checkedIn}
          tone="accent"
          label={t.kpi.ofCheckedIn(formatPercent(lang, share(onSite, checkedIn)))}
        />
        <p class="kpi-note">{t.kpi.ofCheckedIn(formatPercent(lang, share(onSite, checkedIn)))}</p>
      </div>
    </section>
  );
}

const BUCKET_MS = 5 * 60_000;
/** Four hours of 5-minute columns at most: the morning rush fits, a second day starts afresh. */
const MAX_COLUMNS = 48;

/** The arrival buckets as columns, gaps filled with zeros, up to now when the rush is on. */
export function arrivalColumns(
  arrivals: Attendance['arrivals'],
  now: number,
  label: (at: Date) => string,
): (Column & { from: Date })[] {
  if (arrivals.length === 0) return [];
  const counts = new Map(arrivals.map((a) => [Date.parse(a.from), a.count]));
  const last = Math.max(...counts.keys());
  const nowBucket = Math.floor(now / BUCKET_MS) * BUCKET_MS;
  // Within the window of the last arrival, the chart runs up to the current five minutes.
  const end = nowBucket > last && nowBucket - last < MAX_COLUMNS * BUCKET_MS ? nowBucket : last;
  const first = Math.min(...counts.keys());
  const start = Math.max(first, end - (MAX_COLUMNS - 1) * BUCKET_MS);
  // At least an hour wide, so a few arrivals do not make fat columns.
  const from = Math.min(start, end - 11 * BUCKET_MS);
  const columns = [];
  for (let at = from; at <= end; at += BUCKET_MS) {
    const fromDate = new Date(at);
    columns.push({
      from: fromDate,
      label: label(fromDate),
      title: `${label(fromDate)}–${label(new Date(at + BUCKET_MS))}`,
      value: counts.get(at) ?? 0,
    });
  }
  return columns;
}

export function ArrivalsPanel(props: { data: Attendance; now: number }) {
  const t = useWords(WORDS);
  const lang = useLang();
  const columns = useMemo(
    () => arrivalColumns(props.data.arrivals, props.now, (at) => formatClock(lang, at)),
    [props.data.arrivals, props.now, lang],
  );
  const total = columns.reduce((sum, c) => sum + c.value, 0);
  const peak = columns.reduce((best, c) => (c.value > best.value ? c : best), columns[0]);
  const recent = columns.slice(-3).reduce((sum, c) => sum + c.value, 0);
  return (
    <section class="card panel arrivals" aria-labelledby="arrivals-title">
      <div class="panel-head">
        <h2 id="arrivals-title">{t.arrivals}</h2>
        {columns.length > 0 && (
          <p class="panel-aside">{t.lastQuarter(formatNumber(lang, recent))}</p>
        )}
      </div>
      {columns.length === 0 ? (
        <p class="empty">{t.arrivalsNone}</p>
      ) : (
        <>
          <ColumnChart
            columns={columns}
            labelEvery={columns.length > 24 ? 6 : 3}
            formatValue={(v) => formatNumber(lang, v)}
            summary={t.arrivalsSummary(
              columns[0].label,
              columns[columns.length - 1].title.split('–')[1],
              formatNumber(lang, total),
              formatNumber(lang, peak.value),
              peak.label,
            )}
          />
          <details class="chart-table">
            <summary>{t.arrivalsTable}</summary>
            <table class="data compact">
              <caption class="visually-hidden">{t.arrivals}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.period}</th>
                  <th scope="col" class="number">
                    {t.arrivalsCount}
                  </th>
                </tr>
              </thead>
              <tbody>
                {columns
                  .filter((c) => c.value > 0)
                  .map((c) => (
                    <tr key={c.title}>
                      <td>{c.title}</td>
                      <td class="number">{formatNumber(lang, c.value)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}

export function CategoryPanel(props: { data: Attendance }) {
  const t = useWords(WORDS);
  const lang = useLang();
  const rows = Object.entries(props.data.byCategory).sort(
    ([, a], [, b]) => b.registered - a.registered,
  );
  return (
    <section class="card panel" aria-labelledby="category-title">
      <h2 id="category-title">{t.byCategory}</h2>
      <ul class="bar-list">
        {rows.map(([category, row]) => {
          const figures = t.ofTotal(
            formatNumber(lang, row.checkedIn),
            formatNumber(lang, row.registered),
          );
          return (
            <li key={category} data-category={category}>
              <div class="bar-line">
                <span class="bar-name">{categoryName(lang, category)}</span>
                <span class="bar-figure">
                  {figures}
                  <span class="bar-share">
                    {formatPercent(lang, share(row.checkedIn, row.registered))}
                  </span>
                </span>
              </div>
              <Meter
                value={row.checkedIn}
                max={row.registered}
                tone="green"
                label={`${categoryName(lang, category)}: ${figures}`}
              />
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function GatePanel(props: { data: Attendance }) {
  const t = useWords(WORDS);
  const lang = useLang();
  const rows = Object.entries(props.data.byGate).sort(([, a], [, b]) => b - a);
  const total = rows.reduce((sum, [, count]) => sum + count, 0);
  return (
    <section class="card panel" aria-labelledby="gate-title">
      <h2 id="gate-title">{t.byGate}</h2>
      {rows.length === 0 ? (
        <p class="empty">{t.gatesNone}</p>
      ) : (
        <ul class="bar-list">
          {rows.map(([gate, count]) => {
            const figures = t.gateShare(
              formatNumber(lang, count),
              formatPercent(lang, share(count, total)),
            );
            return (
              <li key={gate} data-gate={gate}>
                <div class="bar-line">
                  <span class="bar-name">{gate}</span>
                  <span class="bar-figure">{figures}</span>
                </div>
                <Meter value={count} max={total} tone="brand" label={`${gate}: ${figures}`} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
