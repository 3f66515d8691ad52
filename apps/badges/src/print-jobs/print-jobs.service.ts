import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { BadRequestException, Injectable, NotFoundException, StreamableFile } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { FileJobView } from '@einlass/contracts';
import type { Principal } from '@einlass/auth';
import { BadgeEvent } from '../events/badge-event.entity';
import { fileJobView } from '../file-jobs/file-job-rules';
import { FileJobs } from '../file-jobs/file-jobs';
import { countSelection } from './badge-selection';
import type { CreatePrintJobDto } from './create-print-job.dto';
import { PrintJob, type PrintFilter } from './print-job.entity';
import { PRINT_JOB_KIND, PRINT_JOBS_QUEUE, type PrintJobMessage } from './print-queue';

/** The API's view of a print job. */
export interface PrintJobView extends FileJobView {
  layout: PrintJob['layout'];
  sort: PrintJob['sort'];
  /** What was asked for printing, as sent ({} for every issued badge). */
  filter: PrintFilter;
}

@Injectable()
export class PrintJobsService {
  private readonly jobs: FileJobs<PrintJob, PrintJobMessage>;

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(PRINT_JOBS_QUEUE) queue: Queue<PrintJobMessage>,
  ) {
    this.jobs = new FileJobs(dataSource, queue, PRINT_JOB_KIND);
  }

  /**
   * Checks that the selection prints something, records the job and queues it (FileJobs.enqueue:
   * the row commits first; should Redis refuse, the row says it failed).
   */
  async create(slug: string, request: CreatePrintJobDto): Promise<{ id: string }> {
    const event = await this.event(slug);
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
    await this.jobs.rows.insert({
      id,
      eventId: event.id,
      filter,
      sort: request.sort ?? 'lastName',
      layout: request.layout ?? 'a4-4up',
      status: 'queued',
      done: 0,
      total,
    });
    await this.jobs.enqueue(id);
    return { id };
  }

  /** The newest `limit` print jobs of an event, newest first. */
  async list(slug: string, limit: number): Promise<PrintJobView[]> {
    const event = await this.event(slug);
    return (await this.jobs.list(event.id, limit)).map(printJobView);
  }

  async view(id: string, caller: Principal): Promise<PrintJobView> {
    return printJobView(await this.jobs.find(id, caller));
  }

  async file(id: string, caller: Principal): Promise<StreamableFile> {
    const job = await this.jobs.find(id, caller);
    return this.jobs.file(job, {
      type: 'application/pdf',
      disposition: `attachment; filename="badges-${job.id}.pdf"`,
    });
  }

  private async event(slug: string): Promise<BadgeEvent> {
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    return event;
  }
}

function printJobView(job: PrintJob): PrintJobView {
  return fileJobView(job, { layout: job.layout, sort: job.sort, filter: job.filter });
}
