import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import {
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
import { Badge } from '../issuing/badge.entity';
import { CertificateAttendance } from './certificate-attendance';
import type { CertificateCheck, CertificateJobView } from '@einlass/contracts';
import { CertificateIssuer } from './certificate-issuer';
import { CertificateJob } from './certificate-job.entity';
import {
  CERTIFICATE_JOBS_QUEUE,
  certificateJobOptions,
  type CertificateJobMessage,
} from './certificate-queue';
import { CertificateRenderer } from './certificate-renderer';
import type { CertificateOptionsDto, CreateCertificateJobDto } from './certificate-options.dto';

@Injectable()
export class CertificatesService {
  private readonly renderer = new CertificateRenderer();

  constructor(
    private readonly dataSource: DataSource,
    private readonly issuer: CertificateIssuer,
    @InjectQueue(CERTIFICATE_JOBS_QUEUE) private readonly queue: Queue<CertificateJobMessage>,
  ) {}

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
    const repository = this.dataSource.getRepository(CertificateJob);
    const job = repository.create({
      id: randomUUID(),
      eventId: event.id,
      format: asked.format ?? 'pdf',
      ...options,
      status: 'queued',
      done: 0,
      total: attendees.length,
    });
    await repository.insert(job);
    try {
      await this.queue.add(
        'certificates',
        { certificateJobId: job.id },
        certificateJobOptions(job.id),
      );
    } catch (error) {
      await repository.update(
        { id: job.id },
        { status: 'failed', error: 'The certificate queue is unavailable' },
      );
      throw new ServiceUnavailableException(
        'The certificate queue is unavailable; try again shortly',
        {
          cause: error,
        },
      );
    }
    return job;
  }

  async listJobs(slug: string): Promise<CertificateJobView[]> {
    const event = await this.event(slug);
    const jobs = await this.dataSource.getRepository(CertificateJob).find({
      where: { eventId: event.id },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: 50,
    });
    return jobs.map(jobView);
  }

  async viewJob(id: string, caller: Principal): Promise<CertificateJobView> {
    return jobView(await this.findJob(id, caller));
  }

  async jobFile(
    id: string,
    caller: Principal,
  ): Promise<{ file: StreamableFile; job: CertificateJob }> {
    const job = await this.findJob(id, caller);
    if (job.status === 'failed') {
      throw new ConflictException(`The certificate job failed: ${job.error ?? 'unknown error'}`);
    }
    if (job.fileErasedAt) {
      throw new GoneException(
        'The file of this job was deleted when personal data in it was erased',
      );
    }
    if (job.status !== 'done' || !job.filePath) {
      throw new ConflictException(
        `The certificate job is ${job.status} (${job.done} of ${job.total}); the file is there once it is done`,
      );
    }
    const stream = createReadStream(job.filePath);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    }).catch(() => {
      throw new NotFoundException('The file of this job is no longer there');
    });
    const type = job.format === 'zip' ? 'application/zip' : 'application/pdf';
    return {
      job,
      file: new StreamableFile(stream, {
        type,
        disposition: `attachment; filename="certificates-${job.id}.${job.format}"`,
      }),
    };
  }

  check(code: string): Promise<CertificateCheck> {
    return this.issuer.check(this.dataSource.manager, code);
  }

  private async event(slug: string): Promise<BadgeEvent> {
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    return event;
  }

  /** The job, if the caller may act on its event (the URL names none): else a 404. */
  private async findJob(id: string, caller: Principal): Promise<CertificateJob> {
    const job = await this.dataSource.getRepository(CertificateJob).findOneBy({ id });
    if (!job) throw new NotFoundException(`No certificate job ${id}`);
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ id: job.eventId });
    assertResourceEvent(caller, event?.slug, `No certificate job ${id}`);
    return job;
  }
}

function jobView(job: CertificateJob): CertificateJobView {
  return {
    id: job.id,
    status: job.status,
    done: job.done,
    total: job.total,
    format: job.format,
    language: job.language,
    rule: job.rule,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    ...(job.error && job.status !== 'done' ? { error: job.error } : {}),
  };
}
