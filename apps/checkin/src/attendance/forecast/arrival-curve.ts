/**
 * The shape of a morning: what share of the people who will come have arrived by a given minute,
 * counted from the event's start (negative: before it). A cumulative distribution, 0 long before,
 * 1 long after.
 */
export interface ArrivalCurve {
  shareBy(minutesFromStart: number): number;
}

/** Abramowitz–Stegun 7.1.26: erf to 1.5e-7, plenty for shares of people. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return sign * y;
}

/**
 * Without earlier events to learn from: arrivals spread normally around 20 minutes before the
 * start with a spread of 25 minutes (most people come in the hour before the opening talk; some
 * late). The fit against the morning's own arrivals moves it in time.
 */
export function typicalCongressMorning(meanMinutes = -20, spreadMinutes = 25): ArrivalCurve {
  return {
    shareBy: (minutes) => 0.5 * (1 + erf((minutes - meanMinutes) / (spreadMinutes * Math.SQRT2))),
  };
}

/** The window a learned curve covers, in minutes from the start; outside it, 0 or 1. */
const LEARNED_FROM = -240;
const LEARNED_TO = 240;

/** Arrivals at an earlier event: how many came in each minute, counted from its start. */
export type ArrivalsPerMinute = { minute: number; count: number }[];

/**
 * The usual morning in the shapes it takes, the usual one first: crowds that arrive within a
 * quarter of an hour of their peak, and crowds that trickle in over an hour. The forecaster picks
 * the one the morning follows.
 */
export function typicalCongressMornings(): ArrivalCurve[] {
  return [25, 15, 20, 30, 35].map((spread) => typicalCongressMorning(-20, spread));
}

/**
 * The curve earlier events drew: each event's arrivals per minute (from its start) weigh the same
 * whatever its size, smoothed by `smoothingMinutes` so that a few dozen arrivals give a usable
 * shape; the cost is the same for 50 or 50,000 people. Returns undefined when no event had enough
 * arrivals (20) to learn from.
 */
export function learnedFrom(
  events: ArrivalsPerMinute[],
  smoothingMinutes = 6,
): ArrivalCurve | undefined {
  const usable = events
    .map((minutes) => ({ minutes, total: minutes.reduce((sum, m) => sum + m.count, 0) }))
    .filter((event) => event.total >= 20);
  if (usable.length === 0) return undefined;
  const width = LEARNED_TO - LEARNED_FROM + 1;
  const perMinute = new Float64Array(width);
  for (const { minutes, total } of usable) {
    for (const { minute, count } of minutes) {
      const at = Math.min(Math.max(Math.round(minute), LEARNED_FROM), LEARNED_TO);
      perMinute[at - LEARNED_FROM] += count / total / usable.length;
    }
  }
  const scale = smoothingMinutes * Math.SQRT2;
  const table = new Float64Array(width);
  for (let m = 0; m < width; m++) {
    let share = 0;
    for (let a = 0; a < width; a++) {
      if (perMinute[a] > 0) share += perMinute[a] * 0.5 * (1 + erf((m - a + 0.5) / scale));
    }
    table[m] = share;
  }
  return {
    shareBy(minutes) {
      const x = minutes - LEARNED_FROM;
      if (x <= 0) return table[0];
      if (x >= width - 1) return 1;
      const below = Math.floor(x);
      return table[below] + (table[below + 1] - table[below]) * (x - below);
    },
  };
}

/** The curve moved later by `shiftMinutes` (earlier when negative). */
export function shifted(curve: ArrivalCurve, shiftMinutes: number): ArrivalCurve {
  return { shareBy: (minutes) => curve.shareBy(minutes - shiftMinutes) };
}
