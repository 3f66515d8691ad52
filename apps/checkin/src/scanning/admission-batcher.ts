import { ConflictException, Injectable } from '@nestjs/common';
import type { ScanAnswer } from '@einlass/contracts';
import { GroupedWork } from '@einlass/database';
import { AdmissionWriter, type PendingAdmission } from './admission-writer';

/**
 * Groups entrance admissions (online, with or without a nonce): the scans that arrive while a group is being written go to the
 * AdmissionWriter together, as one transaction with one statement per step for the whole group.
 * Every answer still leaves only after its own write is committed, and the database still decides
 * who is first. Under load this turns hundreds of small transactions into a few large ones; with a
 * single scan in flight it costs nothing extra.
 */
@Injectable()
export class AdmissionBatcher {
  /** One group written at a time, leaving the other connections for everything else. */
  private readonly groups = new GroupedWork<PendingAdmission, ScanAnswer | ConflictException>(
    (group) => this.writer.admitGroup(group),
    { parallel: 1, maxGroup: 500 },
  );

  constructor(private readonly writer: AdmissionWriter) {}

  /** The scan's answer once its group is committed; 409 for a nonce used for another badge. */
  async admit(admission: PendingAdmission): Promise<ScanAnswer> {
    const answer = await this.groups.run(admission);
    if (answer instanceof ConflictException) throw answer;
    return answer;
  }
}
