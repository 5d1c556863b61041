/**
 * Early-warning benchmarks for `npm run bench`: simulating and fitting the bivariate Hawkes model
 * on 100,000 synthetic events, one intensity pass, and a 7-day forecast of 1,000 paths.
 * Synthetic data only (there is no real bivariate series of that size offline).
 */

import { forecastCounts } from '../src/analysis/forecast.ts';
import {
  branchingRatio,
  eventSeries,
  excitationState,
  fitHawkes,
  intensityAtEvents,
} from '../src/analysis/hawkes.ts';
import { seededRng } from '../src/analysis/random.ts';
import { simulateEvents } from '../src/analysis/simulate.ts';

/** Branching ratio 0.55, ~1.2 events a day in all: 100,000 events take ~85,000 days. */
const TRUTH = {
  mu: [0.3, 0.2],
  alpha: [
    [0.2, 0.35],
    [0.4, 0.15],
  ],
  beta: Math.LN2 / 2,
};
const TARGET = 100_000;

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function timed<T>(work: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = work();
  return { ms: performance.now() - start, value };
}

export async function benchAnalysis(): Promise<Record<string, number>> {
  // Simulate a window long enough, then keep exactly the first 100,000 events.
  const sim = timed(() => simulateEvents(TRUTH, { start: 0, end: 90_000, rng: seededRng(100) }));
  const events = sim.value.slice(0, TARGET);
  const end = Math.ceil(events[events.length - 1]!.t);
  const series = eventSeries(events, 2, 0, end);
  intensityAtEvents(series, TRUTH); // warm-up
  const pass = timed(() => intensityAtEvents(series, TRUTH));
  const fit = timed(() => fitHawkes(series));
  const state = excitationState(series, fit.value.params.beta, end);
  const forecast = timed(() => forecastCounts(fit.value.params, { state, days: 7, paths: 1000, seed: 1 }));
  return {
    hawkesEvents: events.length,
    hawkesSimulateMs: round(sim.ms),
    hawkesIntensityPassMs: round(pass.ms, 2),
    hawkesFitMs: round(fit.ms),
    hawkesFitIterations: fit.value.iterations,
    hawkesFitMsPerIteration: round(fit.ms / Math.max(1, fit.value.iterations), 2),
    hawkesFitConverged: fit.value.converged ? 1 : 0,
    hawkesFitBranchingRatio: round(branchingRatio(fit.value.params.alpha), 3),
    forecast7Days1000PathsMs: round(forecast.ms),
  };
}
