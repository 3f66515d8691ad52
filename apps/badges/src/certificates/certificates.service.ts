import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import {
  ConflictException,
  GoneException,
  Injectable,
  NotFoundException,
  StreamableFile,
} from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { Principal } from '@einlass/auth';
import { BadgeEvent } from '../events/badge-event.entity';
import { fileJobView } from '../file-jobs/file-job-rules';
import { FileJobs } from '../file-jobs/file-jobs';
import { Badge } from '../issuing/badge.entity';
import { CertificateAttendance } from './certificate-attendance';
import type { CertificateCheck, CertificateJobView } from '@einlass/contracts';
import { CertificateIssuer } from './certificate-issuer';
import { CertificateJob } from './certificate-job.entity';
import {
  CERTIFICATE_JOB_KIND,
  CERTIFICATE_JOBS_QUEUE,
  type CertificateJobMessage,
} from './certificate-queue';
import { CertificateRenderer } from './certificate-renderer';
import type { CertificateOptionsDto, CreateCertificateJobDto } from './certificate-options.dto';

@Injectable()
export class CertificatesService {
  private readonly renderer = new CertificateRenderer();
  private readonly jobs: FileJobs<CertificateJob, CertificateJobMessage>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly issuer: CertificateIssuer,
    @InjectQueue(CERTIFICATE_JOBS_QUEUE) queue: Queue<CertificateJobMessage>,
  ) {
    this.jobs = new FileJobs(dataSource, queue, CERTIFICATE_JOB_KIND);
  }

  /** One person's certificate, issued (or issued again) now, as a PDF. */
  async forPerson(
    slug: string,
    attendeeId: string,
    asked: CertificateOptionsDto,
  ): Promise<{ pdf: Buffer; eventId: string; sessions: number }> {
    const event = await this.event(slug);
    const badge = await this.dataSource
      .getRepository(Badge)
      .findOneBy({ id: attendeeId, eventId: event.id });
    if (!badge) throw new NotFoundException(`No attendee ${attendeeId} in event "${slug}"`);
    if (badge.erasedAt) throw new GoneException('This person’s data was erased');
    const admissions = await CertificateAttendance.admissions(this.dataSource.manager, event.id, [
      attendeeId,
    ]);
    if (!admissions.has(attendeeId)) {
      throw new ConflictException(
        'This person was never admitted at the event (entrance or session): no certificate',
      );
    }
    const [content] = await this.dataSource.transaction(async (manager) =>
      this.issuer.issue(
        manager,
        event,
        [attendeeId],
        await this.issuer.options(manager, event.id, asked),
      ),
    );
    return {
      pdf: await this.renderer.renderOne(content),
      eventId: event.id,
      sessions: content.sessions.length,
    };
  }

  /** Records a job for everyone admitted and queues it; a 409 when nobody was admitted yet. */
  async createJob(slug: string, asked: CreateCertificateJobDto): Promise<CertificateJob> {
    const event = await this.event(slug);
    const attendees = await CertificateAttendance.attendees(this.dataSource.manager, event.id);
    if (attendees.length === 0) {
      throw new ConflictException(
        'Nobody was admitted at this event yet (entrance or session): no certificates to issue',
      );
    }
    const options = await this.issuer.options(this.dataSource.manager, event.id, asked);
    const job = this.jobs.rows.create({
      id: randomUUID(),
      eventId: event.id,
      format: asked.format ?? 'pdf',
      ...options,
      status: 'queued',
      done: 0,
      total: attendees.length,
    });
    await this.jobs.rows.insert(job);
    await this.jobs.enqueue(job.id);
    return job;
  }

  async listJobs(slug: string): Promise<CertificateJobView[]> {
    const event = await this.event(slug);
    return (await this.jobs.list(event.id, 50)).map(jobView);
  }

  async viewJob(id: string, caller: Principal): Promise<CertificateJobView> {
    return jobView(await this.jobs.find(id, caller));
  }

  async jobFile(
    id: string,
    caller: Principal,
  ): Promise<{ file: StreamableFile; job: CertificateJob }> {
    const job = await this.jobs.find(id, caller);
    const file = await this.jobs.file(job, {
      type: job.format === 'zip' ? 'application/zip' : 'application/pdf',
      disposition: `attachment; filename="certificates-${job.id}.${job.format}"`,
    });
    return { job, file };
  }

  check(code: string): Promise<CertificateCheck> {
    return this.issuer.check(this.dataSource.manager, code);
  }

  private async event(slug: string): Promise<BadgeEvent> {
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    return event;
  }
}

function jobView(job: CertificateJob): CertificateJobView {
  return fileJobView(job, { format: job.format, language: job.language, rule: job.rule });
}
