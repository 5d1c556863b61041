/**
 * Early-warning evaluation for `npm run eval`: a rolling-origin backtest of the Hawkes model's
 * one-day-ahead forecasts against Poisson baselines, on
 *   1. REAL data: the New America Pakistan drone-strike series (414 strikes, 2004–2018) — one side
 *      only, so a univariate sanity check of the machinery on real, bursty, non-stationary events;
 *   2. real two-sided data (ACLED, …) from a Truce instance named by TRUCE_EVAL_INSTANCE, when
 *      there is one — none ships offline, so by default this is reported as skipped;
 *   3. SYNTHETIC data: a bivariate series simulated from known parameters — the only place the
 *      two-sided model can be checked offline, and labelled as such everywhere it is printed.
 * Scores: log-likelihood of each day's observed count (higher is better) and the Brier score of
 * P(≥ 1 incident that day) (lower is better), per side, over every day from the first origin.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { MECHANISM } from '../src/access/viewer.ts';
import {
  hawkesModel,
  type Model,
  type ModelScore,
  pairedDifference,
  poissonHistory,
  poissonTrailing,
  rollingBacktest,
} from '../src/analysis/backtest.ts';
import { loadIncidents, loadSides } from '../src/analysis/data.ts';
import { branchingRatio, fitHawkes, type HawkesParams, halfLife } from '../src/analysis/hawkes.ts';
import { seededRng } from '../src/analysis/random.ts';
import { simulateEvents } from '../src/analysis/simulate.ts';
import { DAY_RESOLUTION_MIN_HALF_LIFE, dailyEvents, dayIndex, dayString } from '../src/analysis/timeline.ts';
import { modelEvents } from '../src/analysis/warning.ts';
import { instanceOptions, openInstance } from '../src/instance.ts';

const DRONE_CSV = new URL(
  '../../shared/data/pakistan-drone-strikes/new-america-drone-strikes.csv',
  import.meta.url,
);
const PATHS = 2000;
const TRAILING = 28;

type Data = { events: { day: number; k: number }[]; dims: number; first: number; last: number };

function fitSummary(data: Data, names: readonly string[]): string[] {
  const fit = fitHawkes(dailyEvents(data.events, data.dims, data.first, data.last), {
    maxBeta: Math.LN2 / DAY_RESOLUTION_MIN_HALF_LIFE,
  });
  return [
    ...describeParams(fit.params, names),
    `  EM: ${fit.iterations} iterations, converged: ${fit.converged}`,
  ];
}

function describeParams(params: HawkesParams, names: readonly string[]): string[] {
  const f = (x: number) => x.toFixed(3);
  return [
    `  mu (per day): ${names.map((n, i) => `${n} ${f(params.mu[i]!)}`).join(', ')}`,
    `  alpha (row answers column): ${params.alpha
      .map((row, i) => `${names[i]}←[${row.map((a, j) => `${names[j]} ${f(a)}`).join(', ')}]`)
      .join('  ')}`,
    `  half-life ${halfLife(params.beta).toFixed(2)} days, branching ratio ${f(branchingRatio(params.alpha))}`,
  ];
}

function printScores(scores: ModelScore[], names: readonly string[]): void {
  const reference = scores.find((s) => s.model.startsWith('poisson-trailing'))!;
  names.forEach((name, k) => {
    const side = reference.sides[k]!;
    console.log(
      `  side ${name}: ${side.days} days scored, ${side.events} incidents on ${side.activeDays} days (${(side.events / side.days).toFixed(3)} per day)`,
    );
    console.log(
      `    ${'model'.padEnd(24)}${'log-lik'.padStart(11)}${'per day'.padStart(10)}${'Δ vs trailing ± se'.padStart(20)}${'Brier'.padStart(9)}${'skill'.padStart(8)}${'mean pred'.padStart(11)}`,
    );
    for (const score of scores) {
      const s = score.sides[k]!;
      const r = reference.sides[k]!;
      const gain = pairedDifference(s.dailyLogLik, r.dailyLogLik);
      const delta = score === reference ? '—' : `${gain.total.toFixed(1)} ± ${gain.se.toFixed(1)}`;
      console.log(
        `    ${score.model.padEnd(24)}${s.logLik.toFixed(1).padStart(11)}${s.meanLogLik.toFixed(4).padStart(10)}${delta.padStart(20)}${s.brier.toFixed(4).padStart(9)}${(1 - s.brier / r.brier).toFixed(3).padStart(8)}${s.meanPredicted.toFixed(3).padStart(11)}`,
      );
    }
  });
  console.log(
    '    (Δ log-lik > 0: better than the trailing Poisson; se from paired daily differences, days taken as independent;',
  );
  console.log('     skill = 1 − Brier / Brier of the trailing Poisson)');
}

function droneStrikes(): Data {
  const rows = parse(readFileSync(DRONE_CSV), { columns: true, bom: true }) as Record<string, string>[];
  const events = rows.flatMap((row) =>
    // Each row is one strike ("strikes" is 1 throughout the file); the date is its day.
    Array.from({ length: Number(row.strikes ?? 1) || 1 }, () => ({ day: dayIndex(row.date!), k: 0 })),
  );
  const days = events.map((e) => e.day);
  return { events, dims: 1, first: Math.min(...days), last: Math.max(...days) };
}

function evalReal(): void {
  console.log('\n== REAL DATA: New America, US drone strikes in Pakistan (univariate: one side only) ==');
  const data = droneStrikes();
  console.log(`  ${data.events.length} strikes, ${dayString(data.first)} … ${dayString(data.last)}`);
  console.log('  Hawkes fit on all of it:');
  for (const line of fitSummary(data, ['US'])) console.log(line);
  const origin = dayIndex('2008-01-01');
  console.log(
    `  Rolling origin: every day from ${dayString(origin)} to ${dayString(data.last)}, one day ahead; Hawkes refitted weekly.`,
  );
  const models: Model[] = [
    hawkesModel(data, { paths: PATHS }),
    hawkesModel(data, { paths: PATHS, fitWindow: 365 }),
    poissonTrailing(data, TRAILING),
    poissonHistory(data),
  ];
  printScores(rollingBacktest(data, models, origin), ['US']);
}

/**
 * Real two-sided data, when there is some: the incidents of a Truce instance (e.g. one into which
 * an ACLED export was imported), read as the mechanism sees them. Nothing like it ships offline.
 */
