import { describe, expect, it } from 'vitest';
import {
  brier,
  hawkesModel,
  type Model,
  pairedDifference,
  poissonHistory,
  poissonLogPmf,
  poissonTrailing,
  rollingBacktest,
} from './backtest.ts';
import { seededRng } from './random.ts';
import { simulateEvents } from './simulate.ts';

/** counts per day → one event per incident */
const fromCounts = (counts: number[]) =>
  counts.flatMap((c, day) => Array.from({ length: c }, () => ({ day, k: 0 })));

describe('scores', () => {
  it('Poisson log-pmf and Brier by hand', () => {
    expect(poissonLogPmf(0, 0.5)).toBeCloseTo(-0.5, 12);
    expect(poissonLogPmf(2, 0.5)).toBeCloseTo(-0.5 + Math.log(0.125), 12);
    expect(poissonLogPmf(0, 0)).toBe(0);
    expect(poissonLogPmf(1, 0)).toBe(Number.NEGATIVE_INFINITY);
    expect(brier(0.3, true)).toBeCloseTo(0.49, 12);
    expect(brier(0.3, false)).toBeCloseTo(0.09, 12);
  });

  it('rolling origin on a tiny series, checked by hand', () => {
    // Days 0…5 with counts 0 1 0 2 1 0; a trailing window of 2 days; origins 2…5.
    const data = { events: fromCounts([0, 1, 0, 2, 1, 0]), dims: 1, first: 0, last: 5 };
    const [trailing, history] = rollingBacktest(data, [poissonTrailing(data, 2), poissonHistory(data)], 2);
    // Rates 0.5, 0.5, 1.0, 1.5 for observed 0, 2, 1, 0:
    const logLik = -0.5 + (-0.5 + Math.log(0.125)) + -1 + -1.5;
    const p = (rate: number) => 1 - Math.exp(-rate);
    const brierMean = (p(0.5) ** 2 + (1 - p(0.5)) ** 2 + (1 - p(1)) ** 2 + p(1.5) ** 2) / 4;
    expect(trailing!.sides[0]).toMatchObject({ days: 4, events: 3, activeDays: 2 });
    expect(trailing!.sides[0]!.logLik).toBeCloseTo(logLik, 12);
    expect(trailing!.sides[0]!.brier).toBeCloseTo(brierMean, 12);
    expect(trailing!.sides[0]!.meanPredicted).toBeCloseTo((0.5 + 0.5 + 1 + 1.5) / 4, 12);
    // All history: 1/2, 1/3, 3/4, 4/5 per day.
    const rates = [1 / 2, 1 / 3, 3 / 4, 4 / 5];
    const observed = [0, 2, 1, 0];
    const expected = rates.reduce((sum, r, i) => sum + poissonLogPmf(observed[i]!, r), 0);
    expect(history!.sides[0]!.logLik).toBeCloseTo(expected, 12);
  });

  it('paired difference: total and its standard error', () => {
    // Differences 1, 1, 1, 5: total 8, sd 2, se 2·√4 = 4.
    expect(pairedDifference([2, 2, 2, 6], [1, 1, 1, 1])).toEqual({ total: 8, se: 4 });
  });

  it('a quiet window floors the rate at 0.5 / window instead of calling an incident impossible', () => {
    const data = { events: fromCounts([0, 0, 0, 0, 1]), dims: 1, first: 0, last: 4 };
    const [score] = rollingBacktest(data, [poissonTrailing(data, 4)], 4);
    expect(score!.sides[0]!.logLik).toBeCloseTo(poissonLogPmf(1, 0.125), 12);
  });

  it('never lets a forecast for day t see day t or later', () => {
    const events = simulateEvents(
      {
        mu: [0.4, 0.3],
        alpha: [
          [0.2, 0.3],
          [0.3, 0.2],
        ],
        beta: 0.4,
      },
      { start: 0, end: 200, rng: seededRng(2) },
    ).map((e) => ({ day: Math.floor(e.t), k: e.k }));
    const full = { events, dims: 2, first: 0, last: 199 };
    // Same past, different future: every forecast up to day 150 must be identical.
    const cut = { ...full, events: events.filter((e) => e.day < 150).concat([{ day: 170, k: 1 }]) };
    const predictions = (data: typeof full) => {
      const models: Model[] = [
        hawkesModel(data, { paths: 200 }),
        poissonTrailing(data, 14),
        poissonHistory(data),
      ];
      const out: number[] = [];
      for (let origin = 60; origin < 150; origin++)
        for (const m of models) out.push(m.predict(origin).pAtLeastOne(0), m.predict(origin).mean(1));
      return out;
    };
    expect(predictions(cut)).toEqual(predictions(full));
  });

  it('on data from a Hawkes process, the Hawkes forecasts beat both Poisson baselines', () => {
    // 1,200 days, ~1,000 events, 900 scored days: long enough that the ordering held for every
    // one of five seeds tried (at 400 scored days even the true parameters sometimes lose on one side).
    const truth = {
      mu: [0.25, 0.15],
      alpha: [
        [0.2, 0.35],
        [0.4, 0.15],
      ],
      beta: Math.LN2 / 2,
    };
    const events = simulateEvents(truth, { start: 0, end: 1200, rng: seededRng(7) }).map((e) => ({
      day: Math.floor(e.t),
      k: e.k,
    }));
    const data = { events, dims: 2, first: 0, last: 1199 };
    const [hawkes, trailing, history] = rollingBacktest(
      data,
      [hawkesModel(data, { paths: 1000, refitEvery: 30 }), poissonTrailing(data, 28), poissonHistory(data)],
      300,
    );
    for (let k = 0; k < 2; k++) {
      for (const baseline of [trailing!, history!]) {
        expect(hawkes!.sides[k]!.logLik).toBeGreaterThan(baseline.sides[k]!.logLik);
        expect(hawkes!.sides[k]!.brier).toBeLessThan(baseline.sides[k]!.brier);
      }
    }
  });
});
