import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { Environment } from '@einlass/config';
import { AttendanceQuery } from './attendance.query';
import { AttendanceBroadcaster } from './attendance-stream.broadcaster';
import { AttendanceChangeListener } from './attendance-stream.listener';
import { ATTENDANCE_CHANNEL, AttendanceCommitSubscriber } from './attendance-stream.signal';
import type { SseConnection } from './attendance-stream.sse';

/** A comment on every stream this often, so proxies keep idle connections open. */
const KEEP_ALIVE_MS = 15_000;
/** At most one attendance computation per watched event in this window. */
const WINDOW_MS = 250;

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

  private readonly commits: AttendanceCommitSubscriber;

  constructor(
    attendance: AttendanceQuery,
    config: ConfigService<Environment, true>,
    private readonly dataSource: DataSource,
  ) {
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
    this.commits = new AttendanceCommitSubscriber((eventIds) => this.listener.publish(eventIds));
    dataSource.subscribers.push(this.commits);
  }

  onApplicationBootstrap(): void {
    this.listener.start();
    this.keepAliveTimer = setInterval(() => this.broadcaster.keepAlive(), KEEP_ALIVE_MS);
    this.keepAliveTimer.unref();
  }

  /** Ends every stream before the HTTP server closes, so shutdown does not wait for clients. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.keepAliveTimer);
    const { streams } = this.broadcaster.size;
    this.broadcaster.closeAll();
    if (streams > 0) this.logger.log({ streams }, 'Closed the attendance streams');
    const at = this.dataSource.subscribers.indexOf(this.commits);
    if (at >= 0) this.dataSource.subscribers.splice(at, 1);
    await this.listener.stop();
  }

  /** Streams an event's attendance to a connection until the client goes away. */
  open(eventId: string, connection: SseConnection): void {
    const unsubscribe = this.broadcaster.subscribe(eventId, connection);
    connection.onClose(unsubscribe);
  }

  /** Whether changes are being heard right now (the LISTEN connection is up). */
  get listening(): boolean {
    return this.listener.listening;
  }
}
