import { createParser } from 'eventsource-parser';

/** One server-sent event, with when it arrived and on which connection (1, 2, …). */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
  receivedAt: number;
  connection: number;
}

export interface SseClientOptions {
  /** Sent as `Authorization: Bearer` (what the organisers' pages do; EventSource cannot). */
  token?: string;
  headers?: Record<string, string>;
  /** Reconnect after the stream ends or fails, as EventSource does, waiting the server's `retry:`. */
  reconnect?: boolean;
  /** Called with each message as it arrives. */
  onMessage?: (message: SseMessage) => void;
  /** Keep the messages (default); a benchmark with many streams may only count them. */
  keep?: boolean;
}

/**
 * A fetch-based `text/event-stream` client for tests and benchmarks: follows a stream, keeps every
 * message with its arrival time, and (optionally) reconnects like a browser's EventSource, sending
 * `Last-Event-ID`.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  /** The first response's status and headers, and its body when it was not a stream. */
  status?: number;
  headers?: Headers;
  errorBody?: string;
  /** Successful connections so far, and whether one is open now. */
  connections = 0;
  connected = false;
  retryMs = 2000;
  lastEventId?: string;
  private readonly abort = new AbortController();
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private finished?: Promise<void>;

  private constructor(
    readonly url: string,
    private readonly options: SseClientOptions,
  ) {}

  /** Opens the stream; resolves once the first response's headers are in (whatever the status). */
  static async open(url: string, options: SseClientOptions = {}): Promise<SseClient> {
    const client = new SseClient(url, options);
    await new Promise<void>((resolve) => {
      client.finished = client.run(resolve);
    });
    return client;
  }

  /** Waits for the first message (from index `from` on) that satisfies `predicate`. */
  async waitFor(
    predicate: (message: SseMessage) => boolean,
    { timeoutMs = 10_000, from = 0, description = 'a matching event' } = {},
  ): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for ${description} on ${this.url} (${this.messages.length} messages, last: ${this.messages.at(-1)?.data.slice(0, 200) ?? 'none'})`,
        );
      }
      await new Promise<void>((resolve) => {
        const waiter = () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        };
        const timer = setTimeout(waiter, left);
        this.waiters.add(waiter);
      });
    }
  }

  /** The next message after those received so far that satisfies `predicate` (any by default). */
  next(predicate: (message: SseMessage) => boolean = () => true, timeoutMs = 10_000) {
    return this.waitFor(predicate, { timeoutMs, from: this.messages.length });
  }

  /** The data of the last message, parsed. */
  last<T = any>(): T | undefined {
    const message = this.messages.at(-1);
    return message ? (JSON.parse(message.data) as T) : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    await this.finished;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async run(opened: () => void): Promise<void> {
    let first = true;
    while (!this.closed) {
      try {
        const response = await fetch(this.url, {
          headers: {
            accept: 'text/event-stream',
            ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
            ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}),
            ...this.options.headers,
          },
          signal: this.abort.signal,
        });
        if (first) {
          this.status = response.status;
          this.headers = response.headers;
        }
        const isStream = (response.headers.get('content-type') ?? '').startsWith(
          'text/event-stream',
        );
        if (!response.ok || !isStream || !response.body) {
          if (first) this.errorBody = await response.text();
          else await response.body?.cancel();
          if (first) opened();
          first = false;
          if (!this.options.reconnect || response.status < 500) return;
        } else {
          this.connections += 1;
          this.connected = true;
          if (first) opened();
          first = false;
          await this.read(response.body, this.connections);
        }
      } catch {
        // refused, reset or aborted: handled below like an ended stream
      } finally {
        this.connected = false;
        this.notify();
      }
      if (first) {
        first = false;
        opened();
      }
      if (!this.options.reconnect || this.closed) return;
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
  }

  private async read(body: ReadableStream<Uint8Array>, connection: number): Promise<void> {
    const parser = createParser({
      onEvent: (event) => {
        if (event.id !== undefined) this.lastEventId = event.id;
        const message = { ...event, receivedAt: Date.now(), connection };
        if (this.options.keep !== false) this.messages.push(message);
        this.options.onMessage?.(message);
        this.notify();
      },
      onRetry: (ms) => (this.retryMs = ms),
    });
    const decoder = new TextDecoder();
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
    }
  }
}
