import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * Runs a service's retention work at start-up and then every `intervalMs`: erasing the personal
 * data of each event whose date (`erasePersonalDataAt`) has passed. Each service does its own side,
 * so one that was stopped catches up by itself when it starts. The work must be idempotent (it
 * only touches what is not erased yet); rounds never overlap, and a failed round is logged and
 * tried again at the next one.
 */
export abstract class RetentionCheck implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private round: Promise<void> = Promise.resolve();
  private pending = 0;
  private stopped = false;

  protected abstract readonly intervalMs: number;

  /** Erases what is due; returns when done. */
  protected abstract eraseDue(): Promise<void>;

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
      .catch((error: unknown) =>
        this.logger.error({ err: error }, 'Retention check failed; it runs again later'),
      )
      .finally(() => {
        this.pending -= 1;
        if (this.pending === 0 && !this.stopped) {
          this.timer = setTimeout(() => void this.runNow(), this.intervalMs);
          this.timer.unref();
        }
      });
    return this.round;
  }
}

/** Whether a retention date (as an event snapshot carries it) has passed. */
export const isDue = (erasePersonalDataAt: string | null | undefined): boolean =>
  !!erasePersonalDataAt && new Date(erasePersonalDataAt).getTime() <= Date.now();
