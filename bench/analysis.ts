/**
 * The early-warning section of `npm run bench`: simulating and fitting the bivariate Hawkes model
 * on synthetic events, and a 7-day forecast of 1,000 paths, each expressed against one intensity
 * pass over the same events (the O(n) recursion every step builds on). Synthetic data only (there
 * is no real bivariate series of that size offline).
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
import { fmt, int, line, percentile, round, timedSync } from './measure.ts';
import { type Section, type SectionContext, type SectionReport, table } from './section.ts';

/** Branching ratio 0.55, ~1.1 events a day in all: 100,000 events take ~90,000 days. */
const TRUTH = {
  mu: [0.3, 0.2],
  alpha: [
    [0.2, 0.35],
    [0.4, 0.15],
  ],
  beta: Math.LN2 / 2,
};

type Sizes = { events: number; forecastPaths: number; forecastDays: number; intensityPasses: number };
const sizesFor = (quick: boolean): Sizes =>
  quick
    ? { events: 10_000, forecastPaths: 1_000, forecastDays: 7, intensityPasses: 5 }
    : { events: 100_000, forecastPaths: 1_000, forecastDays: 7, intensityPasses: 9 };

export type AnalysisResult = {
  events: number;
  /** Median of the intensity passes: the unit every other step is expressed in. */
  intensityPassMs: number;
  simulate: { ms: number; eventsPerSecond: number; passes: number };
  fit: {
    ms: number;
    iterations: number;
    msPerIteration: number;
    converged: boolean;
    branchingRatio: number;
    trueBranchingRatio: number;
    passesPerIteration: number;
  };
  forecast: { ms: number; days: number; paths: number; passes: number };
};

export const analysisSection: Section<AnalysisResult> = {
  name: 'analysis',
  title: 'Early warning: Hawkes model',
  perEngine: false,
  sizes: sizesFor,
  run: benchAnalysis,
  markdown,
};

export async function benchAnalysis(ctx: SectionContext): Promise<AnalysisResult> {
  const sizes = sizesFor(ctx.quick);
  // Simulate a window long enough, then keep exactly the first `events` events.
  const sim = timedSync(() =>
    simulateEvents(TRUTH, { start: 0, end: Math.ceil(sizes.events * 0.95), rng: seededRng(100) }),
  );
  const events = sim.value.slice(0, sizes.events);
  const end = Math.ceil(events[events.length - 1]!.t);
  const series = eventSeries(events, 2, 0, end);
  intensityAtEvents(series, TRUTH); // warm-up
  const passes = Array.from(
    { length: sizes.intensityPasses },
    () => timedSync(() => intensityAtEvents(series, TRUTH)).ms,
  ).sort((a, b) => a - b);
  const passMs = percentile(passes, 50);
  const fit = timedSync(() => fitHawkes(series));
  const state = excitationState(series, fit.value.params.beta, end);
  const forecast = timedSync(() =>
    forecastCounts(fit.value.params, {
      state,
      days: sizes.forecastDays,
      paths: sizes.forecastPaths,
      seed: 1,
    }),
  );
  const iterations = Math.max(1, fit.value.iterations);
  const result: AnalysisResult = {
    events: events.length,
    intensityPassMs: round(passMs, 2),
    simulate: {
      ms: round(sim.ms),
      eventsPerSecond: round((sim.value.length * 1000) / sim.ms),
      passes: round(sim.ms / passMs, 1),
    },
    fit: {
      ms: round(fit.ms),
      iterations: fit.value.iterations,
      msPerIteration: round(fit.ms / iterations, 2),
      converged: fit.value.converged,
      branchingRatio: round(branchingRatio(fit.value.params.alpha), 3),
      trueBranchingRatio: round(branchingRatio(TRUTH.alpha), 3),
      passesPerIteration: round(fit.ms / iterations / passMs, 1),
    },
    forecast: {
      ms: round(forecast.ms, 1),
      days: sizes.forecastDays,
      paths: sizes.forecastPaths,
      passes: round(forecast.ms / passMs, 1),
    },
  };
  line(ctx.label, `intensity pass over ${int(result.events)} events (baseline)`, `${fmt(passMs)} ms`);
  line(
    ctx.label,
    'simulate (Ogata thinning)',
    `${fmt(result.simulate.ms)} ms`,
    `${fmt(result.simulate.passes)} passes' worth`,
  );
  line(
    ctx.label,
    `EM fit (${result.fit.iterations} iterations${result.fit.converged ? '' : ', NOT converged'})`,
    `${fmt(result.fit.ms)} ms`,
    `${result.fit.msPerIteration} ms per iteration = ${fmt(result.fit.passesPerIteration)} passes; ` +
      `ρ ${result.fit.branchingRatio} (true ${result.fit.trueBranchingRatio})`,
  );
  line(
    ctx.label,
    `forecast ${sizes.forecastDays} days × ${int(sizes.forecastPaths)} paths`,
    `${fmt(result.forecast.ms)} ms`,
    `${fmt(result.forecast.passes)} passes' worth`,
  );
  return result;
}

function markdown(r: SectionReport<AnalysisResult>): string[] {
  const x = r.runs[0]?.result;
  if (!x) return [];
  const unit = `${fmt(x.intensityPassMs)} ms`;
  return [
    `Input: ${int(x.events)} events simulated from a known bivariate Hawkes process (μ = 0.3, 0.2 a day; branching ratio ` +
      `${x.fit.trueBranchingRatio}; excitation half-life 2 days), seeded; one thread, no database.`,
    '',
    ...table(
      ['measurement', 'Truce', `baseline: one intensity pass over the same events (${unit})`],
      [
        [
          `simulate ${int(x.events)} events (Ogata thinning)`,
          `${fmt(x.simulate.ms)} ms (${fmt(x.simulate.eventsPerSecond)} events/s)`,
          `**${fmt(x.simulate.passes)} passes**`,
        ],
        [
          `EM fit: ${x.fit.iterations} iterations${x.fit.converged ? ', converged' : ', **not converged**'}; fitted ρ ${x.fit.branchingRatio}`,
          `${fmt(x.fit.ms)} ms (${fmt(x.fit.msPerIteration)} ms per iteration)`,
          `**${fmt(x.fit.passesPerIteration)} passes per iteration**`,
        ],
        [
          `forecast: ${x.forecast.days} days × ${int(x.forecast.paths)} simulated paths from the fit`,
          `${fmt(x.forecast.ms)} ms`,
          `**${fmt(x.forecast.passes)} passes**`,
        ],
      ],
    ),
    '',
    'The baseline is `intensityAtEvents` (the median of several passes): the O(n) recursion every likelihood ' +
      'evaluation needs once, so each figure reads as "how many passes over the data it costs".',
  ];
}
