import { TokenBuckets } from './rate-limit';

describe('TokenBuckets', () => {
  it('allows a burst, then refuses with the seconds to wait, then refills at the rate', () => {
    const buckets = new TokenBuckets(10, 30);
    for (let i = 0; i < 30; i++) expect(buckets.take('a', 1, 0)).toBe(0);
    expect(buckets.take('a', 1, 0)).toBe(1);
    expect(buckets.take('b', 1, 0)).toBe(0); // keys are apart
    expect(buckets.take('a', 1, 100)).toBe(0); // 0.1 s later: one unit back
    expect(buckets.take('a', 1, 100)).toBe(1);
  });

  it('lets a long queue through in one call and makes the key pay it off before the next', () => {
    const buckets = new TokenBuckets(10, 30);
    expect(buckets.take('door', 1000, 0)).toBe(0);
    // 1,000 units at 10 a second: the next single scan waits ~97 s.
    expect(buckets.take('door', 1, 0)).toBe(98);
    expect(buckets.take('door', 1, 97_200)).toBe(0);
  });

  it('waits for min(cost, burst) units before a costly call', () => {
    const buckets = new TokenBuckets(10, 30);
    expect(buckets.take('door', 20, 0)).toBe(0);
    expect(buckets.take('door', 500, 0)).toBe(2); // needs 30, holds 10
    expect(buckets.take('door', 500, 2000)).toBe(0);
  });

  it('forgets the least recently used keys beyond its size', () => {
    const buckets = new TokenBuckets(1, 1, 2);
    buckets.take('a', 1, 0);
    buckets.take('b', 1, 0);
    buckets.take('c', 1, 0);
    expect(buckets.take('a', 1, 0)).toBe(0); // forgotten: a full bucket again
  });
});
