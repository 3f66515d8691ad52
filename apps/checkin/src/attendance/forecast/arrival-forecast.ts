import type { ArrivalForecast, GateOutlook } from '@einlass/contracts';
import { shifted, type ArrivalCurve } from './arrival-curve';

export type { ArrivalForecast, GateOutlook };

/** What the morning so far says, as the check-in records have it. */
export interface MorningSoFar {
  /** The event's start and the moment of the forecast (ms since the epoch). */
  startsAt: number;
  now: number;
  /** The event's time zone, for the times in the recommendation. */
  timezone: string;
  /** People registered and not cancelled, those already here included. */
  registered: number;
  /** First entrance admissions so far: when, and at which gate. */
  arrivals: { at: number; gate: string }[];
  /** Entrance admissions per device in the last half hour, to measure what a lane manages. */
  admissionsByDevice: { gate: string; device: string; at: number }[];
  /** The share of registered people who came to earlier events; undefined if none. */
  earlierShowRate?: number;
}

/** What a lane admits per minute when nothing was measured yet (about one person every 5 s). */
export const ASSUMED_PER_LANE_PER_MINUTE = 12;
/** Share of registered people who come, when no earlier event tells. */
export const ASSUMED_SHOW_RATE = 0.9;
const HORIZONS = [15, 30, 60];
const BIN_MINUTES = 5;
/** More waiting than this many minutes of a gate's capacity asks for another lane. */
const ACCEPTABLE_WAIT_MINUTES = 5;

const MINUTE = 60_000;
/** How far a morning usually runs early or late (minutes), and how far the turnout strays. */
const SHIFT_UNCERTAINTY = 15;
const TOTAL_UNCERTAINTY = 0.15;
/** What choosing a shape other than the usual costs, in the fit's units (chi²). */
const OTHER_SHAPE_COST = 2;
/** The range's relative margin once the morning is over, and what it adds at its beginning. */
const RANGE_MARGIN_LATE = 0.08;
const RANGE_MARGIN_EARLY = 0.35;

/**
 * The arrival forecast for the morning of an event: fits the arrival curve to the arrivals so far
 * (shifted in time, scaled to how many will come), projects the next 15, 30 and 60 minutes with a
 * range, and turns each gate's share of the arrivals and its measured lane throughput into the
 * queue to expect and a plain recommendation. Pure: the numbers come in, the forecast goes out.
 */
export class ArrivalForecaster {
  private readonly curves: ArrivalCurve[];

  /**
   * `curves`: the shapes a morning may take, the usual one first (e.g. the usual spread, then
   * narrower and wider ones); another shape must fit the arrivals clearly better to be chosen.
   */
  constructor(curves: ArrivalCurve | ArrivalCurve[]) {
    this.curves = Array.isArray(curves) ? curves : [curves];
  }

  forecast(morning: MorningSoFar): ArrivalForecast {
    const { startsAt, now, registered } = morning;
    const arrived = morning.arrivals.length;
    const nowMinutes = (now - startsAt) / MINUTE;
    const showRate = morning.earlierShowRate ?? ASSUMED_SHOW_RATE;
    const priorTotal = Math.max(arrived, Math.min(registered, registered * showRate));

    const fits = this.fit(morning, nowMinutes, priorTotal);
    const best = fits[0];
    // Fits nearly as good as the best make up the range, with a Poisson spread on top:
    const plausible = fits.filter((f) => f.error <= best.error + 4.6); // chi², 2 parameters, 90 %
    const remaining = Math.max(0, registered - arrived);
    const expectedIn = (fit: Fit, minutes: number) => {
      const curve = shifted(fit.curve, fit.shift);
      const share = curve.shareBy(nowMinutes + minutes) - curve.shareBy(nowMinutes);
      return Math.min(remaining, Math.max(0, fit.total * share));
    };
    // The less of the morning is behind us, the less the curve's shape is known: a relative
    // margin that shrinks as the arrivals come in (calibrated in bench/forecast.bench.ts to hold
    // the actual arrivals about nine times in ten).
    const seenShare = shifted(best.curve, best.shift).shareBy(nowMinutes);
    const margin = RANGE_MARGIN_LATE + RANGE_MARGIN_EARLY * (1 - seenShare);
    const next = HORIZONS.map((minutes) => {
      const expected = expectedIn(best, minutes);
      const values = plausible.map((fit) => expectedIn(fit, minutes));
      const spread = 1.645 * Math.sqrt(Math.max(expected, 1));
      return {
        minutes,
        expected: Math.round(expected),
        low: Math.max(0, Math.floor(Math.min(...values) * (1 - margin) - spread)),
        high: Math.min(remaining, Math.ceil(Math.max(...values) * (1 + margin) + spread)),
      };
    });

    const gates = this.gates(morning, (from, to) => {
      const curve = shifted(best.curve, best.shift);
      const share = curve.shareBy(nowMinutes + to) - curve.shareBy(nowMinutes + from);
      return Math.max(0, best.total * share);
    });
    return {
      at: new Date(now).toISOString(),
      arrived,
      registered,
      expectedInAll: Math.round(best.total),
      next,
      gates,
      recommendation: recommendationFor(gates, morning.timezone),
      shiftMinutes: best.shift,
    };
  }

