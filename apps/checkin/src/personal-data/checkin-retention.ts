import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { Environment } from '@einlass/config';
import { type DueEvent, RetentionCheck } from '@einlass/database';
import { CheckinErasure } from './checkin-erasure';

/** Check-in log rows one step of the final walk looks at (stripping few, if any). */
const LOG_ROWS_PER_STEP_FACTOR = 4;

/**
 * Erases, on check-in's side, the personal data of every event whose retention date (as
 * registration sent it) has passed: at start-up, so a service that was stopped catches up, and
 * every RETENTION_CHECK_MS. In batches: the door's list with each batch's answers in the check-in
 * log, then one walk over the event's log for answers still showing a name. People added to such
 * an event later are erased at the next round.
 */
@Injectable()
export class CheckinRetention extends RetentionCheck {
  protected readonly leftovers = `EXISTS (SELECT 1 FROM attendees a
    WHERE a.event_id = e.id AND a.erased_at IS NULL)`;

  constructor(dataSource: DataSource, config: ConfigService<Environment, true>) {
    super(dataSource, config);
  }

  protected async eraseEvent({ id }: DueEvent): Promise<Record<string, number>> {
    const erased = { attendees: 0, scans: 0 };
    for (;;) {
      // Again until none is left: someone may be added while the batches run.
      const ids = await CheckinErasure.notErased(this.dataSource.manager, id);
      if (ids.length === 0) break;
      await this.batches.ofIds(ids, async (manager, batch) => {
        const { attendees, scans } = await CheckinErasure.attendees(manager, id, batch);
        erased.attendees += attendees;
        erased.scans += scans;
        return attendees;
      });
    }
    const rows = this.batches.pace.batchSize * LOG_ROWS_PER_STEP_FACTOR;
    erased.scans += await this.batches.walk((manager, after) =>
      CheckinErasure.logRange(manager, id, after, rows),
    );
    await this.dataSource.transaction((manager) => CheckinErasure.finished(manager, id));
    return erased;
  }
}
