/**
 * Rolling-origin evaluation of one-day-ahead forecasts of daily counts per side: the Hawkes model
 * against Poisson baselines, scored by log-likelihood of the observed counts and by the Brier
 * score of P(≥ 1 incident tomorrow).
 *
 * Rolling origin (Tashman 2000): for each day t from the first origin on, every model sees only
 * the days before t, predicts day t, and is scored on it; the Hawkes parameters are re-estimated
 * every `refitEvery` days on the data before t (between refits the parameters stay, but the
 * history they act on is always up to t). Nothing after t ever reaches a forecast for t.
 */

import { simulatePathCounts } from './forecast.ts';
import { eventSeries, excitationState, fitHawkes, type HawkesParams } from './hawkes.ts';
import { DAY_RESOLUTION_MIN_HALF_LIFE, dailyCounts, dailyEvents } from './timeline.ts';

/** What a model says about one day: the probability of each count, per side. */
export type Predictive = {
  logPmf(k: number, count: number): number;
  pAtLeastOne(k: number): number;
  mean(k: number): number;
};

export type Model = { name: string; predict(origin: number): Predictive };

export type BacktestData = {
  events: readonly { day: number; k: number }[];
  dims: number;
  /** First and last day (indices) of the data. */
  first: number;
  last: number;
};

// ---------------------------------------------------------------------------------------------
// Scores

export function logFactorial(n: number): number {
  let total = 0;
  for (let i = 2; i <= n; i++) total += Math.log(i);
  return total;
}

export function poissonLogPmf(count: number, rate: number): number {
  if (rate === 0) return count === 0 ? 0 : Number.NEGATIVE_INFINITY;
  return count * Math.log(rate) - rate - logFactorial(count);
}

/** Brier score of one binary forecast: (p − outcome)². */
export function brier(p: number, happened: boolean): number {
  return (p - (happened ? 1 : 0)) ** 2;
}

export function poissonPredictive(rates: readonly number[]): Predictive {
  return {
    logPmf: (k, count) => poissonLogPmf(count, rates[k]!),
    pAtLeastOne: (k) => 1 - Math.exp(-rates[k]!),
    mean: (k) => rates[k]!,
  };
}

// ---------------------------------------------------------------------------------------------
// Baselines

/**
 * Poisson with each side's rate = the mean count of the `window` days before the origin: the
 * "same as lately" forecast that any early-warning model has to beat. An empty window gives
 * 0.5 / window rather than 0, so a quiet month does not call the next incident impossible.
 */
export function poissonTrailing(data: BacktestData, window: number): Model {
  const counts = dailyCounts(data.events, data.dims, data.first, data.last - data.first + 1);
  return {
    name: `poisson-trailing-${window}d`,
    predict(origin) {
      const to = origin - data.first;
      const from = Math.max(0, to - window);
      const days = to - from;
      return poissonPredictive(
        counts.map((series) => {
          let sum = 0;
          for (let d = from; d < to; d++) sum += series[d]!;
          return sum > 0 ? sum / days : 0.5 / Math.max(days, 1);
        }),
      );
    },
  };
}

