/**
 * What a section of `npm run bench` is: a named benchmark that runs in a process of its own (once,
 * or once per engine), returns JSON for bench/results.json, and renders its own part of BENCHMARKS.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { type EngineName, openStore, type Store } from '../src/store/engine.ts';

export type SectionContext = {
  quick: boolean;
  /** The engine this run is for; undefined for a section that does not touch a database. */
  engine: EngineName | undefined;
  /** TRUCE_BENCH_DATABASE_URL or DATABASE_URL; a per-engine section gets a postgres run only when set. */
  databaseUrl: string | undefined;
  /** Prefix for progress lines: `section` or `section/engine`. */
  label: string;
};

/** The machine a run was measured on, as results.json keeps it. */
export type Machine = { node: string; platform: string; cpu: string; cores: number; memoryGb: number };

/** One process's run of a section, as results.json keeps it. */
export type SectionRun<R> = {
  engine: EngineName | null;
  seconds: number;
  /** 1-minute load average when the run started and ended. */
  loadAverage: { start: number; end: number };
  peakRssMb: number;
  /**
   * When (null: not known) and on which commit this run was measured, for a run kept from an
   * earlier measurement (a section rerun on one engine keeps its runs on the others). Absent: when
   * and where its section was measured.
   */
  measuredAt?: string | null;
  source?: { commit: string; dirty: string[] };
  /** …and on which machine (null: not recorded). Absent: its section's. */
  machine?: Machine | null;
  result: R;
};

export type SectionReport<R> = {
  title: string;
  generatedAt: string;
  quick: boolean;
  /** Commit the section was measured on (sections of one results.json may come from different runs). */
  source: { commit: string; dirty: string[] };
  /** The machine it was measured on; absent in sections written before machines were kept per section. */
  machine?: Machine;
  sizes: Record<string, number>;
  seconds: number;
  runs: SectionRun<R>[];
  skipped: { engine: EngineName; reason: string }[];
};

/**
 * This run's sections over an earlier results.json's: a section rerun on one engine keeps its
 * earlier runs on the others, each stamped with when, on which commit and on which machine it was measured.
 */
export function mergeSections(
  previous: Record<string, SectionReport<unknown>>,
  reports: Record<string, SectionReport<unknown>>,
): Record<string, SectionReport<unknown>> {
  const merged = { ...previous };
  for (const [name, report] of Object.entries(reports)) {
    const ran = new Set(report.runs.map((r) => r.engine));
    const before = previous[name];
    const kept = (before?.runs ?? [])
      .filter((r) => !ran.has(r.engine))
      .map((r): SectionRun<unknown> => {
        const source = r.source ?? before?.source;
        const measuredAt = r.measuredAt === undefined ? (before?.generatedAt ?? null) : r.measuredAt;
        const machine = r.machine === undefined ? (before?.machine ?? null) : r.machine;
        return { ...r, measuredAt, machine, ...(source ? { source } : {}) };
      });
    // In the order a full run makes them (PGlite, then PostgreSQL), whichever was rerun.
    const runs = [...kept, ...report.runs].sort((a, b) => engineOrder(a.engine) - engineOrder(b.engine));
    merged[name] = { ...report, runs };
  }
  return merged;
}

function engineOrder(engine: EngineName | null): number {
  return engine === 'pglite' ? 0 : engine === 'postgres' ? 1 : 2;
}

/**
 * For a run kept from an earlier measurement: when (if known), on which commit and, when it is not
 * its section's, on which machine, before its figures.
 */
export function measuredApart(run: SectionRun<unknown>, section?: Machine): string {
  if (run.measuredAt === undefined && !run.source) return '';
  const when = run.measuredAt ? ` ${run.measuredAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  const where =
    run.machine === null
      ? ' (machine not recorded)'
      : run.machine && !sameMachine(run.machine, section)
        ? ` on another machine (${machineName(run.machine)})`
        : '';
  return `measured${when}${run.source ? ` at commit ${run.source.commit}` : ''}${where}, `;
}

/** `2 cores, AMD EPYC, linux 6.18.44-fc-v782 x64`: what tells the machines of this workplace apart. */
export function machineName(machine: Machine): string {
  return `${machine.cores} cores, ${machine.cpu}, ${machine.platform}`;
}

function sameMachine(a: Machine, b: Machine | undefined): boolean {
  return b !== undefined && a.cpu === b.cpu && a.cores === b.cores && a.platform === b.platform;
}

/**
 * Method syntax on purpose: it lets sections with different result types share one registry
 * (`Section<unknown>[]`) while each keeps its own typed `markdown`.
 */
export type Section<R> = {
  /** The key in results.json and the name `--only` takes. */
  name: string;
  title: string;
  /** Once per engine (pglite, then postgres when a URL is set), or once for engine-free work. */
  perEngine: boolean;
  sizes(quick: boolean): Record<string, number>;
  run(ctx: SectionContext): Promise<R>;
  /** The section's part of BENCHMARKS.md (after its heading and when/where line): input sentence, table, notes. */
  markdown(report: SectionReport<R>): string[];
};

export const ENGINE_NAMES: Record<EngineName, string> = { pglite: 'PGlite', postgres: 'PostgreSQL' };

export type BenchStore = { store: Store; persistence: string; drop(): Promise<void> };

/**
 * A fresh database for one run: PGlite on a new data directory under the OS temp directory (not
 * in memory, as deployed), or a new schema `bench_<random>` on the PostgreSQL server; `drop`
 * closes it and deletes the directory or drops the schema.
 */
export async function openBenchStore(
  engine: EngineName,
  databaseUrl: string | undefined,
  options: { poolSize?: number } = {},
): Promise<BenchStore> {
  if (engine === 'pglite') {
    const dataDir = mkdtempSync(join(os.tmpdir(), 'truce-bench-'));
    const store = await openStore({ dataDir });
    return {
      store,
      persistence: `data directory in ${os.tmpdir()}`,
      async drop() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  if (!databaseUrl) throw new Error('postgres run without TRUCE_BENCH_DATABASE_URL or DATABASE_URL');
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const store = await openStore({ databaseUrl, schema, poolSize: options.poolSize });
  return {
    store,
    persistence: `schema ${schema}`,
    async drop() {
      await store.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
      await store.close();
    },
  };
}

/** A Markdown table from a header row and body rows. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: string,
): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${align ?? header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}
