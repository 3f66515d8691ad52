import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { QueueKeys } from 'bullmq';
import Redis from 'ioredis';
import type { EventEnvelope, QueueName } from '@einlass/contracts';
import { redisOptionsFromUrl } from './redis-connection';

/** A message whose copies in Redis must no longer hold what it held (see redactOutbox). */
export interface MessageCopies {
  /** The job ids its copies may have (a message republished after a loss of Redis has several). */
  jobIds: string[];
  /** A replay batch (REPLAY_BATCH_JOB) that holds the message among others, if any. */
  batchJobId?: string | null;
  queues: QueueName[];
  envelope: EventEnvelope;
}

/** Copies removed by one script: Redis runs it at once, so it stays short for the other clients. */
const CHUNK = 1000;
/** Jobs still waiting or running that one script rewrites (each with its data). */
const REWRITE_CHUNK = 200;

/**
 * Removes each of the given jobs (ARGV[2..]) of one queue (key prefix ARGV[1]) that BullMQ keeps
 * as completed or failed: its entry in that set, its hash and its log. A finished job holds no
 * lock and goes back to no other state by itself, so this is what BullMQ's own removeJob does for
 * it, for a thousand jobs in one call rather than one round trip each (an event's erasure meets
 * 100,000 such copies). Answers the ids that were not finished (waiting, running, or gone).
 */
const REMOVE_FINISHED = `
local base = ARGV[1]
local left = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  if redis.call('ZREM', base .. 'completed', id) == 1 or redis.call('ZREM', base .. 'failed', id) == 1 then
    redis.call('DEL', base .. id, base .. id .. ':logs')
  else
    left[#left + 1] = id
  end
end
return left`;

/**
 * Gives each of the given jobs that still exists (ARGV[2], ARGV[4], …; key prefix ARGV[1]) the
 * data that follows its id (ARGV[3], …): what BullMQ's updateData does, for many jobs at once.
 * Answers how many existed.
 */
const REWRITE_DATA = `
local base = ARGV[1]
local rewritten = 0
for i = 2, #ARGV - 1, 2 do
  if redis.call('EXISTS', base .. ARGV[i]) == 1 then
    redis.call('HSET', base .. ARGV[i], 'data', ARGV[i + 1])
    rewritten = rewritten + 1
  end
end
return rewritten`;

type WithScripts = Redis & {
  removeFinished(base: string, ...jobIds: string[]): Promise<string[]>;
  rewriteData(base: string, ...idsAndData: string[]): Promise<number>;
};

/**
 * The copies of outbox messages that BullMQ keeps in Redis (completed jobs stay a day, failed ones
 * a week). After an erasure each is removed when it is done with, and given the redacted data when
 * it still waits or runs, so its consumer still gets the message, without the personal data.
 * Removing twice is harmless: an erasure that was interrupted scrubs again.
 */
export class QueuedCopies implements OnApplicationShutdown {
  private readonly logger = new Logger(QueuedCopies.name);
  private readonly keys: QueueKeys;
  private client?: WithScripts;

  constructor(
    private readonly redisUrl: string,
    prefix: string,
  ) {
    this.keys = new QueueKeys(prefix);
  }

  async onApplicationShutdown(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.quit().catch(() => client.disconnect());
  }

