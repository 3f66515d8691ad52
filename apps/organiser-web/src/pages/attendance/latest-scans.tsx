/** The latest scans at every door, newest first, each with its answer as a coloured word. */
import { scanResultLabel } from '@einlass/contracts';
import { href } from '../../router';
import { formatTime, useLang, useWords } from '../../i18n';
import type { LatestScan } from '@einlass/contracts';
import { WORDS } from './words';

/** How many of the latest scans the page shows. */
const SHOWN = 10;

const TONE: Record<string, 'green' | 'amber' | 'red' | 'neutral'> = {
  admitted: 'green',
  already_admitted: 'amber',
  left: 'neutral',
};

export function LatestScansPanel(props: { scans: LatestScan[] | undefined }) {
  const t = useWords(WORDS);
  const lang = useLang();
  // Ten, in two columns: what happened at the doors in the last moments, at a glance.
  const scans = (props.scans ?? []).slice(0, SHOWN);
  return (
    <section class="card panel latest" aria-labelledby="latest-title">
      <h2 id="latest-title">{t.latest}</h2>
      {scans.length === 0 ? (
        <p class="empty">{t.latestNone}</p>
      ) : (
        <ol class="scan-list">
          {scans.map((scan) => {
            const tone = TONE[scan.result] ?? 'red';
            return (
              <li key={scan.id} class="scan" data-result={scan.result}>
                <time class="scan-time" dateTime={scan.at}>
                  {formatTime(lang, scan.at)}
                </time>
                <span class="scan-who">
                  {scan.attendee ? (
                    <a href={href('attendees', scan.attendee.id)}>{scan.attendee.name}</a>
                  ) : (
                    <span class="muted">{t.unknownPerson}</span>
                  )}
                  <span class="scan-where">
                    {t.atGate(scan.gate, scan.list === 'main' ? t.main : scan.list)}
                    {scan.direction === 'out' ? ' ↗' : ''}
                  </span>
                </span>
                <span class={`badge-pill ${tone === 'neutral' ? '' : tone}`}>
                  {scanResultLabel(lang, scan.result)}
                  {scan.flag === 'duplicate' ? ` · ${t.duplicate}` : ''}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
