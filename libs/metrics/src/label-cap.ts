/** The label value every value beyond a cap's limit is counted under. */
export const OTHER_LABEL = 'other';

/**
 * Keeps a free-text label (a door's gate, a scan's list) to a bounded set of values: the first
 * `limit` distinct values seen by this process keep their own series, every later one is counted
 * as `other`. Gates and lists are typed by people at the door, and each distinct label value is a
 * series Prometheus keeps for good: a typo per device must not grow it without bound.
 */
export class LabelCap {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    /** The value of a missing label. */
    private readonly fallback = 'none',
  ) {}

  label(value: string | undefined | null): string {
    if (value === undefined || value === null || value === '') return this.fallback;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return OTHER_LABEL;
    this.seen.add(value);
    return value;
  }

  /** Distinct values kept so far (not counting `other`). */
  get size(): number {
    return this.seen.size;
  }
}
