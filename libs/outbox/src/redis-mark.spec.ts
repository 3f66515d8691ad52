import { jobIdFor, judgeMark, markKey, nothingPending, replayStart } from './redis-mark';

describe('the Redis mark (loss detection)', () => {
  it('adopts a Redis the service has not seen before', () => {
    expect(judgeMark(null, 1)).toBe('first');
    expect(judgeMark(null, 5000)).toBe('first');
  });

  it('finds Redis held everything when the mark grew past the recorded value', () => {
    expect(judgeMark(41, 42)).toBe('held');
    // other replicas of the service incremented it in between
    expect(judgeMark(41, 57)).toBe('held');
  });

  it('finds a loss when Redis came back empty (the mark starts again at 1)', () => {
    expect(judgeMark(41, 1)).toBe('lost');
    expect(judgeMark(1, 1)).toBe('lost');
  });

  it('finds a loss when Redis went back in time (a failover to a replica that lagged)', () => {
    expect(judgeMark(41, 41)).toBe('lost'); // the last increment was lost, the rest held
    expect(judgeMark(41, 30)).toBe('lost');
  });

  it('keys the mark per producer and queue prefix', () => {
    expect(markKey('einlass', 'badges')).toBe('einlass:redis-mark:badges');
  });

  it('gives a republished row a job id of its own and the original message id to the first', () => {
    expect(jobIdFor('registration', 'abc', 0)).toBe('registration-abc');
    expect(jobIdFor('registration', 'abc', 1)).toBe('registration-abc-r1');
    expect(jobIdFor('registration', 'abc', 2)).toBe('registration-abc-r2');
  });

  it('confirms delivery only when no queue holds a job still on its way', () => {
    const empty = { waiting: 0, active: 0, delayed: 0, completed: 900, failed: 2 };
    expect(nothingPending([empty, empty])).toBe(true);
    expect(nothingPending([empty, { ...empty, waiting: 1 }])).toBe(false);
    expect(nothingPending([{ ...empty, active: 3 }])).toBe(false);
    expect(nothingPending([{ ...empty, delayed: 1 }])).toBe(false); // a retry waiting
    expect(nothingPending([{ ...empty, prioritized: 1 }])).toBe(false);
    expect(nothingPending([])).toBe(true);
  });

  it('replays from the earlier of a pending replay and the confirmed point', () => {
    const confirmed = new Date('2026-12-03T10:00:00Z');
    const earlier = new Date('2026-12-03T09:00:00Z');
    expect(replayStart(confirmed, null)).toEqual(confirmed);
    expect(replayStart(confirmed, earlier)).toEqual(earlier);
    expect(replayStart(earlier, confirmed)).toEqual(earlier);
  });
});
