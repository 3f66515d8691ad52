import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Category } from '@einlass/contracts';
import type { SheetLayoutName } from '../rendering/sheet-layouts';

export const PRINT_SORTS = ['lastName', 'organisation', 'category'] as const;
export type PrintSort = (typeof PRINT_SORTS)[number];

export const PRINT_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type PrintJobStatus = (typeof PRINT_JOB_STATUSES)[number];

/** Which badges a print job prints; every part narrows the selection, none means all issued. */
export interface PrintFilter {
  categories?: Category[];
  /** Workshop codes: badges of attendees with a confirmed place in any of them. */
  sessions?: string[];
  ids?: string[];
  onlyUnprinted?: boolean;
}

/** A batch of badges printed as one PDF, and how far its rendering has got. */
@Entity({ name: 'print_jobs' })
export class PrintJob {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'jsonb' })
  filter!: PrintFilter;

  @Column({ type: 'text' })
  sort!: PrintSort;

  @Column({ type: 'text' })
  layout!: SheetLayoutName;

  @Column({ type: 'text' })
  status!: PrintJobStatus;

  @Column({ type: 'int' })
  done!: number;

  @Column({ type: 'int' })
  total!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'text', nullable: true })
  filePath!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** The badges (attendee ids) the job printed: an erasure deletes the files that hold someone. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  badgeIds!: string[];

  /** When the file was deleted because personal data in it was erased. */
  @Column({ type: 'timestamptz', nullable: true })
  fileErasedAt!: Date | null;
}
