/** The person's check-in history: every scan and manual check-in, newest first. */
import { SCAN_RESULT_LABELS } from '@einlass/contracts';
import { formatDateTime, type Lang } from '../../i18n';
import type { CheckinLogItem, ProgrammeSession, ScanResult } from '../../shared/types';
import { Pill, type Tone } from '../../shared/ui';
import type { Words } from './words';

/** How a scan's result is coloured, here and on the check-in answer. */
export const RESULT_TONE: Record<ScanResult, Tone> = {
  admitted: 'green',
  already_admitted: 'amber',
  left: 'brand',
  revoked: 'red',
  invalid: 'red',
  wrong_event: 'red',
  not_on_list: 'red',
  capacity_full: 'red',
};

export function HistoryCard(props: {
  words: Words;
  lang: Lang;
  history: CheckinLogItem[] | null;
  programme: ProgrammeSession[];
}) {
  const t = props.words;
  const listName = (code: string) => (code === 'main' ? t.main : code);
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">{t.history}</h2>
      {props.history === null ? (
        <p class="muted">{t.loading}</p>
      ) : props.history.length === 0 ? (
        <p class="muted" id="history-empty">
          {t.historyEmpty}
        </p>
      ) : (
        <div class="org-table-wrap">
          <table class="data org-table" id="checkin-history">
            <thead>
              <tr>
                <th scope="col">{t.time}</th>
                <th scope="col">{t.gate}</th>
                <th scope="col">{t.list}</th>
                <th scope="col">{t.direction}</th>
                <th scope="col">{t.result}</th>
                <th scope="col">{t.device}</th>
              </tr>
            </thead>
            <tbody>
              {props.history.map((row) => (
                <tr key={row.id} data-result={row.result}>
                  <td class="att-nowrap">{formatDateTime(props.lang, row.scannedAt ?? row.at)}</td>
                  <td>{row.gate}</td>
                  <td>{listName(row.list)}</td>
                  <td>{row.direction === 'out' ? t.out : t.in}</td>
                  <td>
                    <Pill tone={RESULT_TONE[row.result]}>
                      {SCAN_RESULT_LABELS[props.lang][row.result]}
                    </Pill>
                    {row.flag === 'duplicate' && (
                      <>
                        {' '}
                        <Pill tone="amber">{t.duplicate}</Pill>
                      </>
                    )}
                  </td>
                  <td class="muted att-device">
                    {row.device === 'ORGANISER_TOKEN' ? t.organiserDevice : row.device}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
