/**
 * `GET /api/events/:slug/scan-snapshot` (docs/API.md): what a door device holds to decide scans
 * offline: the event, its gates and lists, the badge keys, every badge's state and who is inside.
 */
export interface ScanSnapshot {
  generatedAt: string;
  event: { id: string; slug: string; name: string; timezone: string };
  /** Whether devices may hold names and organisations (else `name` is absent below). */
  devicesHoldNames: boolean;
  /**
   * Whether the event lets door tokens re-issue and print a badge (the search's "Print badge").
   * Absent from snapshots made before devices could print.
   */
  devicesMayPrint?: boolean;
  gates: string[];
  /** The keys badges are verified with; a retired key is no longer among them. */
  keys: { keyId: string; publicKey: string }[];
  /**
   * Keys the organisers retired: a badge naming one is refused as `revoked` (`key_retired`)
   * without checking its signature. Absent from snapshots made before keys could be retired.
   */
  retiredKeys?: string[];
  lists: { code: string; title: string; kind: string; capacity: number | null }[];
  /** By badge id. */
  badges: Record<string, SnapshotBadge>;
  /** Badge ids revoked. */
  revoked: string[];
  /** By badge id, then list code: the last admission. */
  admitted: Record<string, Record<string, { at: string; gate: string; inside: boolean }>>;
}

export interface SnapshotBadge {
  version: number | null;
  status: 'registered' | 'cancelled';
  category: string;
  sessions: string[];
  name?: string;
  organisation?: string | null;
}