  /**
   * Every shape, shifted from 45 minutes early to 45 late, each with the number who will come
   * that fits the arrivals so far best (least squares on the cumulative count per 5 minutes, pulled
   * towards the registered × show rate while few have come), best first.
   */
  private fit(morning: MorningSoFar, nowMinutes: number, priorTotal: number): Fit[] {
    const minutes = morning.arrivals
      .map((a) => (a.at - morning.startsAt) / MINUTE)
      .sort((a, b) => a - b);
    const firstBin = Math.floor(Math.min(minutes[0] ?? nowMinutes, nowMinutes - 60) / BIN_MINUTES);
    const edges: number[] = [];
    for (let b = firstBin + 1; b * BIN_MINUTES <= nowMinutes; b++) edges.push(b * BIN_MINUTES);
    edges.push(nowMinutes);
    const counts: number[] = [];
    let i = 0;
    for (const edge of edges) {
      while (i < minutes.length && minutes[i] <= edge) i++;
      counts.push(i);
    }
    const arrived = minutes.length;
    const fits: Fit[] = [];
    // Arrivals per 5 minutes, compared with what the shifted curve expects in the same 5 minutes
    // (each weighed by its Poisson variance), with what is usual as a prior: mornings run up to a
    // quarter of an hour early or late, and about one in seven registered people more or fewer
    // come than usual. The pace tells a late morning (rising steeply) from a thin one.
    const binned = counts.map((count, k) => count - (k > 0 ? counts[k - 1] : 0));
    const totalWeight = 1 / (TOTAL_UNCERTAINTY * Math.max(priorTotal, 1)) ** 2;
    for (const [index, shape] of this.curves.entries())
      for (let shift = -45; shift <= 45; shift++) {
        const curve = shifted(shape, shift);
        const cumulative = edges.map((edge) => curve.shareBy(edge));
        const shares = cumulative.map((share, k) => share - (k > 0 ? cumulative[k - 1] : 0));
        // Poisson variance of each bin as this shift expects it (with the usual turnout).
        const weights = shares.map((share) => 1 / Math.max(priorTotal * share, 1));
        let cross = 0;
        let square = 0;
        for (let k = 0; k < edges.length; k++) {
          cross += weights[k] * binned[k] * shares[k];
          square += weights[k] * shares[k] * shares[k];
        }
        const total = Math.min(
          morning.registered,
          Math.max(arrived, (cross + totalWeight * priorTotal) / (square + totalWeight)),
        );
        let error =
          totalWeight * (total - priorTotal) ** 2 +
          (shift / SHIFT_UNCERTAINTY) ** 2 +
          (index === 0 ? 0 : OTHER_SHAPE_COST);
        for (let k = 0; k < edges.length; k++) {
          error += weights[k] * (binned[k] - total * shares[k]) ** 2;
        }
        fits.push({ curve: shape, shift, total, error });
      }
    return fits.sort((a, b) => a.error - b.error);
  }

