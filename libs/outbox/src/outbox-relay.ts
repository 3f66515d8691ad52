import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobsOptions, Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import type { Environment } from '@einlass/config';
import {
  ALL_QUEUES,
  EventEnvelope,
  EventType,
  QueueName,
  REPLAY_BATCH_JOB,
} from '@einlass/contracts';
import { EVENT_JOB_OPTIONS, redisOptionsFromUrl } from '@einlass/messaging';
import { observeRelayRound, outboxSource, queueSource } from '@einlass/metrics';
import { outboxCommits } from './outbox';
import {
  jobIdFor,
  judgeMark,
  markKey,
  MarkJudgement,
  nothingPending,
  PENDING_JOB_STATES,
} from './redis-mark';

const BATCH_SIZE = 500;
/** Rows claimed per round while a replay is under way: fewer, larger rounds for the same work. */
const REPLAY_ROUND = 2500;
/** Messages per replay batch job (what a consumer looks up in its inbox with one query). */
const REPLAY_JOB_MESSAGES = 500;
/** Sent rows past their retention removed per check, so pruning never holds a long lock. */
const PRUNE_BATCH = 5000;

interface ClaimedRow {
  id: string;
  message_id: string;
  queues: QueueName[];
  type: EventType;
  payload: unknown;
  created_at: Date;
  republished: number;
}

interface MarkRow {
  mark: string;
  confirmed_before: Date;
  replay_from: Date | null;
}

