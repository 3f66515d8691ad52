import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttendanceRule, CertificateJobFormat, CertificateLanguage } from '@einlass/contracts';

export { CERTIFICATE_JOB_FORMATS, type CertificateJobFormat } from '@einlass/contracts';

/** The certificates of everyone who attended an event, rendered in the background. */
@Entity({ name: 'certificate_jobs' })
export class CertificateJob {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  format!: CertificateJobFormat;

  @Column({ type: 'text' })
  language!: CertificateLanguage;

  @Column({ type: 'text' })
  rule!: AttendanceRule;

  @Column({ type: 'text', nullable: true })
  issuer!: string | null;

  @Column({ type: 'text' })
  status!: 'queued' | 'running' | 'done' | 'failed';

  @Column({ type: 'int' })
  done!: number;

  @Column({ type: 'int' })
  total!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'text', nullable: true })
  filePath!: string | null;

  /** The people in the file: an erasure deletes the files that hold someone. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  attendeeIds!: string[];

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  fileErasedAt!: Date | null;
}
