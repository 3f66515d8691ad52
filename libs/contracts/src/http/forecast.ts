/** `GET /api/events/:slug/attendance/forecast` (docs/API.md): the arrival forecast. */

/** People expected at the entrance within `minutes` from now, with a 90 % range. */
export interface Expected {
  minutes: number;
  expected: number;
  low: number;
  high: number;
}

export interface GateOutlook {
  gate: string;
  /** Devices that scanned here in the last 10 minutes (at least one if the gate is in use). */
  lanes: number;
  /** Admissions a lane managed per minute at its busiest (measured), or the assumed figure. */
  perLanePerMinute: number;
  measured: boolean;
  /** This gate's share of the arrivals in the last half hour. */
  share: number;
  /** People expected to wait at this gate 15, 30 and 60 minutes from now. */
  queue: { minutes: number; waiting: number }[];
  /** Lanes needed so that nobody waits more than a few minutes, and until when (ISO). */
  advice: { action: 'open_lanes'; lanes: number; until: string } | { action: 'enough' };
}

export interface ArrivalForecast {
  at: string;
  arrived: number;
  registered: number;
  /** Expected to come in all (those here included): registered × show rate, adjusted to the morning. */
  expectedInAll: number;
  next: Expected[];
  gates: GateOutlook[];
  /** One sentence for the organiser, e.g. "Open one more lane at Nord until 08:40". */
  recommendation: string;
  /** How far the morning runs early (negative) or late against the curve, in minutes. */
  shiftMinutes: number;
}
