import { Injectable } from '@nestjs/common';
import type { ScanAnswer } from '@einlass/contracts';
import { GroupedWork } from '@einlass/database';
import { AdmissionWriter, HOLDER_CHANGED, type PendingAdmission } from './admission-writer';

/**
 * Groups entrance admissions (online and offline, with or without a nonce): the scans that arrive
 * while a group is being written go to the AdmissionWriter together, as one transaction (an
 * online group as one statement). Every answer still leaves only after its own write is
 * committed, and the database still decides who is first. Under load this turns hundreds of small
 * transactions into a few large ones; with a single scan in flight it costs nothing extra.
 *
 * Offline scans (queues coming back, `scannedAt`) are grouped apart from the online ones, so a
 * door waiting for its answer never waits behind a large replayed queue; each kind keeps its
 * order (a queue's scans are written in the order given). The two kinds lock nonces, then
 * presence rows, each in one order, so their groups cannot deadlock.
 */
@Injectable()
export class AdmissionBatcher {
  /** One online group written at a time, leaving the other connections for everything else. */
  private readonly online = new GroupedWork<
    PendingAdmission,
    ScanAnswer | Error | typeof HOLDER_CHANGED
  >((group) => this.writer.admitGroup(group), { parallel: 1, maxGroup: 500 });

  /** Offline scans: one group at a time beside the online one, smaller, to hold locks briefly. */
  private readonly offline = new GroupedWork<
    PendingAdmission,
    ScanAnswer | Error | typeof HOLDER_CHANGED
  >((group) => this.writer.admitGroup(group), { parallel: 1, maxGroup: 250 });

  constructor(private readonly writer: AdmissionWriter) {}

  /**
   * The scan's answer once its group is committed; 409 for a nonce used for another badge;
   * HOLDER_CHANGED for a scan decided on a holder that changed since (nothing written).
   * `queued`: from an offline queue (all of a queue's scans must say so, to keep their order).
   */
  async admit(
    admission: PendingAdmission,
    queued = false,
  ): Promise<ScanAnswer | typeof HOLDER_CHANGED> {
    const groups = queued || admission.seenAt !== null ? this.offline : this.online;
    const answer = await groups.run(admission);
    if (answer instanceof Error) throw answer; // 409, or the write failed (nothing written)
    return answer;
  }
}
