import { reconciliationProvider } from './reconciliation/reconciliation.provider';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthGuard, CONFIRM_TOKENS_WITH_REGISTRATION, TokenResolver } from '@einlass/auth';
import { ApiDocument, FailedJobsController, HealthModule, loggingModule } from '@einlass/bootstrap';
import { ConfigModule } from '@einlass/config';
import { QueueName } from '@einlass/contracts';
import { DatabaseModule } from '@einlass/database';
import { OutboxModule, PipelineController } from '@einlass/outbox';
import { MessagingModule } from '@einlass/messaging';
import { badgesDatabase } from './badges.database';
import { BrandingModule } from './branding/branding.module';
import { KeyRotationModule } from './key-rotation/key-rotation.module';
import { CertificatesModule } from './certificates/certificates.module';
import { BadgesController } from './issuing/badges.controller';
import { BadgesProcessor } from './issuing/badges.processor';
import { ReissueBadgeHandler } from './issuing/reissue-badge.command';
import { SyncBadgeHandler } from './issuing/sync-badge.command';
import { BadgesRetention } from './personal-data/badges-retention';
import { BadgesPersonalDataController } from './personal-data/personal-data.controller';
import { PrintJobsModule } from './print-jobs/print-jobs.module';
import { BadgeRenderer } from './rendering/badge-renderer';

/**
 * Badges: signs each attendee's QR token with the event's private key, renders badge PDFs, and
 * tells check-in about every badge it issues; prints batches of badges (print jobs); and
 * lets organisers brand an event's badges (logo, category colours, label language); and issues
 * attendance certificates (certificates/).
 */
@ApiDocument({
  service: 'badges',
  description:
    "Badges with their signed QR codes, badge PDFs, print jobs and an event's badge design.",
})
@Module({
  imports: [
    ConfigModule,
    loggingModule('badges'),
    CqrsModule.forRoot(),
    DatabaseModule.forService(badgesDatabase),
    OutboxModule.forService(badgesDatabase.schema),
    MessagingModule.forConsumer(QueueName.Badges),
    HealthModule,
    PrintJobsModule,
    BrandingModule,
    KeyRotationModule,
    CertificatesModule,
  ],
  controllers: [
    BadgesController,
    BadgesPersonalDataController,
    PipelineController,
    FailedJobsController,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    TokenResolver,
    { provide: CONFIRM_TOKENS_WITH_REGISTRATION, useValue: true },
    BadgesProcessor,
    reconciliationProvider,
    SyncBadgeHandler,
    ReissueBadgeHandler,
    BadgeRenderer,
    BadgesRetention,
  ],
})
export class BadgesModule {}
