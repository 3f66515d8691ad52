/** The messages between the services: each one's unsent outbox rows, its queue, its last reconciliation. */
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, formatNumber, useLang } from '../../i18n';
import { useSession } from '../../session';
import { type Words } from './words';

type ServiceName = 'registration' | 'badges' | 'checkin';

interface PipelineView {
  service: ServiceName;
  outbox: { unsent: number; oldestUnsentAgeSeconds: number | null };
  queue: { name: string; waiting: number; active: number; delayed: number; failed: number } | null;
  redis: { lossesFound: number; lastLossAt: string | null; replayPending: boolean };
  reconciliation: {
    lastRunAt: string | null;
    repairs: {
      stream: string;
      scope: string;
      producer: { count: number };
      consumer: { count: number };
      at: string;
    }[];
  };
}

const SERVICES: ServiceName[] = ['registration', 'badges', 'checkin'];

/** Each service's own account of its messages (GET …/pipeline on each), side by side. */
export function Pipeline({ t }: { t: Words }) {
  const { api, event } = useSession();
  const lang = useLang();
  const [views, setViews] = useState<Partial<Record<ServiceName, PipelineView | null>>>({});
  const path = `/api/events/${encodeURIComponent(event.slug)}/pipeline`;

  const load = () => {
    for (const service of SERVICES) {
      api
        .get<PipelineView>(service, path)
        .then((view) => setViews((all) => ({ ...all, [service]: view })))
        .catch(() => setViews((all) => ({ ...all, [service]: null })));
    }
  };
  useEffect(load, [path]);

  return (
    <section class="card setup-section" aria-labelledby="setup-pipeline">
      <h2 id="setup-pipeline">{t.pipeline.title}</h2>
      <p class="muted">{t.pipeline.intro}</p>
      <table class="data pipeline">
        <thead>
          <tr>
            <th scope="col">{t.pipeline.service}</th>
            <th scope="col">{t.pipeline.unsent}</th>
            <th scope="col">{t.pipeline.oldest}</th>
            <th scope="col">{t.pipeline.waiting}</th>
            <th scope="col">{t.pipeline.failed}</th>
            <th scope="col">{t.pipeline.lastRun}</th>
            <th scope="col">{t.pipeline.repairs}</th>
          </tr>
        </thead>
        <tbody>
          {SERVICES.map((service) => {
            const view = views[service];
            return (
              <tr key={service} data-service={service}>
                <th scope="row">{t.pipeline.services[service]}</th>
                {view === null ? (
                  <td colSpan={6}>{t.pipeline.unreachable}</td>
                ) : view === undefined ? (
                  <td colSpan={6}>…</td>
                ) : (
                  <>
                    <td data-cell="unsent">{formatNumber(lang, view.outbox.unsent)}</td>
                    <td>
                      {view.outbox.oldestUnsentAgeSeconds === null
                        ? '–'
                        : `${formatNumber(lang, view.outbox.oldestUnsentAgeSeconds)} ${t.pipeline.seconds}`}
                    </td>
                    <td data-cell="waiting">
                      {view.queue ? formatNumber(lang, view.queue.waiting) : t.pipeline.redisAway}
                    </td>
                    <td data-cell="failed">
                      {view.queue ? formatNumber(lang, view.queue.failed) : '–'}
                    </td>
                    <td data-cell="last-run">
                      {view.reconciliation.lastRunAt
                        ? formatDateTime(lang, view.reconciliation.lastRunAt)
                        : t.pipeline.never}
                    </td>
                    <td data-cell="repairs">
                      {view.reconciliation.repairs.length === 0
                        ? t.pipeline.none
                        : view.reconciliation.repairs
                            .map((r) =>
                              t.pipeline.repair(r.stream, r.consumer.count, r.producer.count),
                            )
                            .join('; ')}
                      {view.redis.lossesFound > 0
                        ? ` · ${t.pipeline.losses}: ${formatNumber(lang, view.redis.lossesFound)}`
                        : ''}
                    </td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" class="button" onClick={load}>
        {t.pipeline.refresh}
      </button>
    </section>
  );
}
