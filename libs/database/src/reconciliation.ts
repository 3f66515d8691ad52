import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
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
 * The scopes whose numbers differ (pure). A scope the consumer does not hold at all counts as 0.
 */
export function differingScopes(
  producer: StreamScopeSummary[],
  consumer: StreamScopeSummary[],
  compares: ConsumedStream['compares'],
): { scope: string; producer: StreamScopeSummary; consumer: StreamScopeSummary }[] {
  const ours = new Map(consumer.map((s) => [s.scope, s]));
  return producer.flatMap((theirs) => {
    const mine = ours.get(theirs.scope) ?? { scope: theirs.scope, count: 0, total: 0 };
    const differs =
      mine.count !== theirs.count || (compares === 'count+total' && mine.total !== theirs.total);
    return differs ? [{ scope: theirs.scope, producer: theirs, consumer: mine }] : [];
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
const KEPT_REPAIRS = 20;

/**
 * The second net under the outbox: on start-up and every RECONCILE_EVERY_MS, a consumer asks each
 * producer of its streams for their summaries (over the queues, like every other message); where
 * its own numbers still differ a moment later (messages on their way are given the time to
 * arrive), it asks for that scope again, and logs it. A producer answers both from its own tables.
 */
export class Reconciliation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciliation.name);
  private timer?: NodeJS.Timeout;
  private readonly rechecks = new Set<NodeJS.Timeout>();
  private stopped = false;
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

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const timer of this.rechecks) clearTimeout(timer);
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
        for (const produced of this.produced.filter((p) => streams.includes(p.stream))) {
          const scopes = await produced.summarise(manager);
          await writeAddressedToOutbox(
            manager,
            EventType.StreamSummary,
            [{ stream: produced.stream, scopes }],
            replyTo,
          );
        }
        return;
      }
      case EventType.StreamSummary: {
        const { stream, scopes } = envelope.payload;
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
        // Messages still on their way explain a difference for a moment: look again a bit later.
        if (differing.length > 0)
          this.recheck(
            consumed,
            differing.map((d) => d.producer),
          );
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

  private recheck(consumed: ConsumedStream, producer: StreamScopeSummary[]): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.rechecks.delete(timer);
      void this.askAgain(consumed, producer).catch((error: unknown) =>
        this.logger.warn({ err: error, stream: consumed.stream }, 'Reconciliation recheck failed'),
      );
    }, RECHECK_MS);
    timer.unref();
    this.rechecks.add(timer);
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
      void this.run()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'Reconciliation could not ask for summaries'),
        )
        .finally(() => this.schedule(this.config.get('RECONCILE_EVERY_MS', { infer: true })));
    }, delay);
    this.timer.unref();
  }
}
