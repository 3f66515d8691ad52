import { Module } from '@nestjs/common';
import { CheckinEvents } from '../scanning/checkin-events';
import { ExportRows } from './export-rows';
import { ExportsController } from './exports.controller';

/** CSV exports for organisers: attendance, the check-in log and each session's list. */
@Module({
  controllers: [ExportsController],
  providers: [CheckinEvents, ExportRows],
})
export class ExportsModule {}
