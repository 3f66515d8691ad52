import { EventEmitter } from 'node:events';
import type {
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

/**
 * The PostgreSQL channel on which check-in says "the attendance of this event changed"; the
 * payload is the event's id. Every check-in instance LISTENs on it.
 */
export const ATTENDANCE_CHANNEL = 'checkin_attendance';

const CHANGED = 'einlassAttendanceChanged';

/**
 * Notes, inside the transaction that writes what attendance is counted from (scans, presence,
 * attendees, sessions), that the event's attendance changes. No SQL: the signal is sent once the
 * transaction has committed (AttendanceCommitSubscriber), so listeners hear only committed changes.
 *
 * Why not `pg_notify` inside the transaction: PostgreSQL takes a global lock at the commit of every
 * transaction that notified and holds it until the commit is flushed, so notifying transactions
 * commit one at a time. Measured here (bench/attendance-stream.bench.ts, "bare write tx + NOTIFY"):
 * one-row write transactions at 2,000/s went from ~3 ms to ~1 s each (p50); at 500/s on a busy
 * moment, from ~10 ms to ~800 ms. The outbox avoids NOTIFY
 * for the same reason (libs/outbox/src/outbox.ts).
 */
export function markAttendanceChanged(manager: EntityManager, eventId: string): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    throw new Error('markAttendanceChanged needs the EntityManager of an open transaction');
  }
  changedIn(runner).add(eventId);
}

function changedIn(runner: QueryRunner): Set<string> {
  const data = runner.data as Record<string, Set<string> | undefined>;
  return (data[CHANGED] ??= new Set<string>());
}

/** Emits `changed` with the events whose attendance a committed write changed (in this process). */
export const attendanceCommits = new EventEmitter();

/**
 * For a statement that ran on its own, outside a transaction of TypeORM's (the AdmissionWriter's
 * online group): once it has run, the attendance of these events changed. Inside a transaction,
 * markAttendanceChanged.
 */
export function attendanceChanged(eventIds: string[]): void {
  if (eventIds.length > 0) attendanceCommits.emit('changed', eventIds);
}

/**
 * Announces the events a transaction marked (attendanceChanged) once it has committed;
 * forgets them when it rolls back. A crash between the commit and the signal loses the signal:
 * open streams then show that change with the next one (or on reconnecting). Registered on the
 * service's DataSource by AttendanceStreams, which listens to attendanceCommits.
 */
export class AttendanceCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return; // a savepoint released: not committed yet
    const data = event.queryRunner.data as Record<string, Set<string> | undefined>;
    const changed = data[CHANGED];
    if (changed && changed.size > 0) {
      data[CHANGED] = undefined;
      attendanceChanged([...changed]);
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    // Back to a savepoint: keep what was marked (a signal too many costs one computation).
    if (event.queryRunner.isTransactionActive) return;
    (event.queryRunner.data as Record<string, unknown>)[CHANGED] = undefined;
  }
}
