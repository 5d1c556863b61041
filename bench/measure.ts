/** Measuring and printing for every bench section: timers, percentiles, peak RSS, number formats, engine facts. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Store } from '../src/store/engine.ts';

let peakRss = process.memoryUsage().rss;
export const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const rssTimer = setInterval(sampleRss, 50);
rssTimer.unref();

/** Peak resident set size of this process so far, in MB (sampled every 50 ms and after each timed step). */
export function peakRssMb(): number {
  sampleRss();
  return round(peakRss / 2 ** 20);
}

/** 1-minute load average: other work on the machine inflates every time measured while it is high. */
export const loadAverage = () => round(os.loadavg()[0]!, 2);

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  sampleRss();
  return { ms, value };
}

export function timedSync<T>(work: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = work();
  const ms = performance.now() - start;
  sampleRss();
  return { ms, value };
}

/** Nearest-rank percentile. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export type Latency = { runs: number; p50Ms: number; p95Ms: number; maxMs: number };
export function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    p50Ms: round(percentile(sorted, 50), 3),
    p95Ms: round(percentile(sorted, 95), 3),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 3),
  };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
export const perSecond = (count: number, ms: number) => round((count * 1000) / ms, 1);

export function fmt(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export const int = (value: number) => value.toLocaleString('en-US');

/** One line of progress on the console: `[section/engine] what  figure  detail`. */
export function line(label: string, what: string, figure: string, detail = '') {
  console.log(`${`[${label}]`.padEnd(18)} ${what.padEnd(58)} ${figure.padStart(18)}  ${detail}`);
}

export function packageVersion(name: string): string {
  const path = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

export async function serverVersion(store: Store): Promise<string> {
  const { rows } = await store.pool.query<{ server_version: string }>('SHOW server_version');
  const pg = rows[0]?.server_version ?? '?';
  if (store.engine === 'pglite') return `PGlite ${packageVersion('@electric-sql/pglite')} (PostgreSQL ${pg})`;
  return `PostgreSQL ${pg}`;
}

export async function settings(store: Store, names: readonly string[]): Promise<string> {
  const out: string[] = [];
  for (const name of names) {
    const { rows } = await store.pool.query<Record<string, string>>(`SHOW ${name}`);
    out.push(`${name}=${rows[0]?.[name] ?? '?'}`);
  }
  return out.join(', ');
}
