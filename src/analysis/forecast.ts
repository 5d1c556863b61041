/** The h-day forecast of incident counts per side: seeded simulated paths from the fitted process, summarised as mean and 80 % / 95 % intervals. */
import type { HawkesParams } from './hawkes.ts';
import { seededRng } from './random.ts';
import { excitationOf, simulateHawkes } from './simulate.ts';

export type PathCounts = {
  /** counts[(path · days + day) · dims + k] */
  counts: Int32Array;
  paths: number;
  days: number;
  dims: number;
  /** Paths stopped at maxEventsPerPath (only an explosive fit, branching ratio ≥ 1, gets there). */
  truncated: number;
};

export type PathOptions = {
  /** Excitation the history leaves at the origin (excitationState); zero for none. */
  state?: ArrayLike<number>;
  days: number;
  paths: number;
  seed: number;
  maxEventsPerPath?: number;
};

/**
 * Daily counts along `paths` independent continuations of the process from the origin (time 0
 * here, the start of the first forecast day). The count distribution of a self-exciting process
 * over a future window has no closed form — it is over-dispersed, because one event raises the
 * chance of the next — so it is estimated by Monte Carlo, Ogata-simulated, seeded for repeatability.
 */
export function simulatePathCounts(params: HawkesParams, options: PathOptions): PathCounts {
  const dims = params.mu.length;
  const { days, paths } = options;
  const counts = new Int32Array(paths * days * dims);
  const rng = seededRng(options.seed);
  let truncated = 0;
  let base = 0;
  const run = {
    start: 0,
    end: days,
    rng,
    excitation: excitationOf(params, options.state ?? new Float64Array(dims)),
    maxEvents: options.maxEventsPerPath ?? 100_000,
    onEvent: (t: number, k: number) => {
      counts[(base + Math.floor(t)) * dims + k]! += 1;
    },
  };
  for (let path = 0; path < paths; path++) {
    base = path * days;
    if (simulateHawkes(params, run).truncated) truncated += 1;
  }
  return { counts, paths, days, dims, truncated };
}

export type Summary = {
  mean: number;
  median: number;
  /** Central 80 % interval: the 10th and 90th percentiles of the simulated counts. */
  p80: [number, number];
  /** Central 95 % interval: the 2.5th and 97.5th percentiles. */
  p95: [number, number];
  /** Share of paths with at least one event. */
  pAtLeastOne: number;
};

/** Nearest-rank percentile of an ascending array (always a value some path produced). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarise(values: Int32Array | number[]): Summary {
  const sorted = Int32Array.from(values).sort();
  let sum = 0;
  let some = 0;
  for (const v of sorted) {
    sum += v;
    if (v > 0) some += 1;
  }
  return {
    mean: sum / sorted.length,
    median: percentile(sorted, 0.5),
    p80: [percentile(sorted, 0.1), percentile(sorted, 0.9)],
    p95: [percentile(sorted, 0.025), percentile(sorted, 0.975)],
    pAtLeastOne: some / sorted.length,
  };
}

export type SideForecast = {
  /** Day 1 is the first day after the origin. */
  days: (Summary & { day: number })[];
  /** The whole horizon's count. */
  total: Summary;
};

export type Forecast = { sides: SideForecast[]; paths: number; truncatedPaths: number };

/** Per side, per day and in total over the horizon: mean, median, 80 % and 95 % intervals, P(≥ 1). */
export function forecastCounts(params: HawkesParams, options: PathOptions): Forecast {
  const sim = simulatePathCounts(params, options);
  const { paths, days, dims, counts } = sim;
  const sides: SideForecast[] = [];
  for (let k = 0; k < dims; k++) {
    const perDay: SideForecast['days'] = [];
    const totals = new Int32Array(paths);
    for (let day = 0; day < days; day++) {
      const column = new Int32Array(paths);
      for (let path = 0; path < paths; path++) {
        const c = counts[(path * days + day) * dims + k]!;
        column[path] = c;
        totals[path]! += c;
      }
      perDay.push({ day: day + 1, ...summarise(column) });
    }
    sides.push({ days: perDay, total: summarise(totals) });
  }
  return { sides, paths, truncatedPaths: sim.truncated };
}
