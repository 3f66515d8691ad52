import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Reading a list gives the event loop a turn after this much time: requests wait at most about
 * this long for an import (/health must answer within a second; issue 11).
 */
export const TURN_MS = 20;

/** Looked at every this many records, as the clock costs more than a record. */
const RECORDS_PER_LOOK = 100;

/** Gives the event loop a turn once TURN_MS have passed since the last; call once per record. */
export function turns(): () => Promise<void> | undefined {
  let records = 0;
  let lastTurn = performance.now();
  return () => {
    if (++records % RECORDS_PER_LOOK !== 0 || performance.now() - lastTurn < TURN_MS) return;
    return nextTurn().then(() => {
      lastTurn = performance.now();
    });
  };
}
