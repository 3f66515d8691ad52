/** The person's badge: status (issued, pending, revoked), version, when it was issued. */
import { formatDateTime, type Lang } from '../../i18n';
import type { BadgeState } from '../../shared/types';
import { Pill, type Tone } from '../../shared/ui';
import type { Words } from './words';

export function BadgeCard(props: {
  words: Words;
  lang: Lang;
  badge: BadgeState | null;
  reissuing: boolean;
}) {
  const t = props.words;
  const b = props.badge;
  const tone: Tone = !b
    ? 'neutral'
    : b.status === 'issued'
      ? 'green'
      : b.status === 'revoked'
        ? 'red'
        : 'amber';
  return (
    <section class="card att-badge" aria-labelledby="badge-title" aria-busy={props.reissuing}>
      <h2 id="badge-title">{t.badge}</h2>
      <dl class="att-dl">
        <div>
          <dt>Status</dt>
          <dd>
            {b ? (
              <Pill tone={tone}>
                <span id="badge-status" data-status={b.status}>
                  {t.badgeStatus[b.status]}
                </span>
              </Pill>
            ) : (
              '–'
            )}
          </dd>
        </div>
        <div>
          <dt>{t.version}</dt>
          <dd id="badge-version" data-version={b?.version ?? ''} class="att-version">
            {b?.version ?? '–'}
          </dd>
        </div>
        <div>
          <dt>{t.issuedAt}</dt>
          <dd>{formatDateTime(props.lang, b?.issuedAt)}</dd>
        </div>
      </dl>
      {props.reissuing && (
        <p class="org-hint" role="status">
          {t.reissuing}
        </p>
      )}
      <p class="org-hint">{t.badgeNote}</p>
    </section>
  );
}
