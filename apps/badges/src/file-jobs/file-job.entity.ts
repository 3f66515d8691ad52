import { Column, PrimaryColumn } from 'typeorm';
import type { FileJobStatus } from '@einlass/contracts';

export { FILE_JOB_STATUSES, type FileJobStatus } from '@einlass/contracts';

/**
 * The columns every file job has (print jobs, certificate jobs): a file rendered in the
 * background for one event, how far it has got, where it lies and whether an erasure deleted it.
 * Not an entity of its own: each kind extends it with its table and what it was asked for
 * (print-jobs/print-job.entity.ts, certificates/certificate-job.entity.ts).
 */
export abstract class FileJob {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  status!: FileJobStatus;

  /** Items (badges, certificates) rendered so far, of `total`. */
  @Column({ type: 'int' })
  done!: number;

  @Column({ type: 'int' })
  total!: number;

  /** Why the last run failed; kept while a retry waits, cleared when a run starts or is done. */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** The finished file; null until done, and again once an erasure deleted it. */
  @Column({ type: 'text', nullable: true })
  filePath!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** When the file was deleted because personal data in it was erased. */
  @Column({ type: 'timestamptz', nullable: true })
  fileErasedAt!: Date | null;
}
