import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import type { Environment } from '@einlass/config';
import {
  AnyEventEnvelope,
  EventType,
  QueueName,
  STREAM_PRODUCERS,
  StreamName,
  StreamScopeSummary,
} from '@einlass/contracts';
import { redisOptionsFromUrl } from '@einlass/messaging';
import { writeAddressedToOutbox } from './outbox';

/** A stream this service produces: what it holds per scope, and how to send a scope again. */
export interface ProducedStream {
  stream: StreamName;
  summarise(manager: EntityManager): Promise<StreamScopeSummary[]>;
  /** Writes the current state of every thing in `scope` to the outbox for `queue`; returns how many messages. */
  replay(manager: EntityManager, scope: string, queue: QueueName): Promise<number>;
}

/** A stream this service consumes: what it holds of the given scopes. */
export interface ConsumedStream {
  stream: StreamName;
  summarise(manager: EntityManager, scopes: string[]): Promise<StreamScopeSummary[]>;
  /**
   * Which numbers the consumer can hold level with the producer: `count+total` when it receives
   * every revision, `count` when it receives only some of them (badges: no workshop changes).
   */
  compares: 'count' | 'count+total';
}

/** One repair: a scope a consumer found differing from its producer, and asked for again. */
export interface Repair {
  stream: StreamName;
  scope: string;
  producer: Pick<StreamScopeSummary, 'count' | 'total'>;
  consumer: Pick<StreamScopeSummary, 'count' | 'total'>;
  at: string;
}

export interface ReconciliationStatus {
  /** When this service last asked its producers for their summaries (null: it consumes none). */
  lastRunAt: string | null;
  /** When the last summary came back. */
  lastSummaryAt: string | null;
  /** The latest repairs asked for (newest first, up to 20). */
  repairs: Repair[];
  /** Replays this service sent for others since it started. */
  replaysSent: number;
}

/**
 * The scopes in which the consumer holds less than the producer counted (pure). A scope the
 * consumer does not hold at all counts as 0.
 */
export function differingScopes(
  producer: StreamScopeSummary[],
  consumer: StreamScopeSummary[],
  compares: ConsumedStream['compares'],
): { scope: string; producer: StreamScopeSummary; consumer: StreamScopeSummary }[] {
  const ours = new Map(consumer.map((s) => [s.scope, s]));
  return producer.flatMap((theirs) => {
    const mine = ours.get(theirs.scope) ?? { scope: theirs.scope, count: 0, total: 0 };
    // Behind only: the numbers only grow, and a consumer may already hold messages sent after the
    // producer counted (a replay could not take away what it holds beyond them either).
    const behind =
      mine.count < theirs.count || (compares === 'count+total' && mine.total < theirs.total);
    return behind ? [{ scope: theirs.scope, producer: theirs, consumer: mine }] : [];
  });
}

/** Summary rows from SQL (`scope`, `count`, `total`; bigint sums come as strings) as summaries. */
export function toScopeSummaries(
  rows: { scope: string; count: string | number; total: string | number | null }[],
): StreamScopeSummary[] {
  return rows.map((row) => ({
    scope: row.scope,
    count: Number(row.count),
    total: Number(row.total ?? 0),
  }));
}

/** The messages of the reconciliation itself. */
export type ReconciliationEnvelope = Extract<
  AnyEventEnvelope,
  {
    type:
      | typeof EventType.StreamSummaryRequested
      | typeof EventType.StreamSummary
      | typeof EventType.StreamReplayRequested;
  }
>;

const RECHECK_MS = 3000;
/** Rechecks of one summary while its messages are still on their way (a minute). */
const MAX_RECHECKS = 20;
/** Fresh summaries asked for per round because a producer had messages still unsent. */
const FRESH_SUMMARIES_PER_ROUND = 5;
/** A replay asked for is not asked for again within this time (it is on its way). */
const REPLAY_ASKED_FOR_MS = 60_000;
const KEPT_REPAIRS = 20;

/**
 * The second net under the outbox: on start-up and every RECONCILE_EVERY_MS, a consumer asks each
 * producer of its streams for their summaries (over the queues, like every other message); where
 * it still holds less than the producer counted once the messages on their way have arrived (none
 * was unsent in the producer's outbox, and nothing queued before the count still waits in this
 * service's queue), it asks for that scope again, and logs it. A producer answers both from its
 * own tables. A backlog is never taken for a loss: a replay then would only double the work.
 */
