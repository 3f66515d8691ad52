import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import type { EventEnvelope, QueueName } from '@einlass/contracts';
import { redisOptionsFromUrl } from './redis-connection';

/** A message whose copies in Redis must no longer hold what it held (see redactOutbox). */
export interface MessageCopies {
  jobId: string;
  /** The job is a replay batch (REPLAY_BATCH_JOB) holding this message among others. */
  batched?: boolean;
  queues: QueueName[];
  envelope: EventEnvelope;
}

/** Jobs handled at once: enough to keep Redis busy, few enough not to stall other clients. */
const PARALLEL = 200;
/** Copies whose state is looked up in one pipeline. */
const CHUNK = 5000;

/**
 * The copies of outbox messages that BullMQ keeps in Redis (completed jobs stay a day, failed ones
 * a week). After an erasure each is removed when it is done with, and given the redacted data when
 * it still waits or runs, so its consumer still gets the message, without the personal data.
 */
export class QueuedCopies {
  private readonly logger = new Logger(QueuedCopies.name);

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {}

  async scrub(messages: MessageCopies[]): Promise<{ removed: number; rewritten: number }> {
    const counts = { removed: 0, rewritten: 0 };
    if (messages.length === 0) return counts;
    const queues = new Map<QueueName, Queue>();
    const queue = (name: QueueName) => {
      let found = queues.get(name);
      if (!found) {
        found = new Queue(name, {
          connection: redisOptionsFromUrl(this.redisUrl),
          prefix: this.prefix,
        });
        found.on('error', () => undefined);
        queues.set(name, found);
      }
      return found;
    };
    const copies = messages
      .filter((message) => !message.batched)
      .flatMap((message) => message.queues.map((name) => ({ queue: name, message })));
    const redis = new Redis(redisOptionsFromUrl(this.redisUrl));
    redis.on('error', () => undefined);
    try {
      for (let i = 0; i < copies.length; i += CHUNK) {
        const chunk = copies.slice(i, i + CHUNK);
        const finished = await this.finished(
          redis,
          chunk.map((copy) => ({ ...copy, queue: queue(copy.queue) })),
        );
        for (let j = 0; j < chunk.length; j += PARALLEL) {
          await Promise.all(
            chunk.slice(j, j + PARALLEL).map(async ({ queue: name, message }, k) => {
              const q = queue(name);
              // Done with (completed or failed): removed. A job locked by a worker this moment
              // cannot be removed; like one still waiting, it gets the redacted data instead.
              if (finished[j + k] && (await q.remove(message.jobId)) === 1) {
                counts.removed += 1;
                return;
              }
              const job = await q.getJob(message.jobId);
              if (!job) return;
              // Gone in between (completed and removed by age): nothing is left to scrub.
              await job.updateData(message.envelope).then(
                () => (counts.rewritten += 1),
                () => undefined,
              );
            }),
          );
        }
      }
      counts.rewritten += await this.scrubBatches(
        messages.filter((message) => message.batched),
        queue,
      );
    } finally {
      redis.disconnect();
      await Promise.all([...queues.values()].map((q) => q.close()));
    }
    this.logger.log(counts, 'Queued copies of erased data scrubbed');
    return counts;
  }

  /**
   * Replay batches holding erased messages: each batch still in Redis (waiting, running, or failed;
   * completed ones are removed at once) gets the redacted messages in place of the old ones, and
   * keeps the others, so none of its messages is lost.
   */
  private async scrubBatches(
    messages: MessageCopies[],
    queue: (name: QueueName) => Queue,
  ): Promise<number> {
    const batches = new Map<
      string,
      { queue: QueueName; jobId: string; redacted: Map<string, EventEnvelope> }
    >();
    for (const message of messages) {
      for (const name of message.queues) {
        const key = `${name}\u0000${message.jobId}`;
        const batch = batches.get(key) ?? {
          queue: name,
          jobId: message.jobId,
          redacted: new Map(),
        };
        batch.redacted.set(message.envelope.messageId, message.envelope);
        batches.set(key, batch);
      }
    }
    let rewritten = 0;
    for (const batch of batches.values()) {
      const job = await queue(batch.queue).getJob(batch.jobId);
      if (!job) continue;
      const data = job.data as { messages: EventEnvelope[] };
      const messagesNow = data.messages.map(
        (message) => batch.redacted.get(message.messageId) ?? message,
      );
      await job.updateData({ ...data, messages: messagesNow }).then(
        () => (rewritten += 1),
        () => undefined,
      );
    }
    return rewritten;
  }

  /** Which copies BullMQ keeps as completed or failed: one pipeline of ZSCOREs on its sets. */
  private async finished(
    client: Redis,
    copies: { queue: Queue; message: MessageCopies }[],
  ): Promise<boolean[]> {
    if (copies.length === 0) return [];
    const pipeline = client.pipeline();
    for (const { queue, message } of copies) {
      pipeline.zscore(queue.keys.completed, message.jobId);
      pipeline.zscore(queue.keys.failed, message.jobId);
    }
    const answers = (await pipeline.exec()) ?? [];
    return copies.map((_, i) => answers[2 * i]?.[1] != null || answers[2 * i + 1]?.[1] != null);
  }
}
