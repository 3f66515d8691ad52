import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CertificateIssuer } from './certificate-issuer';
import { CertificateJobRecovery } from './certificate-job-recovery';
import { CertificateJobRunner } from './certificate-job-runner';
import { CertificateJobsProcessor } from './certificate-jobs.processor';
import { CERTIFICATE_JOBS_QUEUE } from './certificate-queue';
import { CertificatesController } from './certificates.controller';
import { CertificatesService } from './certificates.service';

/**
 * Attendance certificates (Teilnahmebescheinigungen): a PDF per person naming the event, the
 * sessions they were admitted to, the issuer and the event's logo, with a QR code signed with the
 * event's Ed25519 key that check-in's public /verify page checks (through this service's
 * `GET /api/certificates/verify`); per person, or for everyone admitted as a job (one PDF or a
 * ZIP), with progress like print jobs.
 *
 * Why badges owns them: the signing keys never leave this service, and it already renders PDFs
 * (fonts for every script, QR drawing, the event's branding). What it lacks, the admissions
 * (check-in) and the programme (registration), comes to it over the queue as domain events
 * (attendee.checked_in, programme.updated: certificate-attendance.ts), not by reading their
 * tables. A certificate's code is a token of its own kind (libs/tickets certificate-code.ts)
 * that the door's decision refuses. Rows and files are erased with the person
 * (personal-data/badges-erasure.ts).
 */
@Module({
  imports: [BullModule.registerQueue({ name: CERTIFICATE_JOBS_QUEUE })],
  controllers: [CertificatesController],
  providers: [
    CertificatesService,
    CertificateIssuer,
    CertificateJobRunner,
    CertificateJobsProcessor,
    CertificateJobRecovery,
  ],
})
export class CertificatesModule {}
