/**
 * A value read when Prometheus scrapes (a count in the database, a queue's jobs), shared by the
 * gauges that show parts of it: one read per scrape, however many gauges ask, and never longer
 * than `timeoutMs` (a scrape must not hang on a database or a Redis that is away).
 */
export class ScrapeSource<T> {
  private read?: () => Promise<T>;
  private pending?: { at: number; value: Promise<T | undefined> };

  constructor(
    private readonly maxAgeMs = 1000,
    private readonly timeoutMs = 2000,
  ) {}

  /** Where the value comes from (set by the module that owns it, when it starts). */
  use(read: (() => Promise<T>) | undefined): void {
    this.read = read;
    this.pending = undefined;
  }

  /** The value, or undefined when there is no source or it failed or took too long. */
  get(now = Date.now()): Promise<T | undefined> {
    if (!this.read) return Promise.resolve(undefined);
    if (this.pending && now - this.pending.at < this.maxAgeMs) return this.pending.value;
    const read = this.read;
    let timer: NodeJS.Timeout | undefined;
    const value = Promise.race([
      read(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), this.timeoutMs);
        timer.unref();
      }),
    ])
      .catch(() => undefined)
      .finally(() => clearTimeout(timer));
    this.pending = { at: now, value };
    return value;
  }
}