/**
 * Publishes outbox rows to BullMQ and marks them sent.
 *
 * - Rows are claimed with `FOR UPDATE SKIP LOCKED`, never "id > last sent" (sequence values commit
 *   out of order), so several replicas can relay side by side without skipping or doubling rows.
 * - The job id is the row's message id: a row re-published after a crash is recognised by BullMQ
 *   while the earlier job exists, and consumers are idempotent (inbox) for the rest.
 * - It wakes when this process commits an outbox write (milliseconds), and polls for the rest.
 * - When Redis is down, publishing fails fast, the rows stay unsent, and the next round retries.
 * - Redis losing what it held is found by the service's mark (redis-mark.ts), checked after every
 *   batch and every REDIS_CHECK_MS: the rows sent since the last point Redis is known to have
 *   delivered everything are then marked unsent again and republished under new job ids.
 *   Sent rows are kept OUTBOX_RETENTION_DAYS for that, and pruned afterwards.
 */
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues = new Map<QueueName, Queue>();
  private readonly onCommit = () => this.wake();
  private timer?: NodeJS.Timeout;
  private running = false;
  private rerun = false;
  private stopped = false;
  private failing = false;
  private checkTimer?: NodeJS.Timeout;
  private marks?: Redis;
  private checking?: Promise<void>;
  private checkFailing = false;
  /** A loss was found (here, or by a replica that may have died): replay before publishing. */
  private replayPending = true;
  /** Rows a replay of this process marked and not yet republished: rounds are larger meanwhile. */
  private replayRowsLeft = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Environment, true>,
    /** The producing service: its schema, and the prefix of its job ids (`badges-<uuid>`). */
    readonly origin: string,
  ) {}

  onApplicationBootstrap(): void {
    // Read when Prometheus scrapes, not on any request's path.
    outboxSource.use(() => this.outboxState());
    queueSource.use(() => this.ownQueueCounts());
    outboxCommits.on('committed', this.onCommit);
    this.schedule();
    this.scheduleCheck(0);
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    outboxSource.use(undefined);
    queueSource.use(undefined);
    outboxCommits.off('committed', this.onCommit);
    clearTimeout(this.timer);
    clearTimeout(this.checkTimer);
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.checking;
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.marks?.disconnect();
  }

  /** Publish now (coalesces: a wake during a round runs one more round after it). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
      if (this.rerun && !this.stopped) {
        this.rerun = false;
        this.wake();
      }
    });
  }

  /** Publishes every unsent row; resolves when none is left or publishing failed. */
  private async drain(): Promise<void> {
    try {
      let published: number;
      let limit: number;
      do {
        if (this.replayPending) await this.replay();
        limit = this.replayRowsLeft > 0 ? REPLAY_ROUND : BATCH_SIZE;
        published = await this.publishBatch(limit);
      } while ((published === limit || this.replayPending) && !this.stopped);
      if (this.failing) {
        this.failing = false;
        this.logger.log('Outbox relay is publishing again');
      }
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          { err: error },
          'Outbox relay could not publish; the messages stay in the outbox and are retried',
        );
      }
    }
  }

  private async publishBatch(limit: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: ClaimedRow[] = await manager.query(
        `SELECT id, message_id, queues, type, payload, created_at, republished FROM outbox
          WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const jobs = this.jobsFor(rows);
      for (const [queueName, queued] of jobs.byQueue) {
        await this.queue(queueName).addBulk(queued);
      }
      // After the jobs, the mark: a Redis that later loses these jobs loses this increment too.
      await this.observeMark(manager);
      // The clock after the jobs were added (not the transaction's start): `confirmed_before`
      // compares with it, so a row counts as delivered only if its jobs were in the queues.
      // A message sent in a replay batch records the batch's job id (its copy in Redis, which an
      // erasure must find); every other one's job id follows from the row (jobIdFor).
      await manager.query(
        `UPDATE outbox SET sent_at = clock_timestamp(), job_id = batch.job_id
           FROM unnest($1::bigint[], $2::text[]) AS batch(id, job_id)
          WHERE outbox.id = batch.id`,
        [rows.map((row) => row.id), rows.map((row) => jobs.batchOf.get(row.id) ?? null)],
      );
      this.logger.debug({ count: rows.length }, 'Outbox messages published');
      observeRelayRound(
        rows.filter((row) => !jobs.batchOf.has(row.id)).map((row) => row.created_at),
      );
      this.replayRowsLeft = Math.max(0, this.replayRowsLeft - jobs.batchOf.size);
      return rows.length;
    });
  }

  /**
   * The jobs for a claimed batch of rows, per queue. A row sent for the first time is a job of its
   * own, named after its event type. Rows sent again after Redis lost data go together, per queue,
   * as one replay batch job (REPLAY_BATCH_JOB), which the consumer checks against its inbox with
   * one query (messagesToConsume). Batches are removed from Redis once completed: their job ids are
   * new each time and their messages are deduplicated by the inbox, not by BullMQ.
   */
  private jobsFor(rows: ClaimedRow[]): {
    byQueue: Map<QueueName, { name: string; data: unknown; opts: JobsOptions }[]>;
    batchOf: Map<string, string>;
  } {
    const byQueue = new Map<QueueName, { name: string; data: unknown; opts: JobsOptions }[]>();
    const add = (queue: QueueName, job: { name: string; data: unknown; opts: JobsOptions }) => {
      const jobs = byQueue.get(queue);
      if (jobs) jobs.push(job);
      else byQueue.set(queue, [job]);
    };
    const replayed = rows.filter((row) => row.republished > 0);
    const batchOf = new Map<string, string>();
    for (const row of rows) {
      if (row.republished > 0) continue;
      const jobId = jobIdFor(this.origin, row.message_id, row.republished);
      for (const queue of row.queues) {
        add(queue, {
          name: row.type,
          data: this.envelope(row),
          opts: { ...EVENT_JOB_OPTIONS, jobId },
        });
      }
    }
    for (let i = 0; i < replayed.length; i += REPLAY_JOB_MESSAGES) {
      const chunk = replayed.slice(i, i + REPLAY_JOB_MESSAGES);
      const [first] = chunk;
      const jobId = `${jobIdFor(this.origin, first.message_id, first.republished)}-batch`;
      for (const queue of ALL_QUEUES) {
        const messages = chunk.filter((row) => row.queues.includes(queue));
        if (messages.length === 0) continue;
        add(queue, {
          name: REPLAY_BATCH_JOB,
          data: { messages: messages.map((row) => this.envelope(row)) },
          opts: { ...EVENT_JOB_OPTIONS, jobId, removeOnComplete: true },
        });
      }
      for (const row of chunk) batchOf.set(row.id, jobId);
    }
    return { byQueue, batchOf };
  }

  private envelope(row: ClaimedRow): EventEnvelope {
    return {
      messageId: `${this.origin}-${row.message_id}`,
      type: row.type,
      schemaVersion: 1,
      occurredAt: new Date(row.created_at).toISOString(),
      payload: row.payload as EventEnvelope['payload'],
    };
  }

  /** The outbox's backlog: unsent rows, and how long the oldest has waited. */
  async outboxState(): Promise<{ unsent: number; oldestUnsentAgeSeconds: number | null }> {
    const [row]: { unsent: number; age: number | null }[] = await this.dataSource.query(
      `SELECT count(*)::int AS unsent,
              extract(epoch FROM now() - min(created_at))::float8 AS age
         FROM outbox WHERE sent_at IS NULL`,
    );
    return {
      unsent: row.unsent,
      oldestUnsentAgeSeconds: row.age === null ? null : Math.round(row.age),
    };
  }

  /** What the service knows of Redis losing data: losses found, the last replay, the safe point. */
  async redisState() {
    const [row]: {
      losses: number;
      last_loss_at: Date | null;
      last_replay_at: Date | null;
      last_replay_count: number | null;
      confirmed_before: Date;
      replay_from: Date | null;
    }[] = await this.dataSource.query(
      `SELECT losses, last_loss_at, last_replay_at, last_replay_count, confirmed_before, replay_from
         FROM redis_mark WHERE queue_prefix = $1`,
      [this.prefix],
    );
    const iso = (date: Date | null | undefined) => (date ? new Date(date).toISOString() : null);
    return {
      lossesFound: row?.losses ?? 0,
      lastLossAt: iso(row?.last_loss_at),
      lastReplayAt: iso(row?.last_replay_at),
      lastReplayMessages: row?.last_replay_count ?? null,
      deliveredBefore: iso(row?.confirmed_before),
      replayPending: Boolean(row?.replay_from),
    };
  }

  /** The queue this service consumes (named after it), or null for a service that consumes none. */
  ownQueue(): Queue | null {
    const name = ALL_QUEUES.find((queue) => queue === this.origin);
    return name ? this.queue(name) : null;
  }

  /**
   * The job counts of the queue this service consumes, and how long its oldest waiting message
   * has waited (the consumer's lag), or null if Redis is away.
   */
  async ownQueueCounts(): Promise<{
    name: string;
    waiting: number;
    active: number;
    delayed: number;
    failed: number;
    oldestWaitingAgeSeconds: number | null;
  } | null> {
    const queue = this.ownQueue();
    if (!queue) return null;
    try {
      const [counts, [oldest]] = await Promise.all([
        queue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
        queue.getJobs(['wait'], 0, 0, true),
      ]);
      return {
        name: queue.name,
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        oldestWaitingAgeSeconds: oldest
          ? Math.max(0, Math.round((Date.now() - oldest.timestamp) / 1000))
          : null,
      };
    } catch {
      return null;
    }
  }

  /**
   * Increments the service's mark in Redis and judges it against the value recorded (redis-mark.ts),
   * under a lock of the record so that replicas take turns. A loss records where to replay from.
   */
  private async observeMark(manager: EntityManager): Promise<MarkJudgement> {
    const prefix = this.prefix;
    const [state]: MarkRow[] = await manager.query(
      `SELECT mark, confirmed_before, replay_from FROM redis_mark WHERE queue_prefix = $1 FOR UPDATE`,
      [prefix],
    );
    const observed = await (await this.markClient()).incr(markKey(prefix, this.origin));
    const judgement = judgeMark(state ? Number(state.mark) : null, observed);
    switch (judgement) {
      case 'first':
        await manager.query(
          `INSERT INTO redis_mark (queue_prefix, mark, confirmed_before)
           VALUES ($1, $2, clock_timestamp())
           ON CONFLICT (queue_prefix) DO UPDATE SET mark = GREATEST(redis_mark.mark, excluded.mark)`,
          [prefix, observed],
        );
        break;
      case 'held':
        await manager.query(
          `UPDATE redis_mark SET mark = $2, checked_at = now() WHERE queue_prefix = $1`,
          [prefix, observed],
        );
        break;
      case 'lost':
        await manager.query(
          `UPDATE redis_mark SET mark = $2, checked_at = now(), losses = losses + 1,
                  last_loss_at = now(),
                  replay_from = LEAST(COALESCE(replay_from, confirmed_before), confirmed_before)
            WHERE queue_prefix = $1`,
          [prefix, observed],
        );
        this.replayPending = true;
        this.logger.warn(
          { service: this.origin, recordedMark: Number(state?.mark), observedMark: observed },
          'Redis lost data (its mark went back); republishing what was sent since the last point it had delivered everything',
        );
        break;
      default: {
        const unhandled: never = judgement;
        throw new Error(`Unhandled judgement ${String(unhandled)}`);
      }
    }
    return judgement;
  }

  /** Marks the rows to republish unsent again (next job id), so the rounds publish them anew. */
  private async replay(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // As text: a JavaScript Date drops the microseconds the comparison below needs.
      const [state]: { replay_from: string | null }[] = await manager.query(
        `SELECT replay_from::text FROM redis_mark WHERE queue_prefix = $1`,
        [this.prefix],
      );
      this.replayPending = false;
      if (!state?.replay_from) return;
      const [{ count }]: { count: number }[] = await manager.query(
        `WITH again AS (
           UPDATE outbox SET sent_at = NULL, republished = republished + 1
            WHERE sent_at >= $1::timestamptz RETURNING 1)
         SELECT count(*)::int AS count FROM again`,
        [state.replay_from],
      );
      this.replayRowsLeft = count;
      await manager.query(
        `UPDATE redis_mark SET replay_from = NULL, last_replay_at = now(), last_replay_count = $2
          WHERE queue_prefix = $1 AND replay_from = $3::timestamptz`,
        [this.prefix, count, state.replay_from],
      );
      this.logger.warn(
        { service: this.origin, messages: count, sentSince: state.replay_from },
        'Republishing messages Redis lost',
      );
    });
  }

  /**
   * The periodic check: is the mark still there (a loss found with nothing published), and is
   * everything sent so far delivered (then the replay window starts later)? Also prunes sent rows
   * past their retention.
   */
  private async check(): Promise<void> {
    try {
      const [{ now }]: { now: Date }[] = await this.dataSource.query(
        `SELECT clock_timestamp() AS now`,
      );
      // Counted before the mark is checked: a loss before the counts shows in the mark after them.
      const counts = await Promise.all(
        ALL_QUEUES.map((name) => this.queue(name).getJobCounts(...PENDING_JOB_STATES)),
      );
      await this.dataSource.transaction(async (manager) => {
        const judgement = await this.observeMark(manager);
        if (judgement === 'held' && nothingPending(counts)) {
          await manager.query(
            `UPDATE redis_mark SET confirmed_before = GREATEST(confirmed_before, $2)
              WHERE queue_prefix = $1`,
            [this.prefix, now],
          );
        }
      });
      const [pending]: { replay_from: Date | null }[] = await this.dataSource.query(
        `SELECT replay_from FROM redis_mark WHERE queue_prefix = $1`,
        [this.prefix],
      );
      if (pending?.replay_from) this.replayPending = true;
      await this.prune();
      if (this.checkFailing) {
        this.checkFailing = false;
        this.logger.log('Redis mark check works again');
      }
      if (this.replayPending) this.wake();
    } catch (error) {
      if (!this.checkFailing) {
        this.checkFailing = true;
        this.logger.warn({ err: error }, 'Could not check the Redis mark; trying again');
      }
    }
  }

  private async prune(): Promise<void> {
    const days = this.config.get('OUTBOX_RETENTION_DAYS', { infer: true });
    const [{ count }]: { count: number }[] = await this.dataSource.query(
      `WITH old AS (
         DELETE FROM outbox WHERE id IN (
           SELECT id FROM outbox WHERE sent_at < now() - make_interval(secs => $1) LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS count FROM old`,
      [days * 86_400, PRUNE_BATCH],
    );
    if (count > 0) this.logger.log({ rows: count, retentionDays: days }, 'Sent outbox rows pruned');
  }

  private scheduleCheck(delay: number): void {
    if (this.stopped) return;
    this.checkTimer = setTimeout(() => {
      this.checking = this.check().finally(() => {
        this.checking = undefined;
        this.scheduleCheck(this.config.get('REDIS_CHECK_MS', { infer: true }));
      });
    }, delay);
    this.checkTimer.unref();
  }

  /** The connection the mark is kept on; fails fast (like the queues') while Redis is down. */
  private async markClient(): Promise<Redis> {
    if (!this.marks) {
      this.marks = new Redis(
        redisOptionsFromUrl(this.config.get('REDIS_URL', { infer: true }), {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
        }),
      );
      this.marks.on('error', () => undefined); // reported through failed rounds
    }
    const client = this.marks;
    if (client.status !== 'ready') {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          client.off('ready', onReady);
          reject(new Error(`Redis is not reachable (${client.status})`));
        }, 2000);
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        client.once('ready', onReady);
      });
    }
    return client;
  }

  private get prefix(): string {
    return this.config.get('QUEUE_PREFIX', { infer: true });
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        prefix: this.config.get('QUEUE_PREFIX', { infer: true }),
        connection: redisOptionsFromUrl(this.config.get('REDIS_URL', { infer: true }), {
          // Fail at once while Redis is down: the rows stay in the outbox for the next round.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
        }),
      });
      queue.on('error', () => undefined); // reported through failed rounds, not once per retry
      this.queues.set(name, queue);
    }
    return queue;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.wake();
        this.schedule();
      },
      this.config.get('OUTBOX_POLL_MS', { infer: true }),
    );
    this.timer.unref();
  }
}
