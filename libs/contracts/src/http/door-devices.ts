/** The door devices of an event at a glance (GET /api/events/:slug/devices, docs/API.md). */
export interface DoorDeviceView {
  /** The id a device scans under (the scanner page's own, or a handheld's `device`). */
  deviceId: string;
  /** The label of the token it last reported with; null for devices known only from scans. */
  token: string | null;
  gate: string | null;
  list: string | null;
  direction: 'in' | 'out' | null;
  /** Seen (a report or a scan) within the last 90 seconds. */
  online: boolean;
  lastSeenAt: string | null;
  lastScanAt: string | null;
  /** Scans recorded from this device. */
  scans: number;
  /** Scans the device held, not yet sent, when it last reported; null: it does not report. */
  queued: number | null;
  conflicts: number | null;
  /** The device's clock minus the server's, in milliseconds, at its last report. */
  clockOffsetMs: number | null;
  version: string | null;
  /** Whether the device reports itself (the scanner page does), or is known from scans only. */
  reports: boolean;
}

/** POST /api/events/:slug/devices/report answers with the server's time. */
export interface DeviceReportAnswer {
  serverTime: string;
  clockOffsetMs: number;
}
