import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { Environment } from '@einlass/config';
import { EventEnvelope, EventType, QueueName } from '@einlass/contracts';
import { EVENT_JOB_OPTIONS, redisOptionsFromUrl } from '@einlass/messaging';
import { outboxCommits } from './outbox';

const BATCH_SIZE = 500;

interface ClaimedRow {
  id: string;
  message_id: string;
  queues: QueueName[];
  type: EventType;
  payload: unknown;
  created_at: Date;
}

/**
 * Publishes outbox rows to BullMQ and marks them sent.
 *
 * - Rows are claimed with `FOR UPDATE SKIP LOCKED`, never "id > last sent" (sequence values commit
 *   out of order), so several replicas can relay side by side without skipping or doubling rows.
 * - The job id is the row's message id: a row re-published after a crash is recognised by BullMQ
 *   while the earlier job exists, and consumers are idempotent (inbox) for the rest.
 * - It wakes when this process commits an outbox write (milliseconds), and polls for the rest.
 * - When Redis is down, publishing fails fast, the rows stay unsent, and the next round retries.
 */
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues = new Map<QueueName, Queue>();
  private readonly onCommit = () => this.wake();
  private timer?: NodeJS.Timeout;
  private running = false;
  private rerun = false;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Environment, true>,
    /** The producing service: its schema, and the prefix of its job ids (`badges-<uuid>`). */
    private readonly origin: string,
  ) {}

  onApplicationBootstrap(): void {
    outboxCommits.on('committed', this.onCommit);
    this.schedule();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    outboxCommits.off('committed', this.onCommit);
    clearTimeout(this.timer);
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  /** Publish now (coalesces: a wake during a round runs one more round after it). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
      if (this.rerun && !this.stopped) {
        this.rerun = false;
        this.wake();
      }
    });
  }

  /** Publishes every unsent row; resolves when none is left or publishing failed. */
  private async drain(): Promise<void> {
    try {
      let published: number;
      do {
        published = await this.publishBatch();
      } while (published === BATCH_SIZE && !this.stopped);
      if (this.failing) {
        this.failing = false;
        this.logger.log('Outbox relay is publishing again');
      }
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          { err: error },
          'Outbox relay could not publish; the messages stay in the outbox and are retried',
        );
      }
    }
  }

  private async publishBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: ClaimedRow[] = await manager.query(
        `SELECT id, message_id, queues, type, payload, created_at FROM outbox
          WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH_SIZE],
      );
      if (rows.length === 0) return 0;
      const byQueue = new Map<QueueName, ClaimedRow[]>();
      for (const row of rows) {
        for (const queue of row.queues) {
          const list = byQueue.get(queue) ?? [];
          list.push(row);
          byQueue.set(queue, list);
        }
      }
      for (const [queueName, queued] of byQueue) {
        await this.queue(queueName).addBulk(
          queued.map((row) => {
            const messageId = `${this.origin}-${row.message_id}`;
            const data: EventEnvelope = {
              messageId,
              type: row.type,
              schemaVersion: 1,
              occurredAt: new Date(row.created_at).toISOString(),
              payload: row.payload as EventEnvelope['payload'],
            };
            return { name: row.type, data, opts: { ...EVENT_JOB_OPTIONS, jobId: messageId } };
          }),
        );
      }
      await manager.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`, [
        rows.map((row) => row.id),
      ]);
      this.logger.debug({ count: rows.length }, 'Outbox messages published');
      return rows.length;
    });
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        prefix: this.config.get('QUEUE_PREFIX', { infer: true }),
        connection: redisOptionsFromUrl(this.config.get('REDIS_URL', { infer: true }), {
          // Fail at once while Redis is down: the rows stay in the outbox for the next round.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
        }),
      });
      queue.on('error', () => undefined); // reported through failed rounds, not once per retry
      this.queues.set(name, queue);
    }
    return queue;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.wake();
        this.schedule();
      },
      this.config.get('OUTBOX_POLL_MS', { infer: true }),
    );
    this.timer.unref();
  }
}
