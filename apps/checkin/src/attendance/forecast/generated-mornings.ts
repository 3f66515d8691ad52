/**
 * Mornings generated from a known model, to test and benchmark the arrival forecast against: each
 * of `registered` people comes with probability `showRate`, at a time drawn from a normal
 * distribution around `meanMinutes` from the start (spread `spreadMinutes`), through one of the
 * gates by their weights. Seeded, so a test sees the same morning every run.
 */
export interface MorningModel {
  registered: number;
  showRate: number;
  meanMinutes: number;
  spreadMinutes: number;
  gates: Record<string, number>;
  seed: number;
}

export interface GeneratedArrival {
  /** Minutes from the event's start. */
  minutes: number;
  gate: string;
}

/** mulberry32: a small, good-enough seeded generator. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateMorning(model: MorningModel): GeneratedArrival[] {
  const random = seededRandom(model.seed);
  const gates = Object.entries(model.gates);
  const weightSum = gates.reduce((sum, [, w]) => sum + w, 0);
  const arrivals: GeneratedArrival[] = [];
  for (let i = 0; i < model.registered; i++) {
    if (random() >= model.showRate) continue;
    // Box–Muller
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    let pick = random() * weightSum;
    let gate = gates[0][0];
    for (const [name, weight] of gates) {
      pick -= weight;
      if (pick <= 0) {
        gate = name;
        break;
      }
    }
    arrivals.push({ minutes: model.meanMinutes + normal * model.spreadMinutes, gate });
  }
  return arrivals.sort((a, b) => a.minutes - b.minutes);
}

/** Arrivals counted per whole minute from the start, as check-in counts an earlier event's. */
export function perMinute(arrivals: GeneratedArrival[]): { minute: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const a of arrivals) {
    const minute = Math.floor(a.minutes);
    counts.set(minute, (counts.get(minute) ?? 0) + 1);
  }
  return [...counts].map(([minute, count]) => ({ minute, count }));
}