/** Poisson at the mean rate of all history: the Hawkes model with α = 0, its nested null. */
export function poissonHistory(data: BacktestData): Model {
  const counts = dailyCounts(data.events, data.dims, data.first, data.last - data.first + 1);
  return {
    name: 'poisson-all-history',
    predict(origin) {
      const days = origin - data.first;
      return poissonPredictive(
        counts.map((series) => {
          let sum = 0;
          for (let d = 0; d < days; d++) sum += series[d]!;
          return Math.max(sum, 0.5) / Math.max(days, 1);
        }),
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The Hawkes model

export type HawkesModelOptions = {
  /** Re-estimate every this many days (default 7). */
  refitEvery?: number;
  /** Fit on the last this many days only (a sliding window); default all history. */
  fitWindow?: number;
  /** Simulated days behind each one-day predictive distribution (default 1,000). */
  paths?: number;
  seed?: number;
  /** Fixed parameters instead of fitting (the "oracle" on synthetic data, where the truth is known). */
  params?: HawkesParams;
  name?: string;
};

/**
 * Weight of the Poisson component mixed into the simulated one-day distribution. The simulated
 * frequencies give probability 0 to any count no path reached, and one such day would make the
 * log-likelihood −∞; a 1 % Poisson of the same mean is the usual floor for ensemble forecasts and
 * costs at most log(0.99) ≈ −0.01 per day when the simulation was right.
 */
export const POISSON_FLOOR = 0.01;

/**
 * The Hawkes model as a forecaster. Events are day-dated, so they are placed in continuous time
 * with seeded within-day jitter (timeline.ts dailyEvents) and the half-life is bounded below by
 * one day; the jitter is drawn once for the whole series, so a refit never re-rolls the past.
 */
export function hawkesModel(data: BacktestData, options: HawkesModelOptions = {}): Model {
  const refitEvery = options.refitEvery ?? 7;
  const paths = options.paths ?? 1000;
  const seed = options.seed ?? 1;
  const series = dailyEvents(data.events, data.dims, data.first, data.last, seed);
  const maxBeta = Math.LN2 / DAY_RESOLUTION_MIN_HALF_LIFE;
  let params: HawkesParams | undefined = options.params;
  let fittedAt = Number.NEGATIVE_INFINITY;
  return {
    name: options.name ?? (options.fitWindow ? `hawkes-last-${options.fitWindow}d` : 'hawkes'),
    predict(origin) {
      const before = upperBound(series.times, origin);
      const history = {
        ...series,
        times: series.times.subarray(0, before),
        marks: series.marks.subarray(0, before),
      };
      if (!options.params && (params === undefined || origin - fittedAt >= refitEvery)) {
        const start = options.fitWindow ? Math.max(data.first, origin - options.fitWindow) : data.first;
        const from = upperBound(series.times, start - 1e-12);
        const window = eventSeries([], data.dims, start, origin);
        const fitted = fitHawkes(
          {
            ...window,
            times: series.times.subarray(from, before),
            marks: series.marks.subarray(from, before),
          },
          { maxBeta, ...(params ? { init: params } : {}), maxIterations: 500, tolerance: 1e-8 },
        );
        // As in the baselines, a side with no events in the window keeps a rate of 0.5 per window.
        const floor = 0.5 / (origin - start);
        params = { ...fitted.params, mu: fitted.params.mu.map((mu) => Math.max(mu, floor)) };
        fittedAt = origin;
      }
      const model = params!;
      const state = excitationState({ ...history, start: data.first, end: origin }, model.beta, origin);
      const sim = simulatePathCounts(model, { state, days: 1, paths, seed: seed * 1_000_003 + origin });
      return simulatedPredictive(sim.counts, paths, data.dims);
    },
  };
}

/** Smoothed empirical distribution of simulated one-day counts (see POISSON_FLOOR). */
function simulatedPredictive(counts: Int32Array, paths: number, dims: number): Predictive {
  const frequencies: Map<number, number>[] = [];
  const means: number[] = [];
  for (let k = 0; k < dims; k++) {
    const freq = new Map<number, number>();
    let sum = 0;
    for (let path = 0; path < paths; path++) {
      const c = counts[path * dims + k]!;
      freq.set(c, (freq.get(c) ?? 0) + 1);
      sum += c;
    }
    frequencies.push(freq);
    means.push(sum / paths);
  }
  const pmf = (k: number, count: number) =>
    (1 - POISSON_FLOOR) * ((frequencies[k]!.get(count) ?? 0) / paths) +
    POISSON_FLOOR * Math.exp(poissonLogPmf(count, Math.max(means[k]!, 1e-9)));
  return {
    logPmf: (k, count) => Math.log(pmf(k, count)),
    pAtLeastOne: (k) => 1 - pmf(k, 0),
    mean: (k) => means[k]!,
  };
}

/** First index whose time is ≥ t (times ascending). */
function upperBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// The rolling origin

export type SideScore = {
  days: number;
  /** Incidents on the scored days. */
  events: number;
  /** Days with at least one incident. */
  activeDays: number;
  logLik: number;
  meanLogLik: number;
  brier: number;
  /** Mean predicted count, to compare with events / days. */
  meanPredicted: number;
  /** Each scored day's log-likelihood, for paired comparisons between models (pairedDifference). */
  dailyLogLik: number[];
};

export type ModelScore = { model: string; sides: SideScore[] };

/** Scores every model on every day from firstOrigin to the last day, one day ahead. */
export function rollingBacktest(
  data: BacktestData,
  models: readonly Model[],
  firstOrigin: number,
): ModelScore[] {
  if (firstOrigin <= data.first || firstOrigin > data.last)
    throw new RangeError('the first origin must fall after the first day and on or before the last');
  const counts = dailyCounts(data.events, data.dims, data.first, data.last - data.first + 1);
  const totals = models.map(() =>
    Array.from({ length: data.dims }, () => ({ logLik: 0, brier: 0, predicted: 0, daily: [] as number[] })),
  );
  for (let origin = firstOrigin; origin <= data.last; origin++) {
    models.forEach((model, m) => {
      const predictive = model.predict(origin);
      for (let k = 0; k < data.dims; k++) {
        const observed = counts[k]![origin - data.first]!;
        const total = totals[m]![k]!;
        const logLik = predictive.logPmf(k, observed);
        total.logLik += logLik;
        total.daily.push(logLik);
        total.brier += brier(predictive.pAtLeastOne(k), observed > 0);
        total.predicted += predictive.mean(k);
      }
    });
  }
  const days = data.last - firstOrigin + 1;
  return models.map((model, m) => ({
    model: model.name,
    sides: totals[m]!.map((total, k) => {
      const scored = counts[k]!.slice(firstOrigin - data.first);
      return {
        days,
        events: scored.reduce((a, b) => a + b, 0),
        activeDays: scored.filter((c) => c > 0).length,
        logLik: total.logLik,
        meanLogLik: total.logLik / days,
        brier: total.brier / days,
        meanPredicted: total.predicted / days,
        dailyLogLik: total.daily,
      };
    }),
  }));
}

/**
 * Total of a − b over paired days and its standard error √n · sd(a_t − b_t): a Diebold–Mariano
 * style check of whether a log-likelihood gain is more than noise. It treats days as independent,
 * which overstates certainty somewhat when forecast errors are autocorrelated.
 */
export function pairedDifference(a: readonly number[], b: readonly number[]): { total: number; se: number } {
  const n = Math.min(a.length, b.length);
  if (n < 2) return { total: Number.NaN, se: Number.NaN };
  const d = Array.from({ length: n }, (_, i) => a[i]! - b[i]!);
  const mean = d.reduce((x, y) => x + y, 0) / n;
  const variance = d.reduce((x, y) => x + (y - mean) ** 2, 0) / (n - 1);
  return { total: mean * n, se: Math.sqrt(variance * n) };
}
