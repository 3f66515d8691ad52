import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A message this service has processed: the second delivery of the same message is a no-op. */
@Entity({ name: 'inbox' })
export class InboxMessage {
  @PrimaryColumn({ type: 'text' })
  messageId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  processedAt!: Date;
}
