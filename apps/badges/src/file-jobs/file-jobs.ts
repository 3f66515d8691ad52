import { createReadStream } from 'node:fs';
import { NotFoundException, ServiceUnavailableException, StreamableFile } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { DataSource, FindOptionsOrder, FindOptionsWhere, Repository } from 'typeorm';
import { assertResourceEvent, type Principal } from '@einlass/auth';
import { BadgeEvent } from '../events/badge-event.entity';
import { fileJobOptions, type FileJobKind } from './file-job-kind';
import { readableFile } from './file-job-rules';
import type { FileJob } from './file-job.entity';

/** A file job that cannot succeed however often it is tried: the worker gives up at once. */
export class FileJobRejected extends Error {}

/**
 * The rows, queue and files of one kind of file job, as both kinds use them: queuing a recorded
 * job, finding one for a caller, listing an event's, handing out the file.
 * What each kind records and renders stays with it (print-jobs/, certificates/).
 */
export class FileJobs<Job extends FileJob, Message> {
  constructor(
    private readonly dataSource: DataSource,
    /** Untyped: BullMQ cannot infer job names of a generic message type. */
    private readonly queue: Queue,
    readonly kind: FileJobKind<Job, Message>,
  ) {}

  get rows(): Repository<Job> {
    return this.dataSource.getRepository(this.kind.entity);
  }

  /**
   * Queues a job whose row has committed (so the worker always finds it). Should Redis refuse,
   * the row says the job failed and the caller gets a 503; should the process die in between,
   * FileJobRecovery queues the job later.
   */
  async enqueue(id: string): Promise<void> {
    try {
      await this.queue.add(
        this.kind.queueJobName,
        this.kind.message(id),
        fileJobOptions(id, this.kind.attempts),
      );
    } catch (error) {
      const unavailable = `The ${this.kind.words.queue} is unavailable`;
      await this.dataSource.query(
        `UPDATE ${this.kind.table} SET status = 'failed', error = $2 WHERE id = $1`,
        [id, unavailable],
      );
      throw new ServiceUnavailableException(`${unavailable}; try again shortly`, { cause: error });
    }
  }

  /** The newest `limit` jobs of an event, newest first (index on event_id, created_at). */
  list(eventId: string, limit: number): Promise<Job[]> {
    return this.rows.find({
      where: { eventId } as FindOptionsWhere<Job>,
      order: { createdAt: 'DESC', id: 'DESC' } as FindOptionsOrder<Job>,
      take: limit,
    });
  }

  /** The job, if the caller may act on the job's own event (the URL names no event): else 404. */
  async find(id: string, caller: Principal): Promise<Job> {
    const job = await this.rows.findOneBy(this.byId(id));
    if (!job) throw new NotFoundException(`No ${this.kind.words.job} ${id}`);
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ id: job.eventId });
    assertResourceEvent(caller, event?.slug, `No ${this.kind.words.job} ${id}`);
    return job;
  }

  /**
   * The job's file, once it is done: 409 while it is not (or failed), 410 once an erasure deleted
   * it, 404 should the file have gone from the disk otherwise.
   */
  async file(job: Job, options: { type: string; disposition: string }): Promise<StreamableFile> {
    const stream = createReadStream(readableFile(job, this.kind.words));
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    }).catch(() => {
      throw new NotFoundException(`The file of this ${this.kind.words.fileOf} is no longer there`);
    });
    return new StreamableFile(stream, options);
  }

  private byId(id: string): FindOptionsWhere<Job> {
    return { id } as FindOptionsWhere<Job>;
  }
}