async function evalInstance(dir: string | undefined): Promise<void> {
  if (!dir) {
    console.log(
      '\n== REAL BIVARIATE DATA (ACLED or other): skipped — none is available offline. Import an ACLED export into a Truce',
    );
    console.log('   instance and run with TRUCE_EVAL_INSTANCE=<its data directory> to backtest on it. ==');
    return;
  }
  const instance = await openInstance(instanceOptions({ data: dir }));
  try {
    const db = instance.store.db;
    const sides = await loadSides(db);
    const events = modelEvents(await loadIncidents(db, MECHANISM, sides), sides);
    console.log(`\n== REAL DATA from the Truce instance at ${dir}: sides ${sides.join(', ')} ==`);
    if (sides.length === 0 || events.length < 100) {
      console.log(
        `  ${events.length} violent incidents by a side: too few to backtest (needs 100); skipped.`,
      );
      return;
    }
    const days = events.map((e) => e.day);
    const data: Data = { events, dims: sides.length, first: Math.min(...days), last: Math.max(...days) };
    console.log(`  ${events.length} violent incidents, ${dayString(data.first)} … ${dayString(data.last)}`);
    for (const line of fitSummary(data, sides)) console.log(line);
    // The first origin after a third of the period, so every fit has history behind it.
    const origin = data.first + Math.max(30, Math.floor((data.last - data.first) / 3));
    if (origin > data.last) {
      console.log('  The period is too short for a rolling origin; skipped.');
      return;
    }
    console.log(
      `  Rolling origin: every day from ${dayString(origin)}, one day ahead; Hawkes refitted weekly.`,
    );
    const models: Model[] = [
      hawkesModel(data, { paths: PATHS }),
      hawkesModel(data, { paths: PATHS, fitWindow: 365 }),
      poissonTrailing(data, TRAILING),
      poissonHistory(data),
    ];
    printScores(rollingBacktest(data, models, origin), sides);
  } finally {
    await instance.store.close();
  }
}

/** Two sides that answer each other more than they answer themselves; branching ratio 0.55. */
export const SYNTHETIC_TRUTH: HawkesParams = {
  mu: [0.25, 0.15],
  alpha: [
    [0.2, 0.35],
    [0.4, 0.15],
  ],
  beta: Math.LN2 / 2,
};

function evalSynthetic(): void {
  console.log('\n== SYNTHETIC DATA (simulated, NOT real): bivariate Hawkes with known parameters ==');
  const days = 1500;
  const simulated = simulateEvents(SYNTHETIC_TRUTH, { start: 0, end: days, rng: seededRng(2025) });
  // Observed as the real data would be: day-dated, the time of day lost.
  const data: Data = {
    events: simulated.map((e) => ({ day: Math.floor(e.t), k: e.k })),
    dims: 2,
    first: 0,
    last: days - 1,
  };
  const names = ['A', 'B'];
  console.log(`  ${data.events.length} simulated incidents over ${days} days, seed 2025; true parameters:`);
  for (const line of describeParams(SYNTHETIC_TRUTH, names)) console.log(line);
  console.log('  Fitted on all of it, from day-dated events (jittered within the day):');
  for (const line of fitSummary(data, names)) console.log(line);
  console.log('  Rolling origin: every day from day 365 on, one day ahead; Hawkes refitted weekly.');
  const models: Model[] = [
    hawkesModel(data, { paths: PATHS }),
    hawkesModel(data, { paths: PATHS, params: SYNTHETIC_TRUTH, name: 'oracle (true params)' }),
    poissonTrailing(data, TRAILING),
    poissonHistory(data),
  ];
  printScores(rollingBacktest(data, models, 365), names);
}

export async function evalForecast(): Promise<void> {
  console.log('\n# Early warning: one-day-ahead forecasts, rolling origin (src/analysis/backtest.ts)');
  console.log(
    `  Models: hawkes (all history), hawkes-last-365d (sliding year), poisson-trailing-${TRAILING}d, poisson-all-history (= Hawkes with α = 0).`,
  );
  console.log(`  Hawkes one-day distributions from ${PATHS} simulated days each (1 % Poisson floor).`);
  evalReal();
  await evalInstance(process.env.TRUCE_EVAL_INSTANCE);
  evalSynthetic();
}
