import { reconciliationProvider } from './reconciliation/reconciliation.provider';
import { CertificateVerification } from './verification/certificate-verification';
import { VerifyPageController } from './verification/verify-page.controller';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import {
  AuthGuard,
  CONFIRM_TOKENS_WITH_REGISTRATION,
  MeController,
  SearchRateGuard,
  TokenResolver,
} from '@einlass/auth';
import { ApiDocument, FailedJobsController, HealthModule, loggingModule } from '@einlass/bootstrap';
import { ConfigModule } from '@einlass/config';
import { QueueName } from '@einlass/contracts';
import { DatabaseModule } from '@einlass/database';
import { OutboxModule, PipelineController } from '@einlass/outbox';
import { MessagingModule } from '@einlass/messaging';
import { AttendanceController } from './attendance/attendance.controller';
import { AttendanceQuery } from './attendance/attendance.query';
import { AttendanceStreamController } from './attendance/attendance-stream.controller';
import { AttendanceStreams } from './attendance/attendance-stream.service';
import { NotArrivedQuery } from './attendance/not-arrived.query';
import { ForecastQuery } from './attendance/forecast/forecast.query';
import { CaCertificateController } from './tls/ca-certificate.controller';
import { checkinDatabase } from './checkin.database';
import { ExportsModule } from './exports/exports.module';
import { CheckinRetention } from './personal-data/checkin-retention';
import { CheckinPersonalDataController } from './personal-data/personal-data.controller';
import { CheckinProcessor } from './read-model/checkin.processor';
import { AdmissionBatcher } from './scanning/admission-batcher';
import { AdmissionWriter } from './scanning/admission-writer';
import { DoorStatistics } from './scanning/door-statistics';
import { BadgeHolders } from './scanning/badge-holders';
import { CheckinEvents } from './scanning/checkin-events';
import { PublicKeys } from './scanning/public-keys';
import {
  CheckInManuallyHandler,
  RecordQueuedScansHandler,
  RecordScanHandler,
} from './scanning/record-scan.command';
import { CheckinLogQuery } from './scanning/checkin-log.query';
import { ScanContexts } from './scanning/scan-context';
import { ScanSnapshotQuery } from './scanning/scan-snapshot.query';
import { ScanBudget, ScanRateGuard } from './scanning/scan-rate.guard';
import { ScanFastLane } from './scanning/scan-fast-lane';
import { DoorSettingsStore } from './door-settings/door-settings';
import { DoorDevices } from './devices/door-devices';
import { DoorDevicesController } from './devices/door-devices.controller';
import { DoorSettingsController } from './door-settings/door-settings.controller';
import { ScanningController } from './scanning/scanning.controller';
import { DoorLookupController } from './web/door-lookup.controller';
import { DashboardConfigController } from './web/dashboard-config.controller';
import { FrontEnds, frontEndPaths } from './web/front-ends';

/**
 * Check-in: decides at the door, from its own read model and the badges' signatures, and keeps
 * the durable record of every scan that attendance is counted from.
 */
@ApiDocument({
  service: 'checkin',
  description:
    "Scans at the door, check-in lists, attendance, exports, and the door staff's and organisers' pages.",
  extraPaths: frontEndPaths,
})
@Module({
  imports: [
    ConfigModule,
    loggingModule('checkin'),
    CqrsModule.forRoot(),
    DatabaseModule.forService(checkinDatabase),
    OutboxModule.forService(checkinDatabase.schema),
    MessagingModule.forConsumer(QueueName.Checkin),
    HealthModule,
    ExportsModule,
  ],
  controllers: [
    CheckinPersonalDataController,
    PipelineController,
    FailedJobsController,
    ScanningController,
    AttendanceController,
    AttendanceStreamController,
    DoorSettingsController,
    DoorDevicesController,
    DoorLookupController,
    DashboardConfigController,
    MeController,
    CaCertificateController,
    VerifyPageController,
  ],
  providers: [
    CertificateVerification,
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
    FrontEnds,
    DoorDevices,
    TokenResolver,
    SearchRateGuard,
    ScanBudget,
    ScanRateGuard,
    ScanFastLane,
    { provide: CONFIRM_TOKENS_WITH_REGISTRATION, useValue: true },
    CheckinProcessor,
    CheckinRetention,
    reconciliationProvider,
    CheckinEvents,
    PublicKeys,
    ScanContexts,
    RecordScanHandler,
    AdmissionWriter,
    DoorStatistics,
    AdmissionBatcher,
    BadgeHolders,
    CheckInManuallyHandler,
    RecordQueuedScansHandler,
    ScanSnapshotQuery,
    CheckinLogQuery,
    DoorSettingsStore,
    AttendanceQuery,
    AttendanceStreams,
    NotArrivedQuery,
    ForecastQuery,
  ],
})
export class CheckinModule {}
