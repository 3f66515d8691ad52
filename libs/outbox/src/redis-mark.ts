/**
 * How a producer tells that Redis lost what it held (pure logic; the relay does the I/O).
 *
 * Each producing service has a counter in Redis, its *mark* (`<prefix>:redis-mark:<service>`).
 * After every batch it publishes, the relay increments the mark and records the value it got in
 * its own database (table `redis_mark`), in the transaction that marks the batch sent. Redis
 * applies (and replicates, and persists) writes in order, so if Redis later loses any of those
 * jobs, it loses the increment that followed them too: the next increment then answers a value
 * no greater than the one recorded. That is the signal, whatever the cause (restarted without its
 * append-only file, a failover to a replica that had not caught up, a flush):
 *
 *   recorded | next INCR answers | judgement
 *   ---------+-------------------+-------------------------------------------------------------
 *   none     | any               | `first`: this Redis is new to the service; adopt its mark
 *   n        | > n               | `held`: everything published before is still there
 *   n        | <= n              | `lost`: republish what was sent since `confirmed_before`
 *
 * `confirmed_before` is the point Redis is known to have *delivered* everything: every message
 * sent before it was processed by its consumer (the queues were found empty after it, and the
 * mark held), so losing Redis afterwards cannot lose it.
 */
export type MarkJudgement = 'first' | 'held' | 'lost';

export function judgeMark(recorded: number | null, observed: number): MarkJudgement {
  if (recorded === null) return 'first';
  return observed > recorded ? 'held' : 'lost';
}

/** The Redis key of a producer's mark. */
export function markKey(prefix: string, origin: string): string {
  return `${prefix}:redis-mark:${origin}`;
}

/**
 * The BullMQ job id of an outbox row. A republished row gets a new job id (`…-r1`, `…-r2`), so
 * BullMQ never drops it as a duplicate of a job Redis still partly holds (a completed job kept by
 * `removeOnComplete`, or the hash of a job whose queue entry was lost); the envelope's message id
 * stays the same, so the consumer's inbox makes the repeat a no-op.
 */
export function jobIdFor(origin: string, messageId: string, republished: number): string {
  const id = `${origin}-${messageId}`;
  return republished > 0 ? `${id}-r${republished}` : id;
}

/** BullMQ job counts that mean a message is still on its way (not yet processed). */
export const PENDING_JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
] as const;

/**
 * Whether queues whose job counts are `counts` hold nothing still to be delivered: then every
 * message added before the counts were read has been processed. (Jobs failed for good do not hold
 * the point back: they need a person, and the reconciliation, either way.)
 */
export function nothingPending(counts: Record<string, number>[]): boolean {
  return counts.every((count) => PENDING_JOB_STATES.every((state) => (count[state] ?? 0) === 0));
}

/** Where a replay starts when a loss is found: the earlier of a replay still pending and the point. */
export function replayStart(confirmedBefore: Date, pendingFrom: Date | null): Date {
  return pendingFrom && pendingFrom < confirmedBefore ? pendingFrom : confirmedBefore;
}
