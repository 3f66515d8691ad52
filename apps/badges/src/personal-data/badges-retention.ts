import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { Environment } from '@einlass/config';
import { RetentionCheck } from '@einlass/database';
import { QueuedCopies } from '@einlass/messaging';
import { BadgesErasure } from './badges-erasure';

/**
 * Erases, on the badges service's side, the personal data of every event whose retention date (as
 * registration sent it) has passed: at start-up, so a service that was stopped catches up, and
 * every RETENTION_CHECK_MS. Badges issued for such an event later are erased at the next round.
 */
@Injectable()
export class BadgesRetention extends RetentionCheck {
  protected readonly intervalMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queuedCopies: QueuedCopies,
    config: ConfigService<Environment, true>,
  ) {
    super();
    this.intervalMs = config.get('RETENTION_CHECK_MS', { infer: true });
  }

  protected async eraseDue(): Promise<void> {
    const due = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM events e
        WHERE erase_personal_data_at <= now()
          AND (personal_data_erased_at IS NULL
               OR EXISTS (SELECT 1 FROM badges b WHERE b.event_id = e.id AND b.erased_at IS NULL)
               OR EXISTS (SELECT 1 FROM print_jobs p WHERE p.event_id = e.id
                            AND p.file_erased_at IS NULL AND p.status IN ('done', 'failed')))`,
    );
    for (const { id } of due) {
      const started = Date.now();
      const erased = await this.dataSource.transaction((manager) =>
        BadgesErasure.event(manager, id),
      );
      const copies = await this.queuedCopies.scrub(erased.messages.filter((m) => m.sent));
      this.logger.log(
        {
          eventId: id,
          badges: erased.badges,
          printFiles: erased.files,
          messages: erased.messages.length,
          ...copies,
          ms: Date.now() - started,
        },
        "Event's personal data erased",
      );
    }
  }
}
