/** A crossing's status timeline: what it is now and how many days it has been closed (CODEBOOK § Crossings). */

export type StatusPoint = { status: string; since: string };

const DAY_MS = 86_400_000;

/** The latest report at or before `asOf`. */
export function statusAt<T extends StatusPoint>(history: readonly T[], asOf: string): T | null {
  let current: T | null = null;
  for (const point of [...history].sort((a, b) => a.since.localeCompare(b.since))) {
    if (point.since <= asOf) current = point;
  }
  return current;
}

/** Whole and part days spent `closed` up to `asOf`, summed over every closure in the timeline. */
export function daysClosed(history: readonly StatusPoint[], asOf: string): number {
  const sorted = [...history].filter((p) => p.since <= asOf).sort((a, b) => a.since.localeCompare(b.since));
  let total = 0;
  for (const [i, point] of sorted.entries()) {
    if (point.status !== 'closed') continue;
    const until = sorted[i + 1]?.since ?? asOf;
    total += (Date.parse(until) - Date.parse(point.since)) / DAY_MS;
  }
  return Math.round(total * 10) / 10;
}