export class Reconciliation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciliation.name);
  private timer?: NodeJS.Timeout;
  private readonly rechecks = new Set<NodeJS.Timeout>();
  private stopped = false;
  private freshSummariesLeft = FRESH_SUMMARIES_PER_ROUND;
  private freshSummaryPending = false;
  private ownQueueClient?: Queue;
  /** When a replay of a stream's scope (`stream:scope`) was last asked for. */
  private readonly replaysAsked = new Map<string, number>();
  private readonly state: ReconciliationStatus = {
    lastRunAt: null,
    lastSummaryAt: null,
    repairs: [],
    replaysSent: 0,
  };

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Environment, true>,
    /** This service's own queue: where answers come back. */
    private readonly ownQueue: QueueName,
    private readonly produced: ProducedStream[],
    private readonly consumed: ConsumedStream[],
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(1000);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const timer of this.rechecks) clearTimeout(timer);
    await this.ownQueueClient?.close();
  }

  status(): ReconciliationStatus {
    return { ...this.state, repairs: [...this.state.repairs] };
  }

  /** Asks every producer of a consumed stream for its summaries. */
  async run(): Promise<void> {
    if (this.consumed.length === 0) return;
    const byProducer = new Map<QueueName, StreamName[]>();
    for (const { stream } of this.consumed) {
      const producer = STREAM_PRODUCERS[stream];
      byProducer.set(producer, [...(byProducer.get(producer) ?? []), stream]);
    }
    await this.dataSource.transaction(async (manager) => {
      for (const [producer, streams] of byProducer) {
        await writeAddressedToOutbox(
          manager,
          EventType.StreamSummaryRequested,
          [{ streams, replyTo: this.ownQueue }],
          producer,
        );
      }
    });
    this.state.lastRunAt = new Date().toISOString();
  }

  /** Handles the reconciliation's messages inside the consumer's transaction (processOnce). */
  async handle(envelope: ReconciliationEnvelope, manager: EntityManager): Promise<void> {
    switch (envelope.type) {
      case EventType.StreamSummaryRequested: {
        const { streams, replyTo } = envelope.payload;
        // Counted once, before this answer's own summaries: with two streams, the first summary
        // written would otherwise count as unsent for the second, which then never compares.
        const [{ unsent }]: { unsent: number }[] = await manager.query(
          `SELECT count(*)::int AS unsent FROM outbox WHERE sent_at IS NULL AND $1 = ANY(queues)`,
          [replyTo],
        );
        for (const produced of this.produced.filter((p) => streams.includes(p.stream))) {
          const at = new Date().toISOString();
          const scopes = await produced.summarise(manager);
          await writeAddressedToOutbox(
            manager,
            EventType.StreamSummary,
            [{ stream: produced.stream, scopes, at, unsent }],
            replyTo,
          );
        }
        return;
      }
      case EventType.StreamSummary: {
        const { stream, scopes, at, unsent } = envelope.payload;
        this.state.lastSummaryAt = new Date().toISOString();
        const consumed = this.consumed.find((c) => c.stream === stream);
        if (!consumed) return;
        const differing = differingScopes(
          scopes,
          await consumed.summarise(
            manager,
            scopes.map((s) => s.scope),
          ),
          consumed.compares,
        );
        if (differing.length === 0) return;
        // Messages still on their way explain a difference: the producer had some unsent (a
        // fresh summary is needed), or they wait in this service's queue (look again later).
        if (unsent) this.askAgainSoon();
        else this.recheck(consumed, { scopes: differing.map((d) => d.producer), at }, 0);
        return;
      }
      case EventType.StreamReplayRequested: {
        const { stream, scope, replyTo } = envelope.payload;
        const produced = this.produced.find((p) => p.stream === stream);
        if (!produced) return;
        const messages = await produced.replay(manager, scope, replyTo);
        this.state.replaysSent += 1;
        this.logger.log(
          { stream, scope, to: replyTo, messages },
          'Reconciliation: sending a scope of a stream again',
        );
        return;
      }
      default: {
        const unhandled: never = envelope;
        throw new Error(`Unhandled reconciliation message ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private later(action: () => Promise<void>, what: string): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.rechecks.delete(timer);
      void action().catch((error: unknown) => this.logger.warn({ err: error }, what));
    }, RECHECK_MS);
    timer.unref();
    this.rechecks.add(timer);
  }

  /** A fresh round of summaries in a moment, a few times per round at most. */
  private askAgainSoon(): void {
    if (this.freshSummariesLeft <= 0 || this.freshSummaryPending) return;
    this.freshSummariesLeft -= 1;
    this.freshSummaryPending = true;
    this.later(async () => {
      this.freshSummaryPending = false;
      await this.run();
    }, 'Reconciliation could not ask for summaries');
  }

  /**
   * Compares again once nothing queued before the producer counted still waits in this service's
   * queue (a backlog during a big import is messages on their way, not lost ones: a replay then
   * would only double the work). Gives up for this round after MAX_RECHECKS; the next round asks anew.
   */
  private recheck(
    consumed: ConsumedStream,
    summary: { scopes: StreamScopeSummary[]; at: string | undefined },
    attempt: number,
  ): void {
    this.later(async () => {
      if (summary.at && (await this.pendingSince(new Date(summary.at)))) {
        if (attempt + 1 < MAX_RECHECKS) this.recheck(consumed, summary, attempt + 1);
        else
          this.logger.log(
            { stream: consumed.stream },
            'Reconciliation: messages are still on their way; the next round compares again',
          );
        return;
      }
      await this.askAgain(consumed, summary.scopes);
    }, `Reconciliation recheck of ${consumed.stream} failed`);
  }

  /** Whether this service's queue still holds a job added before `moment` (waiting or running). */
  private async pendingSince(moment: Date): Promise<boolean> {
    const queue = this.queue();
    const jobs = [
      ...(await queue.getJobs(['waiting', 'prioritized', 'delayed'], 0, 0, true)),
      ...(await queue.getJobs(['active'])),
    ];
    return jobs.some((job) => job && job.timestamp < moment.getTime());
  }

  private queue(): Queue {
    if (!this.ownQueueClient) {
      this.ownQueueClient = new Queue(this.ownQueue, {
        prefix: this.config.get('QUEUE_PREFIX', { infer: true }),
        connection: redisOptionsFromUrl(this.config.get('REDIS_URL', { infer: true }), {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
        }),
      });
      this.ownQueueClient.on('error', () => undefined); // reported through failed rechecks
    }
    return this.ownQueueClient;
  }

  private async askAgain(consumed: ConsumedStream, producer: StreamScopeSummary[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const differing = differingScopes(
        producer,
        await consumed.summarise(
          manager,
          producer.map((s) => s.scope),
        ),
        consumed.compares,
      );
      for (const difference of differing) {
        // Two summaries that crossed (a round's and a fresh one) ask for one replay, not two.
        const key = `${consumed.stream}:${difference.scope}`;
        const askedAt = this.replaysAsked.get(key);
        if (askedAt !== undefined && Date.now() - askedAt < REPLAY_ASKED_FOR_MS) continue;
        this.replaysAsked.set(key, Date.now());
        await writeAddressedToOutbox(
          manager,
          EventType.StreamReplayRequested,
          [{ stream: consumed.stream, scope: difference.scope, replyTo: this.ownQueue }],
          STREAM_PRODUCERS[consumed.stream],
        );
        const repair: Repair = {
          stream: consumed.stream,
          scope: difference.scope,
          producer: { count: difference.producer.count, total: difference.producer.total },
          consumer: { count: difference.consumer.count, total: difference.consumer.total },
          at: new Date().toISOString(),
        };
        this.state.repairs = [repair, ...this.state.repairs].slice(0, KEPT_REPAIRS);
        this.logger.warn(
          { ...repair },
          'Reconciliation: a consumer misses part of a stream; asked the producer for it again',
        );
      }
    });
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.freshSummariesLeft = FRESH_SUMMARIES_PER_ROUND;
      void this.run()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'Reconciliation could not ask for summaries'),
        )
        .finally(() => this.schedule(this.config.get('RECONCILE_EVERY_MS', { infer: true })));
    }, delay);
    this.timer.unref();
  }
}
