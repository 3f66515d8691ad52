/**
 * The SQL condition "scan `scan` carries nonce `nonce` of event `eventId`", written so that only
 * the nonce key (`scans_event_nonce_key`, nonce first) can serve it: the event is compared in a
 * form no index takes (`IS TRUE`), so the planner cannot answer the lookup from `scans_event_idx`
 * (the event's whole log) however stale its statistics are. Every nonce lookup goes through here.
 */
export function scanNonceIs(scan: string, eventId: string, nonce: string): string {
  return `${scan}.nonce = ${nonce} AND (${scan}.event_id = ${eventId}) IS TRUE`;
}
