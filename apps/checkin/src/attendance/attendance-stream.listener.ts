import { Logger } from '@nestjs/common';
import { Client, Notification } from 'pg';

export interface ListenerOptions {
  url: string;
  channel: string;
  /** First wait before reconnecting; doubled on each failed attempt, up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often an idle connection is checked with `SELECT 1` (a silently dead one is replaced). */
  pingMs?: number;
  /** At most one NOTIFY statement per this many ms; the events changed meanwhile go in the next. */
  publishEveryMs?: number;
}

export interface ListenerHandlers {
  /** A committed change of this event. */
  changed(eventId: string): void;
  /** (Re)connected: notifications sent while not listening are lost, treat everything as changed. */
  resync(): void;
}

/** The wait before reconnect attempt `attempt` (0, 1, …): exponential, capped, with jitter. */
export function backoffMs(
  attempt: number,
  min: number,
  max: number,
  random = Math.random(),
): number {
  const ceiling = Math.min(max, min * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/**
 * The process's one LISTEN connection: a dedicated PostgreSQL connection (not from the pool, which
 * would hand it to others) that hears the attendance signals of every check-in instance, and sends
 * this process's own (`publish`, after commit). When PostgreSQL drops it, it reconnects with
 * backoff, and after every (re)connect tells its handler to treat every event as changed, since
 * notifications sent meanwhile are gone.
 *
 * Sending: the events committed since the last NOTIFY go in one statement (PostgreSQL folds
 * repeats), at most one every `publishEveryMs`, on this connection with `synchronous_commit=off`:
 * a NOTIFY-only transaction has nothing to make durable, so it need not wait for a disk flush
 * while holding PostgreSQL's notify lock. Events to send while disconnected wait for the reconnect.
 */
export class AttendanceChangeListener {
  private readonly logger = new Logger(AttendanceChangeListener.name);
  private client?: Client;
  private attempt = 0;
  private retryTimer?: NodeJS.Timeout;
  private pingTimer?: NodeJS.Timeout;
  private stopped = false;
  private isListening = false;
  private readonly outgoing = new Set<string>();
  private publishTimer?: NodeJS.Timeout;
  private publishing = false;
  private lastPublishAt = 0;

  constructor(
    private readonly options: ListenerOptions,
    private readonly handlers: ListenerHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  /** Tells every instance (this one included) that an event's attendance changed. */
  publish(eventIds: Iterable<string>): void {
    for (const id of eventIds) this.outgoing.add(id);
    this.schedulePublish();
  }

  async stop(): Promise<void> {
    clearTimeout(this.publishTimer);
    this.publishTimer = undefined;
    if (this.outgoing.size > 0 && !this.publishing) await this.sendPublished(); // the last ones
    this.stopped = true;
    clearTimeout(this.publishTimer);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const client = this.client;
    this.client = undefined;
    this.isListening = false;
    await client?.end().catch(() => undefined);
  }

  /** Whether the LISTEN is in place right now. */
  get listening(): boolean {
    return this.isListening;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.options.url,
      application_name: 'einlass-checkin-listen',
      keepAlive: true,
      options: '-c synchronous_commit=off',
    });
    this.client = client;
    client.on('notification', (message: Notification) => {
      if (message.channel === this.options.channel && message.payload) {
        this.handlers.changed(message.payload);
      }
    });
    client.on('error', (error: Error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.options.channel)}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.client !== client) return; // stopped or lost meanwhile
    const reconnected = this.attempt > 0;
    this.attempt = 0;
    this.isListening = true;
    this.logger.log(
      { channel: this.options.channel, reconnected },
      'Listening for attendance changes',
    );
    this.handlers.resync();
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => void this.ping(client), this.options.pingMs ?? 30_000);
    this.pingTimer.unref();
    this.schedulePublish();
  }

  private schedulePublish(): void {
    if (
      this.stopped ||
      this.publishTimer ||
      this.publishing ||
      !this.isListening ||
      this.outgoing.size === 0
    ) {
      return; // a running NOTIFY schedules the next; a reconnect sends what waits
    }
    const every = this.options.publishEveryMs ?? 25;
    const delay = Math.max(0, this.lastPublishAt + every - Date.now());
    this.publishTimer = setTimeout(() => {
      this.publishTimer = undefined;
      void this.sendPublished();
    }, delay);
  }

  private async sendPublished(): Promise<void> {
    const client = this.client;
    if (!client || !this.isListening || this.outgoing.size === 0) return;
    const eventIds = [...this.outgoing];
    this.outgoing.clear();
    this.publishing = true;
    this.lastPublishAt = Date.now();
    try {
      await client.query(`SELECT pg_notify($1, id) FROM unnest($2::text[]) AS id`, [
        this.options.channel,
        eventIds,
      ]);
    } catch {
      // The connection failed (it reconnects through `lost`): send these with the next ones.
      for (const id of eventIds) this.outgoing.add(id);
    } finally {
      this.publishing = false;
      this.schedulePublish();
    }
  }

  private async ping(client: Client): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer to SELECT 1 within 10 s')), 10_000);
        }),
      ]);
    } catch (error) {
      this.lost(client, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The connection failed or ended: drop it and try again later (once per connection). */
  private lost(client: Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.isListening = false;
    clearInterval(this.pingTimer);
    clearTimeout(this.publishTimer);
    this.publishTimer = undefined;
    client.removeAllListeners('notification');
    client.on('error', () => undefined); // late errors of a connection given up
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    const delay = backoffMs(
      this.attempt,
      this.options.minBackoffMs ?? 250,
      this.options.maxBackoffMs ?? 10_000,
    );
    this.attempt += 1;
    this.logger.warn(
      { err: error, attempt: this.attempt, retryInMs: delay },
      'Lost the attendance LISTEN connection; reconnecting',
    );
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}
