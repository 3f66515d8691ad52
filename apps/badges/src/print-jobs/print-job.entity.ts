import { Column, Entity } from 'typeorm';
import type { Category } from '@einlass/contracts';
import { FileJob } from '../file-jobs/file-job.entity';
import type { SheetLayoutName } from '../rendering/sheet-layouts';

export const PRINT_SORTS = ['lastName', 'organisation', 'category'] as const;
export type PrintSort = (typeof PRINT_SORTS)[number];

/** Which badges a print job prints; every part narrows the selection, none means all issued. */
export interface PrintFilter {
  categories?: Category[];
  /** Workshop codes: badges of attendees with a confirmed place in any of them. */
  sessions?: string[];
  ids?: string[];
  onlyUnprinted?: boolean;
}

/**
 * A batch of badges printed as one PDF, and how far its rendering has got (the columns every
 * file job has: file-jobs/file-job.entity.ts).
 */
@Entity({ name: 'print_jobs' })
export class PrintJob extends FileJob {
  @Column({ type: 'jsonb' })
  filter!: PrintFilter;

  @Column({ type: 'text' })
  sort!: PrintSort;

  @Column({ type: 'text' })
  layout!: SheetLayoutName;

  /** The badges (attendee ids) the job printed: an erasure deletes the files that hold someone. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  badgeIds!: string[];
}
