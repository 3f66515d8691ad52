import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { PrintJobRecovery } from './print-job-recovery';
import { PrintJobRunner } from './print-job-runner';
import { PrintJobsController } from './print-jobs.controller';
import { PrintJobsProcessor } from './print-jobs.processor';
import { PrintJobsService } from './print-jobs.service';
import { PRINT_JOBS_QUEUE } from './print-queue';

/**
 * Print jobs: the API, and the worker of the service's own print-jobs queue (on the BullMQ
 * connection the badges module sets up).
 */
@Module({
  imports: [BullModule.registerQueue({ name: PRINT_JOBS_QUEUE })],
  controllers: [PrintJobsController],
  providers: [PrintJobsService, PrintJobRunner, PrintJobsProcessor, PrintJobRecovery],
  // Key rotation prints the badges it re-issues.
  exports: [PrintJobsService],
})
export class PrintJobsModule {}
