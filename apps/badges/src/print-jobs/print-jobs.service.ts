import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import {
  BadRequestException,
  ConflictException,
  GoneException,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
  StreamableFile,
} from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { assertResourceEvent, type Principal } from '@einlass/auth';
import { BadgeEvent } from '../events/badge-event.entity';
import { countSelection } from './badge-selection';
import type { CreatePrintJobDto } from './create-print-job.dto';
import { PrintJob, type PrintFilter } from './print-job.entity';
import { printJobOptions, PRINT_JOBS_QUEUE, type PrintJobMessage } from './print-queue';

/** The API's view of a print job. */
export interface PrintJobView {
  id: string;
  status: PrintJob['status'];
  done: number;
  total: number;
  layout: PrintJob['layout'];
  sort: PrintJob['sort'];
  /** What was asked for printing, as sent ({} for every issued badge). */
  filter: PrintFilter;
  createdAt: string;
  finishedAt: string | null;
  error?: string;
}

@Injectable()
export class PrintJobsService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(PRINT_JOBS_QUEUE) private readonly queue: Queue<PrintJobMessage>,
  ) {}

  /**
   * Checks that the selection prints something, records the job and queues it. The row commits
   * first, so the worker always finds it; should Redis refuse the job, the row says it failed.
   * Should the process die between the two, PrintJobRecovery queues the job later.
   */
  async create(slug: string, request: CreatePrintJobDto): Promise<{ id: string }> {
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    const filter: PrintFilter = { ...request.filter };
    const total = await countSelection(this.dataSource.manager, event.id, filter);
    if (total === 0) {
      const narrowed = Object.keys(filter).length > 0;
      throw new BadRequestException(
        narrowed
          ? 'Nothing to print: no issued badge of this event matches the filter'
          : 'Nothing to print: this event has no issued badges yet',
      );
    }
    const id = randomUUID();
    await this.dataSource.getRepository(PrintJob).insert({
      id,
      eventId: event.id,
      filter,
      sort: request.sort ?? 'lastName',
      layout: request.layout ?? 'a4-4up',
      status: 'queued',
      done: 0,
      total,
    });
    try {
      await this.queue.add('print', { printJobId: id }, printJobOptions(id));
    } catch (error) {
      await this.dataSource
        .getRepository(PrintJob)
        .update({ id }, { status: 'failed', error: 'The print queue is unavailable' });
      throw new ServiceUnavailableException('The print queue is unavailable; try again shortly', {
        cause: error,
      });
    }
    return { id };
  }

  /** The newest `limit` print jobs of an event, newest first (index on event_id, created_at). */
  async list(slug: string, limit: number): Promise<PrintJobView[]> {
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    const jobs = await this.dataSource.getRepository(PrintJob).find({
      where: { eventId: event.id },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
    return jobs.map(printJobView);
  }

  async view(id: string, caller: Principal): Promise<PrintJobView> {
    return printJobView(await this.find(id, caller));
  }

  async file(id: string, caller: Principal): Promise<StreamableFile> {
    const job = await this.find(id, caller);
    if (job.status === 'failed') {
      throw new ConflictException(`The print job failed: ${job.error ?? 'unknown error'}`);
    }
    if (job.fileErasedAt) {
      throw new GoneException(
        'The file of this print job was deleted when personal data in it was erased',
      );
    }
    if (job.status !== 'done' || !job.filePath) {
      throw new ConflictException(
        `The print job is ${job.status} (${job.done} of ${job.total} badges); the file is there once it is done`,
      );
    }
    const stream = createReadStream(job.filePath);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    }).catch(() => {
      throw new NotFoundException('The file of this print job is no longer there');
    });
    return new StreamableFile(stream, {
      type: 'application/pdf',
      disposition: `attachment; filename="badges-${job.id}.pdf"`,
    });
  }

  /** The job, if the caller may act on the job's own event (the URL names no event). */
  private async find(id: string, caller: Principal): Promise<PrintJob> {
    const job = await this.dataSource.getRepository(PrintJob).findOneBy({ id });
    if (!job) throw new NotFoundException(`No print job ${id}`);
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ id: job.eventId });
    assertResourceEvent(caller, event?.slug, `No print job ${id}`);
    return job;
  }
}

function printJobView(job: PrintJob): PrintJobView {
  return {
    id: job.id,
    status: job.status,
    done: job.done,
    total: job.total,
    layout: job.layout,
    sort: job.sort,
    filter: job.filter,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    ...(job.error && job.status !== 'done' ? { error: job.error } : {}),
  };
}
