import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { EventEnvelope, QueueName } from '@einlass/contracts';
import { redisOptionsFromUrl } from './redis-connection';

/** A message whose copies in Redis must no longer hold what it held (see redactOutbox). */
export interface MessageCopies {
  jobId: string;
  queues: QueueName[];
  envelope: EventEnvelope;
}

/** Jobs looked up at once: enough to keep Redis busy, few enough not to stall other clients. */
const PARALLEL = 200;

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
    const copies = messages.flatMap((message) =>
      message.queues.map((name) => ({ queue: name, message })),
    );
    try {
      for (let i = 0; i < copies.length; i += PARALLEL) {
        await Promise.all(
          copies.slice(i, i + PARALLEL).map(async ({ queue: name, message }) => {
            const job = await queue(name).getJob(message.jobId);
            if (!job) return;
            const state = await job.getState();
            if (state === 'completed' || state === 'failed') {
              // A job locked by a worker this moment cannot be removed: it then gets the new data.
              const removed = await queue(name).remove(message.jobId);
              if (removed === 1) {
                counts.removed += 1;
                return;
              }
            }
            // Gone in between (completed and removed by age): nothing is left to scrub.
            await job.updateData(message.envelope).then(
              () => (counts.rewritten += 1),
              () => undefined,
            );
          }),
        );
      }
    } finally {
      await Promise.all([...queues.values()].map((q) => q.close()));
    }
    this.logger.log(counts, 'Queued copies of erased data scrubbed');
    return counts;
  }
}
