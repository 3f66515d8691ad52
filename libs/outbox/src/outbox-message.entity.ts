import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A domain event waiting to be published. Written in the same transaction as the data it
 * describes, so an acknowledged change is never lost between the database and Redis.
 * Each service has this table in its own schema.
 */
@Entity({ name: 'outbox' })
@Index('outbox_unsent_idx', ['id'], { where: 'sent_at IS NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /**
   * The message's identity: its BullMQ job id and the consumers' inbox key. A UUID rather than the
   * sequence, which starts again at 1 when a database is recreated or restored, while Redis may
   * still hold completed jobs with those ids (and BullMQ silently drops a job whose id it has).
   */
  @Column({ type: 'uuid', unique: true, default: () => 'gen_random_uuid()' })
  messageId!: string;

  /** Destination queues: every consumer of this event type. */
  @Column({ type: 'text', array: true })
  queues!: string[];

  /** The event type; the BullMQ job name. */
  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** Times the row was published again after Redis lost data (part of its job id). */
  @Column({ type: 'integer', default: 0 })
  republished!: number;

  /** The replay batch job that carried it when it was last republished (else null: see jobIdFor). */
  @Column({ type: 'text', nullable: true })
  jobId!: string | null;
}
