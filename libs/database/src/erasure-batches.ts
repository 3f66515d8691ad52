import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';

/** How an event's erasure goes: rows per batch, and the pause after each (ERASURE_* settings). */
export interface ErasurePace {
  batchSize: number;
  pauseMs: number;
}

/**
 * A batch's time to the pause after it. Measured at 50,000 on the loaded 2-core machine: pausing
 * as long as each batch took (1) kept another event's door at 0.64x its quiet p99 but took 82.6 s;
 * half as long (2): 55.1 s, 0.59x (bench/erasure, README).
 */
const BUSY_TO_PAUSE = 2;

/** Thrown between two batches when the service stops: the next start goes on from there. */
export class ErasureInterrupted extends Error {
  constructor() {
    super('The erasure stopped with the service; it goes on at the next start');
  }
}

/**
 * An event's erasure as many short transactions rather than one long one: each batch of rows is
 * erased and committed on its own, with a pause after it. Another event's door then waits for no
 * lock and gets the CPU between batches, and an erasure cut short (a crash, a stop) has committed
 * its batches and goes on at the next retention round with what is left: every step only touches
 * what is not erased yet, so repeating one is harmless.
 */
export class ErasureBatches {
  constructor(
    private readonly dataSource: DataSource,
    readonly pace: ErasurePace,
    private readonly stopped: () => boolean = () => false,
  ) {}

  /**
   * Runs `step` for each batch of `ids` (in a transaction of its own, pausing between); returns
   * the sum of what the steps counted.
   */
  async ofIds(
    ids: string[],
    step: (manager: EntityManager, batch: string[]) => Promise<number>,
  ): Promise<number> {
    let total = 0;
    for (let i = 0; i < ids.length; i += this.pace.batchSize) {
      const batch = ids.slice(i, i + this.pace.batchSize);
      total += await this.batch((manager) => step(manager, batch));
    }
    return total;
  }

  /**
   * Runs `step` (a transaction each, pausing between) until it erases fewer than `limit` rows: for
   * rows that leave what `step` selects once erased. Returns the sum of what the steps counted.
   */
  async untilDone(
    limit: number,
    step: (manager: EntityManager, limit: number) => Promise<number>,
  ): Promise<number> {
    let total = 0;
    let count: number;
    do {
      count = await this.batch((manager) => step(manager, limit));
      total += count;
    } while (count >= limit);
    return total;
  }

  /**
   * Walks a table in the order of its key, one transaction per step: `step` gets where the last
   * one stopped (null at first) and answers where the next starts (null: done) and a count.
   */
  async walk(
    step: (
      manager: EntityManager,
      after: string | null,
    ) => Promise<{ next: string | null; count: number }>,
  ): Promise<number> {
    let total = 0;
    let after: string | null = null;
    do {
      const from: string | null = after;
      after = await this.batch(async (manager) => {
        const { next, count } = await step(manager, from);
        total += count;
        return next;
      });
    } while (after !== null);
    return total;
  }

  /**
   * One batch: its own transaction, then a pause at least half as long as the batch took (the
   * erasure takes at most two thirds of the time of its connection, whatever the machine) and at
   * least `pauseMs`; stops here when the service stops.
   */
  private async batch<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.stopped()) throw new ErasureInterrupted();
    const started = performance.now();
    const result = await this.dataSource.transaction(work);
    await sleep(Math.max(this.pace.pauseMs, (performance.now() - started) / BUSY_TO_PAUSE));
    return result;
  }
}
