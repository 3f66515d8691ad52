import type { ScanAnswer } from '@einlass/contracts';

type Wording = Pick<ScanAnswer, 'result' | 'reason' | 'message'>;

/**
 * The answers a door gives after the rules in `decideScan` passed, each with its reason code and
 * its English message: one wording for the server's writers and the scanner page offline.
 */
export const doorAnswers = {
  admitted: (reentered: boolean): Wording =>
    reentered
      ? { result: 'admitted', reason: 'welcome_back', message: 'Welcome back' }
      : { result: 'admitted', reason: 'welcome', message: 'Welcome' },
  /** An offline device saw the badge before the admission on record at `laterGate`. */
  admittedFirst: (laterGate: string): Wording => ({
    result: 'admitted',
    reason: 'admitted_first',
    message: `Admitted first here; the later admission at ${laterGate} is flagged as a duplicate`,
  }),
  alreadyInside: (firstGate: string): Wording => ({
    result: 'already_admitted',
    reason: 'already_inside',
    message: `Already checked in at ${firstGate}`,
  }),
  /** An offline device let someone in who was already inside: recorded and flagged. */
  duplicateOffline: (firstGate: string): Wording => ({
    result: 'already_admitted',
    reason: 'duplicate_offline',
    message: `Already checked in at ${firstGate}; this offline admission is flagged as a duplicate`,
  }),
  capacityFull: (sessionCode: string, capacity: number): Wording => ({
    result: 'capacity_full',
    reason: 'capacity_full',
    message: `Session ${sessionCode} is full (${capacity} places)`,
  }),
  left: (wasInside: boolean): Wording =>
    wasInside
      ? { result: 'left', reason: 'left', message: 'Exit recorded' }
      : {
          result: 'left',
          reason: 'left_not_inside',
          message: 'Exit recorded, but this person was not checked in here',
        },
};
