import { Column, Entity } from 'typeorm';
import type { AttendanceRule, CertificateJobFormat, CertificateLanguage } from '@einlass/contracts';
import { FileJob } from '../file-jobs/file-job.entity';

export { CERTIFICATE_JOB_FORMATS, type CertificateJobFormat } from '@einlass/contracts';

/**
 * The certificates of everyone who attended an event, rendered in the background (the columns
 * every file job has: file-jobs/file-job.entity.ts).
 */
@Entity({ name: 'certificate_jobs' })
export class CertificateJob extends FileJob {
  @Column({ type: 'text' })
  format!: CertificateJobFormat;

  @Column({ type: 'text' })
  language!: CertificateLanguage;

  @Column({ type: 'text' })
  rule!: AttendanceRule;

  @Column({ type: 'text', nullable: true })
  issuer!: string | null;

  /** The people in the file: an erasure deletes the files that hold someone. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  attendeeIds!: string[];
}
