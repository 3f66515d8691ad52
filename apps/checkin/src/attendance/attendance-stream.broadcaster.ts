/** One open stream, as the broadcaster sees it. */
export interface StreamSink {
  /** Writes a whole server-sent event (`id:`/`data:` lines and the blank line). */
  send(frame: string): void;
  /** Writes a comment that keeps proxies from closing an idle connection. */
  keepAlive(): void;
  /** Ends the stream (shutdown). */
  close(): void;
}

export interface BroadcasterOptions {
  /** At most one computation per event in this window; a burst of changes is folded into one. */
  windowMs: number;
  /**
   * A slow computation (a busy database) widens the window to this many times its duration, up to
   * `maxWindowMs`: under overload the streams update less often instead of adding to the load.
   */
  slowFactor?: number;
  maxWindowMs?: number;
  /** After a failed computation, try again this much later. */
  retryAfterErrorMs: number;
}

/** An event somebody watches: its streams and where its computation stands. */
interface Watched {
  sinks: Set<StreamSink>;
  /** Streams that have not had an object yet (they get the next one, changed or not). */
  waiting: Set<StreamSink>;
  /** A change came in since the last computation started (or there was none yet). */
  stale: boolean;
  running: boolean;
  timer?: NodeJS.Timeout;
  lastRunAt: number;
  /** The window after the last computation (widened when it was slow). */
  window: number;
  /** The object last sent, serialised, and its frame. */
  data?: string;
  frame?: string;
  seq: number;
}

/**
 * Sends each watched event's attendance to its open streams when it changes, coalesced: the first
 * change after a quiet window is computed at once, the changes arriving within `windowMs` of a
 * computation are folded into the next one; so at most one computation per event per window,
 * whatever the scan rate, and none for events nobody watches. Each result is serialised once and
 * the same frame written to every stream of the event; an object equal to the last one sent goes
 * only to streams that have had nothing yet.
 *
 * Plain class: no Nest, no database (the computation is passed in), timers are Node's.
 */
export class AttendanceBroadcaster {
  private readonly watched = new Map<string, Watched>();
  private closed = false;

  constructor(
    private readonly compute: (eventId: string) => Promise<unknown>,
    private readonly onError: (eventId: string, error: unknown) => void,
    private readonly options: BroadcasterOptions = { windowMs: 250, retryAfterErrorMs: 1000 },
  ) {}

  /** Opens a stream: it gets the current object at once (cached if nothing changed since). */
  subscribe(eventId: string, sink: StreamSink): () => void {
    if (this.closed) {
      sink.close();
      return () => undefined;
    }
    let w = this.watched.get(eventId);
    if (!w) {
      w = {
        sinks: new Set(),
        waiting: new Set(),
        stale: true,
        running: false,
        lastRunAt: 0,
        window: this.options.windowMs,
        seq: 0,
      };
      this.watched.set(eventId, w);
    }
    w.sinks.add(sink);
    if (w.frame !== undefined && !w.stale && !w.running) {
      sink.send(w.frame); // nothing changed since it was computed
    } else {
      // A computation under way, or one to come, sends it the object.
      w.waiting.add(sink);
      this.schedule(eventId, w);
    }
    return () => this.unsubscribe(eventId, sink);
  }

  /** An event's attendance changed (a committed write was signalled). */
  changed(eventId: string): void {
    const w = this.watched.get(eventId);
    if (!w) return; // nobody watches it
    w.stale = true;
    this.schedule(eventId, w);
  }

  /** Changes may have been missed (the listener reconnected): every watched event is recomputed. */
  changedAll(): void {
    for (const eventId of this.watched.keys()) this.changed(eventId);
  }

  /** Writes a keep-alive comment to every open stream. */
  keepAlive(): void {
    for (const w of this.watched.values()) for (const sink of w.sinks) sink.keepAlive();
  }

  /** Ends every stream and stops all work (shutdown). */
  closeAll(): void {
    this.closed = true;
    for (const w of this.watched.values()) {
      clearTimeout(w.timer);
      for (const sink of w.sinks) sink.close();
    }
    this.watched.clear();
  }

  /** How many streams are open, over how many events. */
  get size(): { streams: number; events: number } {
    let streams = 0;
    for (const w of this.watched.values()) streams += w.sinks.size;
    return { streams, events: this.watched.size };
  }

  private unsubscribe(eventId: string, sink: StreamSink): void {
    const w = this.watched.get(eventId);
    if (!w || !w.sinks.delete(sink)) return;
    w.waiting.delete(sink);
    if (w.sinks.size === 0) {
      clearTimeout(w.timer);
      this.watched.delete(eventId);
    }
  }

  private schedule(eventId: string, w: Watched): void {
    if (w.running || w.timer) return; // the running one reschedules when it ends
    const delay = Math.max(0, w.lastRunAt + w.window - Date.now());
    w.timer = setTimeout(() => {
      w.timer = undefined;
      void this.run(eventId, w);
    }, delay);
  }

  private async run(eventId: string, w: Watched): Promise<void> {
    if (this.watched.get(eventId) !== w) return; // everyone left
    w.running = true;
    w.stale = false;
    w.lastRunAt = Date.now();
    try {
      const data = JSON.stringify(await this.compute(eventId));
      const { windowMs, slowFactor = 4, maxWindowMs = 1000 } = this.options;
      w.window = Math.max(windowMs, Math.min(maxWindowMs, (Date.now() - w.lastRunAt) * slowFactor));
      if (this.watched.get(eventId) !== w) return;
      if (data !== w.data) {
        w.seq += 1;
        w.data = data;
        w.frame = `id: ${w.seq}\ndata: ${data}\n\n`;
        for (const sink of w.sinks) sink.send(w.frame);
      } else {
        for (const sink of w.waiting) sink.send(w.frame!);
      }
      w.waiting.clear();
    } catch (error) {
      if (this.watched.get(eventId) !== w) return;
      this.onError(eventId, error);
      w.stale = true;
      w.timer = setTimeout(() => {
        w.timer = undefined;
        void this.run(eventId, w);
      }, this.options.retryAfterErrorMs);
    } finally {
      w.running = false;
      if (w.stale && this.watched.get(eventId) === w) this.schedule(eventId, w);
    }
  }
}
