import { learnedFrom, typicalCongressMornings } from './arrival-curve';
import { ArrivalForecaster, type MorningSoFar } from './arrival-forecast';
import { generateMorning, perMinute, type MorningModel } from './generated-mornings';

const START = Date.parse('2026-10-20T08:00:00Z'); // 10:00 in Berlin
const MINUTE = 60_000;

function morningAt(
  model: MorningModel,
  minutesFromStart: number,
  devices: Record<string, number> = { Nord: 2, Süd: 2 },
): { morning: MorningSoFar; actualBetween: (from: number, to: number) => number } {
  const all = generateMorning(model);
  const now = START + minutesFromStart * MINUTE;
  const arrived = all.filter((a) => a.minutes <= minutesFromStart);
  const admissionsByDevice = arrived
    .filter((a) => a.minutes > minutesFromStart - 30)
    .map((a, i) => ({
      gate: a.gate,
      device: `${a.gate}-${i % (devices[a.gate] ?? 1)}`,
      at: START + a.minutes * MINUTE,
    }));
  return {
    morning: {
      startsAt: START,
      now,
      timezone: 'Europe/Berlin',
      registered: model.registered,
      arrivals: arrived.map((a) => ({ at: START + a.minutes * MINUTE, gate: a.gate })),
      admissionsByDevice,
    },
    actualBetween: (from, to) =>
      all.filter((a) => a.minutes > minutesFromStart + from && a.minutes <= minutesFromStart + to)
        .length,
  };
}

const congress: MorningModel = {
  registered: 2000,
  showRate: 0.88,
  meanMinutes: -20,
  spreadMinutes: 25,
  gates: { Nord: 2, Süd: 1 },
  seed: 7,
};

describe('ArrivalForecaster', () => {
  const forecaster = new ArrivalForecaster(typicalCongressMornings());

  it('forecasts the next 30 minutes within 20 % on a morning drawn from the usual curve', () => {
    for (const minutes of [-50, -40, -30, -20]) {
      const { morning, actualBetween } = morningAt(congress, minutes);
      const forecast = forecaster.forecast(morning);
      const next30 = forecast.next.find((n) => n.minutes === 30)!;
      const actual = actualBetween(0, 30);
      expect(Math.abs(next30.expected - actual) / actual).toBeLessThan(0.2);
      expect(next30.low).toBeLessThanOrEqual(actual);
      expect(next30.high).toBeGreaterThanOrEqual(actual);
    }
  });

  it('follows a morning that runs 25 minutes late, and one with fewer people than registered', () => {
    for (const [model, at] of [
      [{ ...congress, meanMinutes: 5, seed: 11 }, -5],
      [{ ...congress, showRate: 0.75, seed: 12 }, -20],
    ] as const) {
      const { morning, actualBetween } = morningAt(model, at);
      const next30 = new ArrivalForecaster(typicalCongressMornings())
        .forecast(morning)
        .next.find((n) => n.minutes === 30)!;
      const actual = actualBetween(0, 30);
      expect(Math.abs(next30.expected - actual) / actual).toBeLessThan(0.2);
    }
  });

  it('forecasts from the registrations alone before anyone has come', () => {
    const forecast = forecaster.forecast({
      startsAt: START,
      now: START - 90 * MINUTE,
      timezone: 'Europe/Berlin',
      registered: 1000,
      arrivals: [],
      admissionsByDevice: [],
    });
    expect(forecast.arrived).toBe(0);
    // about 90 % of those registered (a little less: nobody came in the last hour)
    expect(forecast.expectedInAll).toBeGreaterThan(850);
    expect(forecast.expectedInAll).toBeLessThanOrEqual(900);
    const [next15, next30, next60] = forecast.next;
    expect(next15.expected).toBeGreaterThan(0);
    expect(next15.expected).toBeLessThan(next30.expected);
    expect(next30.expected).toBeLessThan(next60.expected);
    expect(forecast.gates).toEqual([]);
  });

  it('never expects more than those registered and not yet here', () => {
    const { morning } = morningAt({ ...congress, showRate: 1, seed: 3 }, 40);
    const forecast = forecaster.forecast(morning);
    const remaining = morning.registered - morning.arrivals.length;
    for (const n of forecast.next) expect(n.high).toBeLessThanOrEqual(remaining);
  });

  it('asks for one more lane at a gate whose lanes cannot keep up, until the rush is over', () => {
    // Nord takes most people with one device; measured at about 6 a minute.
    const { morning } = morningAt(
      { ...congress, registered: 3000, gates: { Nord: 9, Süd: 1 }, seed: 5 },
      -35,
      { Nord: 1, Süd: 2 },
    );
    const slowNord = morning.admissionsByDevice.filter((s) => s.gate === 'Nord').slice(0, 6);
    morning.admissionsByDevice = [
      ...morning.admissionsByDevice.filter((s) => s.gate !== 'Nord'),
      ...slowNord.map((s, i) => ({ ...s, at: morning.now - 60_000 + i * 9_000 })),
    ];
    const forecast = forecaster.forecast(morning);
    const nord = forecast.gates.find((g) => g.gate === 'Nord')!;
    expect(nord).toMatchObject({ lanes: 1, measured: true, perLanePerMinute: 6 });
    expect(nord.advice.action).toBe('open_lanes');
    expect(nord.queue.find((q) => q.minutes === 15)!.waiting).toBeGreaterThan(0);
    expect(forecast.recommendation).toMatch(
      /^Open (one more lane|\d+ more lanes) at Nord until \d\d:\d\d\./,
    );
    const sud = forecast.gates.find((g) => g.gate === 'Süd')!;
    expect(sud.advice).toEqual({ action: 'enough' });
  });

  it('says the lanes are enough when they are', () => {
    const { morning } = morningAt({ ...congress, registered: 200, seed: 9 }, -30);
    expect(forecaster.forecast(morning).recommendation).toBe(
      'The open lanes are enough for the next hour.',
    );
  });
});

describe('learnedFrom', () => {
  it('learns the curve of earlier mornings, and a forecast with it beats the usual curve on such a morning', () => {
    const early = { ...congress, meanMinutes: -45, spreadMinutes: 15 };
    const earlier = [1, 2, 3].map((seed) => perMinute(generateMorning({ ...early, seed })));
    const curve = learnedFrom(earlier)!;
    expect(curve.shareBy(-45)).toBeCloseTo(0.5, 1);
    expect(curve.shareBy(-300)).toBe(curve.shareBy(-240));
    expect(curve.shareBy(300)).toBe(1);

    const { morning, actualBetween } = morningAt({ ...early, seed: 4 }, -70);
    const actual = actualBetween(0, 30);
    const learned = new ArrivalForecaster(curve).forecast(morning).next[1].expected;
    expect(Math.abs(learned - actual) / actual).toBeLessThan(0.2);
  });

  it('has nothing to learn from events with almost no arrivals', () => {
    expect(learnedFrom([[{ minute: -10, count: 19 }]])).toBeUndefined();
  });
});
