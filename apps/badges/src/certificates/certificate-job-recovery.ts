import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { FileJobRecovery } from '../file-jobs/file-job-recovery';
import type { CertificateJob } from './certificate-job.entity';
import {
  CERTIFICATE_JOB_KIND,
  CERTIFICATE_JOBS_QUEUE,
  type CertificateJobMessage,
} from './certificate-queue';

/** Queues certificate jobs again that never reached the queue (file-jobs/file-job-recovery.ts). */
@Injectable()
export class CertificateJobRecovery extends FileJobRecovery<CertificateJob, CertificateJobMessage> {
  constructor(
    dataSource: DataSource,
    @InjectQueue(CERTIFICATE_JOBS_QUEUE) queue: Queue<CertificateJobMessage>,
  ) {
    super(dataSource, queue, CERTIFICATE_JOB_KIND);
  }
}
