/**
 * The messages between the services: whether each service is up, its unsent outbox rows, its
 * queue and how long the oldest message in it has waited, its last reconciliation (GET …/pipeline
 * on each, every 15 seconds), and the messages a service gave up on, with a retry button
 * (GET/POST /api/pipeline/failed-jobs…; organiser tokens of every event only).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { formatDateTime, formatNumber, useLang } from '../../i18n';
import { useSession } from '../../session';
import { type Words } from './words';

type ServiceName = 'registration' | 'badges' | 'checkin';

interface PipelineView {
  service: ServiceName;
  outbox: { unsent: number; oldestUnsentAgeSeconds: number | null };
  queue: {
    name: string;
    waiting: number;
    active: number;
    delayed: number;
    failed: number;
    oldestWaitingAgeSeconds: number | null;
  } | null;
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

interface FailedJobsView {
  service: ServiceName;
  total: number;
  jobs: {
    id: string;
    type: string;
    failedReason: string;
    attemptsMade: number;
    failedAt: string | null;
  }[];
}

const SERVICES: ServiceName[] = ['registration', 'badges', 'checkin'];
const FAILED_SHOWN = 20;

/** Each service's own account of its messages, side by side. */
export function Pipeline({ t }: { t: Words }) {
  const { api, event } = useSession();
  const lang = useLang();
  const [views, setViews] = useState<Partial<Record<ServiceName, PipelineView | null>>>({});
  /** Per service: its failed list, 'forbidden' for a token limited to events, null if unreachable. */
  const [failed, setFailed] = useState<
    Partial<Record<ServiceName, FailedJobsView | 'forbidden' | null>>
  >({});
  const [notice, setNotice] = useState<string | null>(null);
  const path = `/api/events/${encodeURIComponent(event.slug)}/pipeline`;

  const load = () => {
    for (const service of SERVICES) {
      api
        .get<PipelineView>(service, path)
        .then((view) => setViews((all) => ({ ...all, [service]: view })))
        .catch(() => setViews((all) => ({ ...all, [service]: null })));
      api
        .get<FailedJobsView>(service, `/api/pipeline/failed-jobs?limit=${FAILED_SHOWN}`)
        .then((list) => setFailed((all) => ({ ...all, [service]: list })))
        .catch((error: unknown) =>
          setFailed((all) => ({
            ...all,
            [service]: error instanceof ApiError && error.status === 403 ? 'forbidden' : null,
          })),
        );
    }
  };
  useEffect(() => {
    load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, [path]);

  const retry = async (service: ServiceName, jobId?: string) => {
    setNotice(null);
    try {
      const { retried } = await api.request<{ retried: number }>(
        service,
        'POST',
        jobId
          ? `/api/pipeline/failed-jobs/${encodeURIComponent(jobId)}/retry`
          : '/api/pipeline/failed-jobs/retry',
        {},
      );
      setNotice(t.pipeline.retried(retried));
    } catch (error) {
      setNotice(error instanceof Error ? error.message : t.network);
    }
    load();
  };

  const seconds = (value: number | null | undefined) =>
    value === null || value === undefined
      ? '–'
      : `${formatNumber(lang, value)} ${t.pipeline.seconds}`;

  const lists = SERVICES.map((service) => ({ service, list: failed[service] }));
  const forbidden = lists.every(({ list }) => list === 'forbidden');
  const failedJobs = lists.filter(
    (entry): entry is { service: ServiceName; list: FailedJobsView } =>
      typeof entry.list === 'object' && entry.list !== null && entry.list.total > 0,
  );

  return (
    <section class="card setup-section" aria-labelledby="setup-pipeline">
      <h2 id="setup-pipeline">{t.pipeline.title}</h2>
      <p class="muted">{t.pipeline.intro}</p>
      <table class="data pipeline">
        <thead>
          <tr>
            <th scope="col">{t.pipeline.service}</th>
            <th scope="col">{t.pipeline.status}</th>
            <th scope="col">{t.pipeline.unsent}</th>
            <th scope="col">{t.pipeline.oldest}</th>
            <th scope="col">{t.pipeline.waiting}</th>
            <th scope="col">{t.pipeline.lag}</th>
            <th scope="col">{t.pipeline.failed}</th>
            <th scope="col">{t.pipeline.lastRun}</th>
            <th scope="col">{t.pipeline.repairs}</th>
          </tr>
        </thead>
        <tbody>
          {SERVICES.map((service) => {
            const view = views[service];
            return (
              <tr key={service} data-service={service} data-up={String(Boolean(view))}>
                <th scope="row">{t.pipeline.services[service]}</th>
                {view === null ? (
                  <td data-cell="status" colSpan={8}>
                    ⚠ {t.pipeline.unreachable}
                  </td>
                ) : view === undefined ? (
                  <td colSpan={8}>…</td>
                ) : (
                  <>
                    <td data-cell="status">✓ {t.pipeline.up}</td>
                    <td data-cell="unsent">{formatNumber(lang, view.outbox.unsent)}</td>
                    <td>{seconds(view.outbox.oldestUnsentAgeSeconds)}</td>
                    <td data-cell="waiting">
                      {view.queue ? formatNumber(lang, view.queue.waiting) : t.pipeline.redisAway}
                    </td>
                    <td data-cell="lag">{seconds(view.queue?.oldestWaitingAgeSeconds)}</td>
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

      <h3>{t.pipeline.failedTitle}</h3>
      <p class="muted">{t.pipeline.failedIntro}</p>
      {notice && <p role="status">{notice}</p>}
      {forbidden ? (
        <p data-testid="failed-forbidden">{t.pipeline.failedForbidden}</p>
      ) : failedJobs.length === 0 ? (
        <p data-testid="failed-none">{t.pipeline.failedNone}</p>
      ) : (
        failedJobs.map(({ service, list }) => (
          <div key={service} class="failed-jobs" data-failed-service={service}>
            <h4>{t.pipeline.services[service]}</h4>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{t.pipeline.failedType}</th>
                  <th scope="col">{t.pipeline.failedReason}</th>
                  <th scope="col">{t.pipeline.failedAt}</th>
                  <th scope="col">{t.pipeline.attempts}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t.pipeline.retry}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.jobs.map((job) => (
                  <tr key={job.id} data-job={job.id}>
                    <td>{job.type}</td>
                    <td>{job.failedReason}</td>
                    <td>{job.failedAt ? formatDateTime(lang, job.failedAt) : '–'}</td>
                    <td>{formatNumber(lang, job.attemptsMade)}</td>
                    <td>
                      <button
                        type="button"
                        class="button"
                        onClick={() => void retry(service, job.id)}
                      >
                        {t.pipeline.retry}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {list.total > list.jobs.length && (
              <p class="muted">{t.pipeline.more(list.jobs.length, list.total)}</p>
            )}
            <button type="button" class="button" onClick={() => void retry(service)}>
              {t.pipeline.retryAll}
            </button>
          </div>
        ))
      )}
    </section>
  );
}
