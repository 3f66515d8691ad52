import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { FileJobRecovery } from '../file-jobs/file-job-recovery';
import type { PrintJob } from './print-job.entity';
import { PRINT_JOB_KIND, PRINT_JOBS_QUEUE, type PrintJobMessage } from './print-queue';

/** Queues print jobs again that never reached the queue (file-jobs/file-job-recovery.ts). */
@Injectable()
export class PrintJobRecovery extends FileJobRecovery<PrintJob, PrintJobMessage> {
  constructor(
    dataSource: DataSource,
    @InjectQueue(PRINT_JOBS_QUEUE) queue: Queue<PrintJobMessage>,
  ) {
    super(dataSource, queue, PRINT_JOB_KIND);
  }
}
