import type { ServerResponse } from 'node:http';
import type { StreamSink } from './attendance-stream.broadcaster';

/** How long a client waits before reconnecting after the stream broke (the SSE `retry:` field). */
export const RECONNECT_MS = 2000;

/**
 * A `text/event-stream` response written straight to Node's response (the request hijacked from
 * Fastify). A client too slow to take the frames does not make the process buffer them: while the
 * socket is full only the newest object is kept and written when it drains (every frame is a whole
 * object, so skipping one loses nothing).
 */
export class SseConnection implements StreamSink {
  private pending?: string;
  private ended = false;

  /** `headers`: those already set for the reply (CORS); the stream's own are added. */
  constructor(
    private readonly response: ServerResponse,
    headers: Record<string, string | number | string[] | undefined>,
  ) {
    const set = Object.entries(headers).filter(([, value]) => value !== undefined);
    response.writeHead(200, {
      ...(Object.fromEntries(set) as Record<string, string | number | string[]>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    // Sent at once, so the client knows it is connected before the first object.
    response.write(`retry: ${RECONNECT_MS}\n\n`);
    response.on('drain', () => {
      const frame = this.pending;
      this.pending = undefined;
      if (frame !== undefined && !this.ended) response.write(frame);
    });
    response.on('close', () => (this.ended = true));
  }

  send(frame: string): void {
    if (this.ended) return;
    if (this.response.writableNeedDrain) this.pending = frame;
    else this.response.write(frame);
  }

  keepAlive(): void {
    if (!this.ended && !this.response.writableNeedDrain) this.response.write(': keep-alive\n\n');
  }

  /**
   * Ends the stream and its connection: a connection left open for keep-alive would hold up the
   * server's close, which waits for every connection that was busy when it began.
   */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.response.end(() => this.response.socket?.destroy());
  }

  /** Calls `listener` once when the client goes away or the stream is closed. */
  onClose(listener: () => void): void {
    this.response.once('close', listener);
  }
}
