import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { DataSource } from 'typeorm';
import type { Environment } from '@einlass/config';
import { ErasureBatches, ErasureInterrupted } from './erasure-batches';

/** An event due for erasure; `first`: its personal data was never erased before. */
export interface DueEvent {
  id: string;
  first: boolean;
}

/**
 * Runs a service's retention work at start-up and then every RETENTION_CHECK_MS: erasing the
 * personal data of each event whose date (`erasePersonalDataAt`) has passed. Each service does its
 * own side, so one that was stopped catches up by itself when it starts. An event is due while its
 * `personal_data_erased_at` is unset (set by the service once its side is done) or while
 * `leftovers` finds personal data its erasure has not reached (people added later). The work goes
 * in batches (ErasureBatches) and must be idempotent: an erasure cut short goes on at the next
 * round. Rounds never overlap; a failed round is logged and tried again at the next one.
 */
export abstract class RetentionCheck implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  /** How this service's erasures go: batch size and pause, stopping when the service stops. */
  protected readonly batches: ErasureBatches;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private round: Promise<void> = Promise.resolve();
  private pending = 0;
  private stopped = false;

  /** SQL on the event row `e`: whether personal data of it is left after an erasure. */
  protected abstract readonly leftovers: string;

  /** Erases the event's personal data on this service's side; answers counts for the log. */
  protected abstract eraseEvent(event: DueEvent): Promise<Record<string, number>>;

  constructor(
    protected readonly dataSource: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    this.intervalMs = config.get('RETENTION_CHECK_MS', { infer: true });
    this.batches = new ErasureBatches(
      dataSource,
      {
        batchSize: config.get('ERASURE_BATCH_SIZE', { infer: true }),
        pauseMs: config.get('ERASURE_PAUSE_MS', { infer: true }),
      },
      () => this.stopped,
    );
  }

  onApplicationBootstrap(): void {
    void this.runNow();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  /** Runs a round after the one running (if any); resolves when it is done. */
  runNow(): Promise<void> {
    clearTimeout(this.timer);
    this.pending += 1;
    this.round = this.round
      .then(() => (this.stopped ? undefined : this.eraseDue()))
      .catch((error: unknown) => {
        if (error instanceof ErasureInterrupted) this.logger.warn(error.message);
        else this.logger.error({ err: error }, 'Retention check failed; it runs again later');
      })
      .finally(() => {
        this.pending -= 1;
        if (this.pending === 0 && !this.stopped) {
          this.timer = setTimeout(() => void this.runNow(), this.intervalMs);
          this.timer.unref();
        }
      });
    return this.round;
  }

  private async eraseDue(): Promise<void> {
    const due = await this.dataSource.query<DueEvent[]>(
      `SELECT id, personal_data_erased_at IS NULL AS first FROM events e
        WHERE erase_personal_data_at <= now()
          AND (personal_data_erased_at IS NULL OR ${this.leftovers})`,
    );
    for (const event of due) {
      const started = Date.now();
      const erased = await this.eraseEvent(event);
      this.logger.log(
        { eventId: event.id, ...erased, ms: Date.now() - started },
        "Event's personal data erased",
      );
    }
  }
}

/** Whether a retention date (as an event snapshot carries it) has passed. */
export const isDue = (erasePersonalDataAt: string | null | undefined): boolean =>
  !!erasePersonalDataAt && new Date(erasePersonalDataAt).getTime() <= Date.now();