  private gates(
    morning: MorningSoFar,
    expectedBetween: (fromMinutes: number, toMinutes: number) => number,
  ): GateOutlook[] {
    const recent = morning.arrivals.filter((a) => a.at > morning.now - 30 * MINUTE);
    const counted = recent.length > 0 ? recent : morning.arrivals;
    const byGate = new Map<string, number>();
    for (const a of counted) byGate.set(a.gate, (byGate.get(a.gate) ?? 0) + 1);
    const outlooks: GateOutlook[] = [];
    for (const [gate, count] of [...byGate].sort(([a], [b]) => a.localeCompare(b))) {
      const share = count / counted.length;
      const scans = morning.admissionsByDevice.filter((s) => s.gate === gate);
      const lanes = Math.max(
        1,
        new Set(scans.filter((s) => s.at > morning.now - 10 * MINUTE).map((s) => s.device)).size,
      );
      const measuredRate = busiestMinute(scans);
      const perLane = measuredRate ?? ASSUMED_PER_LANE_PER_MINUTE;
      const capacity = lanes * perLane; // per minute
      // A queue that builds up where more arrive than the lanes admit (starting from none).
      let waiting = 0;
      let peakNeed = lanes;
      let busyUntil = 0;
      const queue: { minutes: number; waiting: number }[] = [];
      for (let t = 0; t < 60; t += BIN_MINUTES) {
        const arriving = share * expectedBetween(t, t + BIN_MINUTES);
        waiting = Math.max(0, waiting + arriving - capacity * BIN_MINUTES);
        const need = Math.ceil(arriving / BIN_MINUTES / perLane);
        if (waiting > capacity * ACCEPTABLE_WAIT_MINUTES || need > lanes) {
          peakNeed = Math.max(peakNeed, need, lanes + 1);
          busyUntil = t + BIN_MINUTES;
        }
        if (HORIZONS.includes(t + BIN_MINUTES)) {
          queue.push({ minutes: t + BIN_MINUTES, waiting: Math.round(waiting) });
        }
      }
      outlooks.push({
        gate,
        lanes,
        perLanePerMinute: Math.round(perLane * 10) / 10,
        measured: measuredRate !== undefined,
        share: Math.round(share * 1000) / 1000,
        queue,
        advice:
          peakNeed > lanes
            ? {
                action: 'open_lanes',
                lanes: peakNeed - lanes,
                until: new Date(morning.now + busyUntil * MINUTE).toISOString(),
              }
            : { action: 'enough' },
      });
    }
    return outlooks;
  }
}

interface Fit {
  curve: ArrivalCurve;
  shift: number;
  total: number;
  error: number;
}

/**
 * What one device admitted in its busiest minute of the last half hour, as the median over the
 * gate's devices; undefined while no device has been busy enough to tell (fewer than 3 a minute).
 */
function busiestMinute(scans: { device: string; at: number }[]): number | undefined {
  const perDeviceMinute = new Map<string, number>();
  for (const s of scans) {
    const key = `${s.device}|${Math.floor(s.at / MINUTE)}`;
    perDeviceMinute.set(key, (perDeviceMinute.get(key) ?? 0) + 1);
  }
  const busiest = new Map<string, number>();
  for (const [key, count] of perDeviceMinute) {
    const device = key.slice(0, key.lastIndexOf('|'));
    busiest.set(device, Math.max(busiest.get(device) ?? 0, count));
  }
  const rates = [...busiest.values()].filter((n) => n >= 3).sort((a, b) => a - b);
  if (rates.length === 0) return undefined;
  return rates[Math.floor(rates.length / 2)];
}

function recommendationFor(gates: GateOutlook[], timezone: string): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
  });
  const busy = gates.filter((g) => g.advice.action === 'open_lanes');
  if (busy.length === 0) return 'The open lanes are enough for the next hour.';
  return busy
    .map((g) => {
      const advice = g.advice as Extract<GateOutlook['advice'], { action: 'open_lanes' }>;
      const lanes = advice.lanes === 1 ? 'one more lane' : `${advice.lanes} more lanes`;
      return `Open ${lanes} at ${g.gate} until ${time.format(new Date(advice.until))}.`;
    })
    .join(' ');
}