  async scrub(
    messages: MessageCopies[],
    options: { quiet?: boolean } = {},
  ): Promise<{ removed: number; rewritten: number }> {
    const counts = { removed: 0, rewritten: 0 };
    if (messages.length === 0) return counts;
    const byQueue = new Map<QueueName, { jobId: string; envelope: EventEnvelope }[]>();
    for (const { jobIds, queues, envelope } of messages) {
      for (const queue of queues) {
        const list = byQueue.get(queue) ?? [];
        for (const jobId of jobIds) list.push({ jobId, envelope });
        byQueue.set(queue, list);
      }
    }
    const client = this.redis();
    for (const [queue, copies] of byQueue) {
      const base = this.keys.getKeys(queue)[''];
      const unfinished = new Set<string>();
      for (let i = 0; i < copies.length; i += CHUNK) {
        const chunk = copies.slice(i, i + CHUNK).map((copy) => copy.jobId);
        const left = await client.removeFinished(base, ...chunk);
        counts.removed += chunk.length - left.length;
        for (const id of left) unfinished.add(id);
      }
      if (unfinished.size > 0) {
        counts.rewritten += await this.rewrite(
          base,
          copies.filter((copy) => unfinished.has(copy.jobId)),
        );
      }
    }
    counts.rewritten += await this.rewriteInBatches(messages);
    if (!options.quiet) this.logger.log(counts, 'Queued copies of erased data scrubbed');
    return counts;
  }

  /**
   * Replay batches holding erased messages: each batch still in Redis (waiting, running, or
   * failed; completed ones are removed at once) gets the redacted messages in place of the old
   * ones and keeps the others, so none of its messages is lost. Read, changed and written back
   * under WATCH (on a connection of its own), so two erasures touching one batch at once, or its
   * worker finishing it meanwhile, never write over each other.
   */
  private async rewriteInBatches(messages: MessageCopies[]): Promise<number> {
    const batches = new Map<string, { key: string; redacted: Map<string, EventEnvelope> }>();
    for (const message of messages) {
      if (!message.batchJobId) continue;
      for (const queue of message.queues) {
        const key = `${this.keys.getKeys(queue)['']}${message.batchJobId}`;
        const batch = batches.get(key) ?? { key, redacted: new Map() };
        batch.redacted.set(message.envelope.messageId, message.envelope);
        batches.set(key, batch);
      }
    }
    if (batches.size === 0) return 0;
    const client = new Redis(redisOptionsFromUrl(this.redisUrl, { maxRetriesPerRequest: 2 }));
    client.on('error', () => undefined);
    let rewritten = 0;
    try {
      for (const { key, redacted } of batches.values()) {
        for (let attempt = 0; attempt < 5; attempt++) {
          await client.watch(key);
          const data = await client.hget(key, 'data');
          if (data === null) {
            await client.unwatch();
            break;
          }
          const batch = JSON.parse(data) as { messages: EventEnvelope[] };
          const changed = {
            ...batch,
            messages: batch.messages.map((m) => redacted.get(m.messageId) ?? m),
          };
          // null: the job changed or went meanwhile; look again.
          const done = await client.multi().hset(key, 'data', JSON.stringify(changed)).exec();
          if (done) {
            rewritten += 1;
            break;
          }
        }
      }
    } finally {
      client.disconnect();
    }
    return rewritten;
  }

  /**
   * Copies still waiting or running (or gone): each that is still there gets the redacted data,
   * so its consumer gets the message without the person's (one running this moment has read it
   * already; what BullMQ keeps of it once completed is the redacted data).
   */
  private async rewrite(
    base: string,
    copies: { jobId: string; envelope: EventEnvelope }[],
  ): Promise<number> {
    let rewritten = 0;
    for (let i = 0; i < copies.length; i += REWRITE_CHUNK) {
      const args = copies
        .slice(i, i + REWRITE_CHUNK)
        .flatMap(({ jobId, envelope }) => [jobId, JSON.stringify(envelope)]);
      rewritten += await this.redis().rewriteData(base, ...args);
    }
    return rewritten;
  }

  private redis(): WithScripts {
    if (!this.client) {
      // Fails (the erasure round is tried again later) rather than waits while Redis is away.
      const client = new Redis(
        redisOptionsFromUrl(this.redisUrl, { maxRetriesPerRequest: 2 }),
      ) as WithScripts;
      client.on('error', () => undefined);
      client.defineCommand('removeFinished', { numberOfKeys: 0, lua: REMOVE_FINISHED });
      client.defineCommand('rewriteData', { numberOfKeys: 0, lua: REWRITE_DATA });
      this.client = client;
    }
    return this.client;
  }
}
