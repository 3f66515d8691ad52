import { AttendanceBroadcaster, StreamSink } from './attendance-stream.broadcaster';
import { backoffMs } from './attendance-stream.listener';

class FakeSink implements StreamSink {
  frames: string[] = [];
  keepAlives = 0;
  closed = false;
  send(frame: string) {
    this.frames.push(frame);
  }
  keepAlive() {
    this.keepAlives += 1;
  }
  close() {
    this.closed = true;
  }
  /** The objects received, parsed. */
  get objects() {
    return this.frames.map((frame) => JSON.parse(/data: (.*)\n/.exec(frame)![1]));
  }
}

/** The coalescing: timing with fake timers, the computation a counter per event. */
describe('AttendanceBroadcaster', () => {
  let computations: string[];
  let counts: Map<string, number>;
  let errors: unknown[];
  let failNext: boolean;
  let broadcaster: AttendanceBroadcaster;
  const flush = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

  beforeEach(() => {
    jest.useFakeTimers();
    computations = [];
    counts = new Map();
    errors = [];
    failNext = false;
    broadcaster = new AttendanceBroadcaster(
      (eventId) => {
        computations.push(eventId);
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('database away'));
        }
        return Promise.resolve({ eventId, checkedIn: counts.get(eventId) ?? 0 });
      },
      (_eventId, error) => errors.push(error),
      { windowMs: 250, retryAfterErrorMs: 1000 },
    );
  });

  afterEach(() => {
    broadcaster.closeAll();
    jest.useRealTimers();
  });

  it('sends the object on connect, and the cached one to a later stream when nothing changed', async () => {
    const first = new FakeSink();
    broadcaster.subscribe('e1', first);
    await flush();
    expect(first.frames).toEqual([`id: 1\ndata: {"eventId":"e1","checkedIn":0}\n\n`]);
    const second = new FakeSink();
    broadcaster.subscribe('e1', second);
    expect(second.frames).toEqual(first.frames); // at once, without computing again
    expect(computations).toEqual(['e1']);
  });

  it('sends the first change after a quiet window at once, and folds a burst into one computation per window', async () => {
    const sink = new FakeSink();
    broadcaster.subscribe('e1', sink);
    await flush();
    await flush(1000); // quiet
    computations.length = 0;

    counts.set('e1', 1);
    broadcaster.changed('e1');
    await flush(); // no waiting for a window
    expect(computations).toHaveLength(1);
    expect(sink.objects.at(-1).checkedIn).toBe(1);

    // 100 changes over the next 600 ms: computed at 250 and 500 ms, and once more after the last.
    for (let i = 0; i < 100; i++) {
      counts.set('e1', 2 + i);
      broadcaster.changed('e1');
      await flush(6);
    }
    await flush(250);
    expect(computations).toHaveLength(4);
    expect(sink.objects.at(-1).checkedIn).toBe(101);
    const times = sink.frames.length;
    await flush(5000);
    expect(sink.frames).toHaveLength(times); // nothing without changes
  });

  it('serialises once per computation and writes the same frame to every stream of the event', async () => {
    const sinks = Array.from({ length: 200 }, () => new FakeSink());
    for (const sink of sinks) broadcaster.subscribe('e1', sink);
    await flush();
    expect(computations).toEqual(['e1']);
    counts.set('e1', 7);
    broadcaster.changed('e1');
    await flush(250); // the next window
    expect(computations).toEqual(['e1', 'e1']);
    for (const sink of sinks) expect(sink.frames).toEqual(sinks[0].frames);
    expect(sinks[0].frames[1]).toBe(sinks[199].frames[1]);
    expect(sinks[0].frames.map((frame) => /^id: (\d+)/.exec(frame)![1])).toEqual(['1', '2']);
  });

  it('does no work for events nobody watches, and forgets an event when its last stream closes', async () => {
    broadcaster.changed('e2');
    await flush(1000);
    expect(computations).toEqual([]);
    const sink = new FakeSink();
    const unsubscribe = broadcaster.subscribe('e2', sink);
    await flush();
    unsubscribe();
    expect(broadcaster.size).toEqual({ streams: 0, events: 0 });
    broadcaster.changed('e2');
    await flush(1000);
    expect(computations).toEqual(['e2']);
  });

  it('sends an unchanged object only to streams that had none (after a resync)', async () => {
    const old = new FakeSink();
    broadcaster.subscribe('e1', old);
    await flush();
    broadcaster.changedAll(); // e.g. the listener reconnected: maybe something changed
    const fresh = new FakeSink();
    broadcaster.subscribe('e1', fresh); // a change is pending: it waits for the computation
    expect(fresh.frames).toEqual([]);
    await flush(250);
    expect(computations).toEqual(['e1', 'e1']);
    expect(old.frames).toHaveLength(1); // the same object again is not news
    expect(fresh.frames).toEqual(old.frames);
  });

  it('folds the changes that arrive during a computation into one more after it', async () => {
    let release!: () => void;
    const slow = new AttendanceBroadcaster(
      async (eventId) => {
        computations.push(eventId);
        await new Promise<void>((resolve) => (release = resolve));
        return { n: computations.length };
      },
      () => undefined,
    );
    const sink = new FakeSink();
    slow.subscribe('e1', sink);
    await flush();
    slow.changed('e1');
    slow.changed('e1');
    await flush(1000);
    expect(computations).toHaveLength(1);
    release();
    await flush(250);
    expect(computations).toHaveLength(2);
    release();
    await flush(1000);
    expect(sink.objects).toEqual([{ n: 1 }, { n: 2 }]);
    slow.closeAll();
  });

  it('widens the window while computations are slow, and narrows it again', async () => {
    let durationMs = 200;
    const busy = new AttendanceBroadcaster(
      async (eventId) => {
        computations.push(eventId);
        await new Promise((resolve) => setTimeout(resolve, durationMs));
        return { n: computations.length };
      },
      () => undefined,
      { windowMs: 250, retryAfterErrorMs: 1000 },
    );
    busy.subscribe('e1', new FakeSink());
    await flush(200); // the first took 200 ms: the next window is 800 ms
    busy.changed('e1');
    await flush(599);
    expect(computations).toHaveLength(1);
    await flush(1);
    expect(computations).toHaveLength(2);
    durationMs = 10;
    await flush(1000);
    busy.changed('e1');
    await flush(10); // that one (at 1,800 ms) was quick: the window is back to 250 ms
    busy.changed('e1');
    await flush(239);
    expect(computations).toHaveLength(3);
    await flush(1); // 1,800 + 250
    expect(computations).toHaveLength(4);
    busy.closeAll();
  });

  it('retries a failed computation after a pause', async () => {
    const sink = new FakeSink();
    failNext = true;
    broadcaster.subscribe('e1', sink);
    await flush();
    expect(errors).toHaveLength(1);
    expect(sink.frames).toEqual([]);
    await flush(999);
    expect(computations).toHaveLength(1);
    await flush(1);
    expect(computations).toHaveLength(2);
    expect(sink.objects).toEqual([{ eventId: 'e1', checkedIn: 0 }]);
  });

  it('keeps every stream alive, and closes them all on shutdown', async () => {
    const a = new FakeSink();
    const b = new FakeSink();
    broadcaster.subscribe('e1', a);
    broadcaster.subscribe('e2', b);
    broadcaster.keepAlive();
    expect([a.keepAlives, b.keepAlives]).toEqual([1, 1]);
    broadcaster.closeAll();
    expect([a.closed, b.closed]).toEqual([true, true]);
    await flush(1000);
    expect(a.frames).toEqual([]); // the computation under way is dropped
    const late = new FakeSink();
    broadcaster.subscribe('e1', late);
    expect(late.closed).toBe(true);
  });
});

describe('backoffMs', () => {
  it('doubles from the minimum up to the maximum, with jitter in the upper half', () => {
    expect([0, 1, 2, 3, 10].map((attempt) => backoffMs(attempt, 250, 10_000, 1))).toEqual([
      250, 500, 1000, 2000, 10_000,
    ]);
    expect(backoffMs(0, 250, 10_000, 0)).toBe(125);
    expect(backoffMs(100, 250, 10_000, 0.5)).toBe(7500);
  });
});
