/**
 * Token buckets, one per key (a token, a client address), in this process's memory: `rate` units
 * a second flow into a bucket holding at most `burst`. Pure logic with the clock passed in, so it
 * is unit-tested without waiting.
 *
 * A call costing more than one unit (an offline device's queue of scans) is let through once the
 * bucket holds min(cost, burst) units, and then takes its whole cost: the bucket may go below
 * zero, and the key waits until it has paid. So a long queue syncs in one call, and the rate over
 * time still never exceeds `rate`.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { units: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    /** Keys remembered at most; beyond that the oldest are forgotten (a full bucket). */
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes `cost` units for `key`: 0 when allowed, else the seconds to wait before retrying. */
  take(key: string, cost = 1, now = Date.now()): number {
    const wait = this.wait(key, cost, now);
    if (wait > 0) return wait;
    const bucket = this.current(key, now);
    bucket.units -= cost;
    this.buckets.delete(key);
    this.buckets.set(key, bucket); // most recently used last
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return 0;
  }

  /** The seconds `key` must wait before a call costing `cost` is allowed (0: now). */
  wait(key: string, cost = 1, now = Date.now()): number {
    const needed = Math.min(cost, this.burst);
    const { units } = this.current(key, now);
    return units >= needed ? 0 : Math.max(1, Math.ceil((needed - units) / this.rate));
  }

  private current(key: string, now: number): { units: number; at: number } {
    const bucket = this.buckets.get(key);
    if (!bucket) return { units: this.burst, at: now };
    const units = Math.min(this.burst, bucket.units + ((now - bucket.at) / 1000) * this.rate);
    return { units, at: now };
  }
}
