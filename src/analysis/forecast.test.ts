import { describe, expect, it } from 'vitest';
import { logFactorial } from './backtest.ts';
import { forecastCounts, percentile, simulatePathCounts, summarise } from './forecast.ts';

/** Poisson quantile by its CDF: the smallest q with P(X ≤ q) ≥ p. */
function poissonQuantile(rate: number, p: number): number {
  let cdf = 0;
  for (let q = 0; ; q++) {
    cdf += Math.exp(q * Math.log(rate) - rate - logFactorial(q));
    if (cdf >= p) return q;
  }
}

describe('forecast by simulation', () => {
  it('with α = 0 reduces to independent Poisson days at rate μ', () => {
    const mu = [2.2, 0.4];
    const paths = 20_000;
    const forecast = forecastCounts(
      {
        mu,
        alpha: [
          [0, 0],
          [0, 0],
        ],
        beta: 1,
      },
      { state: [5, 5], days: 7, paths, seed: 11 },
    );
    forecast.sides.forEach((side, k) => {
      const rate = mu[k]!;
      for (const day of side.days) {
        // Mean within 4 standard errors of μ; P(≥1) within 4 standard errors of 1 − e^{-μ}.
        expect(Math.abs(day.mean - rate)).toBeLessThan(4 * Math.sqrt(rate / paths));
        const p = 1 - Math.exp(-rate);
        expect(Math.abs(day.pAtLeastOne - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / paths));
        expect(day.p80).toEqual([poissonQuantile(rate, 0.1), poissonQuantile(rate, 0.9)]);
        expect(day.median).toBe(poissonQuantile(rate, 0.5));
      }
      // Seven independent Poisson days: the total is Poisson(7μ).
      expect(Math.abs(side.total.mean - 7 * rate)).toBeLessThan(4 * Math.sqrt((7 * rate) / paths));
      expect(side.total.p95).toEqual([poissonQuantile(7 * rate, 0.025), poissonQuantile(7 * rate, 0.975)]);
    });
  });

  it('self-excitation widens the intervals and a recent burst raises the first days', () => {
    const params = { mu: [0.5], alpha: [[0.6]], beta: Math.LN2 / 2 };
    const calm = forecastCounts(params, { days: 7, paths: 4000, seed: 1 });
    const burst = forecastCounts(params, { state: [6], days: 7, paths: 4000, seed: 1 });
    expect(burst.sides[0]!.days[0]!.mean).toBeGreaterThan(calm.sides[0]!.days[0]!.mean + 0.5);
    // Stationary mean rate μ / (1 − α) = 1.25 per day; from a calm start it climbs towards it.
    expect(calm.sides[0]!.days[6]!.mean).toBeGreaterThan(calm.sides[0]!.days[0]!.mean);
    const total = calm.sides[0]!.total;
    // Over-dispersed: wider than a Poisson of the same mean.
    expect(total.p95[1] - total.p95[0]).toBeGreaterThan(
      poissonQuantile(total.mean, 0.975) - poissonQuantile(total.mean, 0.025),
    );
  });

  it('is reproducible from its seed', () => {
    const params = {
      mu: [0.7, 0.3],
      alpha: [
        [0.2, 0.3],
        [0.4, 0.1],
      ],
      beta: 0.4,
    };
    const a = simulatePathCounts(params, { days: 7, paths: 200, seed: 5 });
    const b = simulatePathCounts(params, { days: 7, paths: 200, seed: 5 });
    const c = simulatePathCounts(params, { days: 7, paths: 200, seed: 6 });
    expect(a.counts).toEqual(b.counts);
    expect(a.counts).not.toEqual(c.counts);
  });

  it('summarises with nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1)).toBe(1);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(summarise([0, 0, 1, 3])).toMatchObject({ mean: 1, median: 0, pAtLeastOne: 0.5 });
  });
});
