import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { TokenResolver } from '@einlass/auth';
import type { Environment } from '@einlass/config';
import { AttendanceQuery } from './attendance.query';
import { AttendanceBroadcaster } from './attendance-stream.broadcaster';
import { AttendanceChangeListener } from './attendance-stream.listener';
import {
  ATTENDANCE_CHANNEL,
  attendanceCommits,
  AttendanceCommitSubscriber,
} from './attendance-stream.signal';
import type { SseConnection } from './attendance-stream.sse';

/** A comment on every stream this often, so proxies keep idle connections open. */
const KEEP_ALIVE_MS = 15_000;
/** At most one attendance computation per watched event in this window. */
const WINDOW_MS = 250;
/**
 * How often the tokens of open streams are checked again: a revoked or expired token's streams
 * end within this plus the token cache (TOKEN_CHECK_CACHE_MS), inside the contract's 5 s.
 */
const TOKEN_RECHECK_MS = 1000;

/** Who holds a stream: the bearer token it was opened with. */
export interface StreamHolder {
  /** The token's identity for counting (its id, or the label of ORGANISER_TOKEN). */
  key: string;
  bearer: string;
}

/** 429 material: a token holding MAX_STREAMS_PER_TOKEN streams already. */
export class TooManyStreams extends Error {}

/**
 * The live attendance streams of this process. Transactions that change attendance mark it
 * (markAttendanceChanged); once they commit, this process NOTIFYs every instance over its one
 * LISTEN connection; each instance's broadcaster turns what it hears into at most one computation
 * per watched event and window, and every stream of the event gets the same frame.
 */
@Injectable()
export class AttendanceStreams implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AttendanceStreams.name);
  private readonly broadcaster: AttendanceBroadcaster;
  private readonly listener: AttendanceChangeListener;
  private keepAliveTimer?: NodeJS.Timeout;
  private recheckTimer?: NodeJS.Timeout;
  private readonly holders = new Map<SseConnection, StreamHolder>();
  private readonly perToken = new Map<string, number>();
  private readonly maxPerToken: number;

  private readonly commits: AttendanceCommitSubscriber;
  private readonly publish = (eventIds: string[]): void => this.listener.publish(eventIds);

  constructor(
    attendance: AttendanceQuery,
    config: ConfigService<Environment, true>,
    private readonly dataSource: DataSource,
    private readonly tokens: TokenResolver,
  ) {
    this.maxPerToken = config.get('MAX_STREAMS_PER_TOKEN', { infer: true });
    this.broadcaster = new AttendanceBroadcaster(
      (eventId) => attendance.forEvent(eventId),
      (eventId, error) =>
        this.logger.warn({ err: error, eventId }, 'Attendance for the live streams failed'),
      { windowMs: WINDOW_MS, retryAfterErrorMs: 1000 },
    );
    this.listener = new AttendanceChangeListener(
      { url: config.get('DATABASE_URL', { infer: true }), channel: ATTENDANCE_CHANNEL },
      {
        changed: (eventId) => this.broadcaster.changed(eventId),
        resync: () => this.broadcaster.changedAll(),
      },
    );
    this.commits = new AttendanceCommitSubscriber();
    dataSource.subscribers.push(this.commits);
    attendanceCommits.on('changed', this.publish);
  }

  onApplicationBootstrap(): void {
    this.listener.start();
    this.keepAliveTimer = setInterval(() => this.broadcaster.keepAlive(), KEEP_ALIVE_MS);
    this.keepAliveTimer.unref();
    this.recheckTimer = setInterval(() => void this.recheckTokens(), TOKEN_RECHECK_MS);
    this.recheckTimer.unref();
  }

  /** Ends every stream before the HTTP server closes, so shutdown does not wait for clients. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.keepAliveTimer);
    clearInterval(this.recheckTimer);
    const { streams } = this.broadcaster.size;
    this.broadcaster.closeAll();
    if (streams > 0) this.logger.log({ streams }, 'Closed the attendance streams');
    attendanceCommits.off('changed', this.publish);
    const at = this.dataSource.subscribers.indexOf(this.commits);
    if (at >= 0) this.dataSource.subscribers.splice(at, 1);
    await this.listener.stop();
  }

  /** Whether `key` may open another stream (MAX_STREAMS_PER_TOKEN per token and process). */
  mayOpen(key: string): boolean {
    return (this.perToken.get(key) ?? 0) < this.maxPerToken;
  }

  /**
   * Streams an event's attendance to a connection until the client goes away, or until its
   * token is revoked or expires (checked every second).
   */
  open(eventId: string, connection: SseConnection, holder: StreamHolder): void {
    const unsubscribe = this.broadcaster.subscribe(eventId, connection);
    this.holders.set(connection, holder);
    this.perToken.set(holder.key, (this.perToken.get(holder.key) ?? 0) + 1);
    connection.onClose(() => {
      unsubscribe();
      if (!this.holders.delete(connection)) return;
      const left = (this.perToken.get(holder.key) ?? 1) - 1;
      if (left > 0) this.perToken.set(holder.key, left);
      else this.perToken.delete(holder.key);
    });
  }

  /** Ends the streams of tokens no longer valid (each token looked up once). */
  private async recheckTokens(): Promise<void> {
    const byBearer = new Map<string, SseConnection[]>();
    for (const [connection, { bearer }] of this.holders) {
      byBearer.set(bearer, [...(byBearer.get(bearer) ?? []), connection]);
    }
    for (const [bearer, connections] of byBearer) {
      try {
        if (await this.tokens.resolve(bearer)) continue;
      } catch (error) {
        this.logger.warn({ err: error }, 'Could not check the token of a stream');
        continue;
      }
      this.logger.log(
        { streams: connections.length },
        'Token revoked or expired: closing its streams',
      );
      for (const connection of connections) connection.close();
    }
  }

  /** Whether changes are being heard right now (the LISTEN connection is up). */
  get listening(): boolean {
    return this.listener.listening;
  }
}
