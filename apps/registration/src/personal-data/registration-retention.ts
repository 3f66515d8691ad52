import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { AuditTrail, type Principal } from '@einlass/auth';
import type { Environment } from '@einlass/config';
import { RetentionCheck } from '@einlass/database';
import { QueuedCopies } from '@einlass/messaging';
import { RegistrationErasure } from './registration-erasure';

/** Who the audit log names for what the retention date did by itself. */
export const RETENTION_PRINCIPAL: Principal = {
  tokenId: null,
  role: 'organiser',
  label: 'retention date',
  gates: [],
  events: [],
  expiresAt: null,
};

/**
 * Erases the personal data of every event whose retention date has passed, on registration's
 * side; badges and check-in do the same on theirs from the date they were sent. Attendees added
 * to such an event later are erased at the next round.
 */
@Injectable()
export class RegistrationRetention extends RetentionCheck {
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
    const due = await this.dataSource.query<{ id: string; first: boolean }[]>(
      `SELECT id, personal_data_erased_at IS NULL AS first FROM events e
        WHERE erase_personal_data_at <= now()
          AND (personal_data_erased_at IS NULL
               OR EXISTS (SELECT 1 FROM attendees a WHERE a.event_id = e.id AND a.erased_at IS NULL))`,
    );
    for (const { id, first } of due) {
      const started = Date.now();
      const { attendees, messages } = await this.dataSource.transaction(async (manager) => {
        const erased = await RegistrationErasure.event(manager, id);
        await AuditTrail.record(manager, 'registration', RETENTION_PRINCIPAL, {
          eventId: id,
          action: 'event.erased',
          details: { attendees: erased.attendees, firstTime: first },
        });
        return erased;
      });
      const copies = await this.queuedCopies.scrub(messages.filter((m) => m.sent));
      this.logger.log(
        { eventId: id, attendees, messages: messages.length, ...copies, ms: Date.now() - started },
        "Event's personal data erased",
      );
    }
  }
}
