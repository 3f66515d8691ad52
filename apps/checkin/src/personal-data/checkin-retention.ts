import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { Environment } from '@einlass/config';
import { RetentionCheck } from '@einlass/database';
import { CheckinErasure } from './checkin-erasure';

/**
 * Erases, on check-in's side, the personal data of every event whose retention date (as
 * registration sent it) has passed: at start-up, so a service that was stopped catches up, and
 * every RETENTION_CHECK_MS. People added to such an event later are erased at the next round.
 */
@Injectable()
export class CheckinRetention extends RetentionCheck {
  protected readonly intervalMs: number;

  constructor(
    private readonly dataSource: DataSource,
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
               OR EXISTS (SELECT 1 FROM attendees a WHERE a.event_id = e.id AND a.erased_at IS NULL))`,
    );
    for (const { id } of due) {
      const started = Date.now();
      const erased = await this.dataSource.transaction((manager) =>
        CheckinErasure.event(manager, id),
      );
      this.logger.log(
        { eventId: id, ...erased, ms: Date.now() - started },
        "Event's personal data erased",
      );
    }
  }
}
