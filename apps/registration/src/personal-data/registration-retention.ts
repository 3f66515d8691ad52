import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { AuditTrail, type Principal } from '@einlass/auth';
import type { Environment } from '@einlass/config';
import { type DueEvent, RetentionCheck } from '@einlass/database';
import { QueuedCopies } from '@einlass/messaging';
import { redactEventOutbox } from '@einlass/outbox';
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
 * side; badges and check-in do the same on theirs from the date they were sent. In batches: the
 * attendees, then the outbox messages that carried them (and their copies in Redis), then the
 * event is marked erased and the audit log says so. Attendees added to such an event later are
 * erased at the next round.
 */
@Injectable()
export class RegistrationRetention extends RetentionCheck {
  protected readonly leftovers = `EXISTS (SELECT 1 FROM attendees a
    WHERE a.event_id = e.id AND a.erased_at IS NULL)`;

  constructor(
    dataSource: DataSource,
    private readonly queuedCopies: QueuedCopies,
    config: ConfigService<Environment, true>,
  ) {
    super(dataSource, config);
  }

  protected async eraseEvent({ id, first }: DueEvent): Promise<Record<string, number>> {
    let attendees = 0;
    for (;;) {
      // Again until none is left: someone may register while the batches run.
      const ids = await RegistrationErasure.notErased(this.dataSource.manager, id);
      if (ids.length === 0) break;
      attendees += await this.batches.ofIds(ids, (manager, batch) =>
        RegistrationErasure.attendees(manager, id, batch),
      );
    }
    const outbox = await redactEventOutbox(this.batches, 'registration', id, this.queuedCopies);
    await this.dataSource.transaction(async (manager) => {
      await RegistrationErasure.finished(manager, id);
      await AuditTrail.record(manager, 'registration', RETENTION_PRINCIPAL, {
        eventId: id,
        action: 'event.erased',
        details: { attendees, firstTime: first },
      });
    });
    return { attendees, ...outbox };
  }
}
