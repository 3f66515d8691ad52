/**
 * How good the arrival forecast is (issue 17: expected arrivals within ±20 % 30 minutes ahead on
 * arrival curves generated from a known model). 60 mornings are drawn from a family of models:
 * 500 to 50,000 registered, 75–95 % of them coming, the crowd's peak 40 minutes before to 5 minutes
 * after the start, spread 15–35 minutes. Every 5 minutes from an hour before the start to a quarter
 * after, the forecast of the next 30 minutes is compared with what the morning then brought.
 *
 * The baseline, on the same mornings: the naive forecast an organiser makes by eye, the last 15
 * minutes' arrivals continued for 30 minutes.
 */
import { learnedFrom, typicalCongressMornings } from '../apps/checkin/testing';
import { ArrivalForecaster } from '../apps/checkin/testing';
import {
  generateMorning,
  perMinute,
  seededRandom,
  type MorningModel,
} from '../apps/checkin/testing';

const MORNINGS = 60;
const MINUTE = 60_000;
const START = Date.parse('2026-10-20T08:00:00Z');

interface Errors {
  /** |forecast − actual| / actual, per forecast where at least 30 people came in the 30 minutes. */
  relative: number[];
  insideRange: number;
  ranged: number;
}

function summary(errors: number[]): string {
  const sorted = [...errors].sort((a, b) => a - b);
  const mean = errors.reduce((s, e) => s + e, 0) / errors.length;
  const within = errors.filter((e) => e <= 0.2).length / errors.length;
  const p90 = sorted[Math.floor(sorted.length * 0.9)];
  return `mean error ${(mean * 100).toFixed(1)} %, 90th percentile ${(p90 * 100).toFixed(1)} %, within ±20 %: ${(within * 100).toFixed(1)} % of ${errors.length} forecasts`;
}

function main(): void {
  const random = seededRandom(2026);
  const between = (low: number, high: number) => low + (high - low) * random();
  const models: MorningModel[] = Array.from({ length: MORNINGS }, (_, i) => ({
    registered: Math.round(Math.exp(between(Math.log(500), Math.log(50_000)))),
    showRate: between(0.75, 0.95),
    meanMinutes: between(-40, 5),
    spreadMinutes: between(15, 35),
    gates: { Nord: between(1, 3), Süd: 1, West: between(0, 1) },
    seed: 1000 + i,
  }));

  const usual = new ArrivalForecaster(typicalCongressMornings());
  const einlass: Errors = { relative: [], insideRange: 0, ranged: 0 };
  const naive: number[] = [];
  const learned: number[] = [];
  const started = performance.now();
  let forecasts = 0;
  for (const model of models) {
    const all = generateMorning(model);
    // Three earlier mornings of the same organiser, for the learned curve.
    const earlier = [1, 2, 3].map((k) =>
      perMinute(generateMorning({ ...model, registered: 800, seed: model.seed * 10 + k })),
    );
    const withHistory = new ArrivalForecaster(learnedFrom(earlier)!);
    for (let at = -60; at <= 15; at += 5) {
      const arrived = all.filter((a) => a.minutes <= at);
      const actual = all.filter((a) => a.minutes > at && a.minutes <= at + 30).length;
      if (actual < 30) continue;
      const morning = {
        startsAt: START,
        now: START + at * MINUTE,
        timezone: 'Europe/Berlin',
        registered: model.registered,
        arrivals: arrived.map((a) => ({ at: START + a.minutes * MINUTE, gate: a.gate })),
        admissionsByDevice: [],
      };
      const next30 = usual.forecast(morning).next[1];
      forecasts += 1;
      einlass.relative.push(Math.abs(next30.expected - actual) / actual);
      einlass.ranged += 1;
      if (next30.low <= actual && actual <= next30.high) einlass.insideRange += 1;
      learned.push(Math.abs(withHistory.forecast(morning).next[1].expected - actual) / actual);
      const last15 = arrived.filter((a) => a.minutes > at - 15).length;
      naive.push(Math.abs(last15 * 2 - actual) / actual);
    }
  }
  const seconds = (performance.now() - started) / 1000;

  console.log(
    `Arrival forecast, 30 minutes ahead, ${MORNINGS} generated mornings (500–50,000 registered), every 5 min from -60 to +15 min`,
  );
  console.log(`  einlass, usual congress curve:      ${summary(einlass.relative)}`);
  console.log(`  einlass, curve of 3 earlier events: ${summary(learned)}`);
  console.log(`  naive (last 15 min × 2):            ${summary(naive)}`);
  console.log(
    `  the 90 % range held the actual arrivals in ${((einlass.insideRange / einlass.ranged) * 100).toFixed(1)} % of forecasts`,
  );
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  console.log(
    `  ratio: einlass's mean error is ${(mean(einlass.relative) / mean(naive)).toFixed(2)}x the naive forecast's (goal: within ±20 %)`,
  );
  console.log(
    `  (${(((forecasts * 2) / seconds) | 0).toLocaleString('en')} forecasts/s computed, ${((seconds * 1000) / (forecasts * 2)).toFixed(2)} ms each)`,
  );
}

main();
