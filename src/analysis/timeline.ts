/** Days as numbers: ISO dates to day indices and back, daily counts, and day-dated events placed in continuous time. */
import type { EventSeries } from './hawkes.ts';
import { eventSeries } from './hawkes.ts';
import { seededRng } from './random.ts';

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 (UTC) of an ISO date `YYYY-MM-DD`. */
export function dayIndex(day: string): number {
  const ms = Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a day: ${day}`);
  return Math.round(ms / MS_PER_DAY);
}

export function dayString(index: number): string {
  return new Date(index * MS_PER_DAY).toISOString().slice(0, 10);
}

/** counts[k][d]: events of dimension k on day first + d. */
export function dailyCounts(
  events: readonly { day: number; k: number }[],
  dims: number,
  first: number,
  days: number,
): number[][] {
  const counts = Array.from({ length: dims }, () => new Array<number>(days).fill(0));
  for (const e of events) {
    const d = e.day - first;
    if (d >= 0 && d < days) counts[e.k]![d]! += 1;
  }
  return counts;
}

/** The half-life below which a fit on day-dated events is not allowed to go (see dailyEvents). */
export const DAY_RESOLUTION_MIN_HALF_LIFE = 1;

/**
 * Day-dated events as a continuous-time series: each event at day + U, U uniform on [0, 1) from a
 * seeded generator, on the window [first, last + 1).
 *
 * Why jitter rather than a discrete-time model: the Hawkes likelihood, Ogata simulation and the
 * O(n) EM are those of continuous time, and with several events on one day their order within
 * it is unknown — a uniform position is the maximum-entropy guess, and a fixed seed keeps the
 * fit reproducible. The cost is that same-day events can excite one another in either order, so
 * an unbounded fit could explain "these share a day" as retaliation within hours; fits on jittered
 * data therefore bound the half-life below by one day (DAY_RESOLUTION_MIN_HALF_LIFE), the data's
 * resolution.
 */
export function dailyEvents(
  events: readonly { day: number; k: number }[],
  dims: number,
  first: number,
  last: number,
  seed = 1,
): EventSeries {
  const rng = seededRng(seed);
  // Jitter in a stable order (day, then dimension) so the same records always give the same times.
  const ordered = [...events].sort((a, b) => a.day - b.day || a.k - b.k);
  return eventSeries(
    ordered.map((e) => ({ t: e.day + rng(), k: e.k })),
    dims,
    first,
    last + 1,
  );
}
