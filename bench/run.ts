/**
 * `npm run bench`: runs the sections registered in bench/sections.ts, each in a Node process of its
 * own (once, or once per engine), and writes bench/results.json (one key per section) and
 * BENCHMARKS.md (a table per section, every figure next to a baseline measured in the same run).
 *
 *   npm run bench [-- --quick] [--only record,load] [--engine pglite|postgres|all] [--write|--no-write]
 *   npm run bench -- --render     (BENCHMARKS.md again from bench/results.json, nothing run)
 *
 * PostgreSQL is used when TRUCE_BENCH_DATABASE_URL or DATABASE_URL is set (in fresh schemas,
 * dropped at the end); otherwise its runs are skipped, saying so. With --only and --write, the
 * sections not run keep their previous figures in results.json, each labelled with its own date.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineName } from '../src/store/engine.ts';
import { fmt, loadAverage, peakRssMb, round } from './measure.ts';
import {
  ENGINE_NAMES,
  type Machine,
  machineName,
  measuredApart,
  mergeSections,
  type Section,
  type SectionReport,
  type SectionRun,
} from './section.ts';
import { SECTIONS } from './sections.ts';

// ---------------------------------------------------------------------------------------------
// Options

type Options = {
  quick: boolean;
  sections: Section<unknown>[];
  engines: EngineName[];
  write: boolean;
  /** Only write BENCHMARKS.md again from bench/results.json. */
  render: boolean;
  /** Internal: run one section (on one engine) in this process and leave its run in this file. */
  child: { section: Section<unknown>; engine: EngineName | undefined; resultFile: string } | undefined;
};

const USAGE =
  'usage: npm run bench -- [--quick] [--only SECTION[,SECTION…]] [--engine pglite|postgres|all] [--write|--no-write]\n' +
  '       npm run bench -- --render   (BENCHMARKS.md again from bench/results.json)\n' +
  `sections: ${SECTIONS.map((s) => s.name).join(', ')}`;

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

function sectionNamed(name: string): Section<unknown> {
  const section = SECTIONS.find((s) => s.name === name);
  if (!section) usage(`--only: no section "${name}"`);
  return section;
}

function parseArgs(argv: readonly string[]): Options {
  let quick = false;
  let engine = 'all';
  let only: string | undefined;
  let write: boolean | undefined;
  let render = false;
  let child: Options['child'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--write') write = true;
    else if (arg === '--no-write') write = false;
    else if (arg === '--render') render = true;
    else if (arg === '--engine') engine = argv[++i] ?? '';
    else if (arg.startsWith('--engine=')) engine = arg.slice('--engine='.length);
    else if (arg === '--only') only = argv[++i] ?? '';
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--child') {
      const [name, engineName, resultFile] = [argv[++i], argv[++i], argv[++i]];
      if (!name || !resultFile || !['pglite', 'postgres', '-'].includes(engineName ?? ''))
        usage('--child SECTION ENGINE|- RESULT_FILE');
      child = {
        section: sectionNamed(name),
        engine: engineName === '-' ? undefined : (engineName as EngineName),
        resultFile,
      };
    } else usage(`unknown argument ${arg}`);
  }
  if (!['pglite', 'postgres', 'all'].includes(engine)) usage('--engine must be pglite, postgres or all');
  const names = only === undefined ? SECTIONS.map((s) => s.name) : only.split(',').map((s) => s.trim());
  if (names.length === 0 || names.some((n) => n === '')) usage('--only needs section names');
  const chosen = new Set(names.map((n) => sectionNamed(n)));
  return {
    quick,
    // Registry order, whatever order --only named them in.
    sections: SECTIONS.filter((s) => chosen.has(s)),
    engines: engine === 'all' ? ['pglite', 'postgres'] : [engine as EngineName],
    // A smoke run must not overwrite the published figures unless asked to.
    write: write ?? !quick,
    render,
    child,
  };
}

const options = parseArgs(process.argv.slice(2));
const DATABASE_URL = process.env.TRUCE_BENCH_DATABASE_URL || process.env.DATABASE_URL || undefined;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results.json');

// ---------------------------------------------------------------------------------------------
// --render: BENCHMARKS.md again from results.json, after a change to how it is written

if (options.render) {
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), markdown(JSON.parse(readFileSync(RESULTS, 'utf8')) as Results));
  console.log('wrote BENCHMARKS.md from bench/results.json');
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// A child: one section, one engine

if (options.child) {
  const { section, engine, resultFile } = options.child;
  const label = engine ? `${section.name}/${engine}` : section.name;
  const start = loadAverage();
  const started = performance.now();
  try {
    const result = await section.run({ quick: options.quick, engine, databaseUrl: DATABASE_URL, label });
    const run: SectionRun<unknown> = {
      engine: engine ?? null,
      seconds: round((performance.now() - started) / 1000),
      loadAverage: { start, end: loadAverage() },
      peakRssMb: peakRssMb(),
      result,
    };
    writeFileSync(resultFile, JSON.stringify(run));
    process.exit(0);
  } catch (error) {
    console.error(`[${label}] FAILED:`, error);
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------
// The parent: every chosen section, a process per run

function gitState(): { commit: string; dirty: string[] } {
  const git = (...args: string[]) => {
    const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trimEnd() : '';
  };
  const dirty = git('status', '--porcelain', '--', 'src')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
  return { commit: git('rev-parse', '--short', 'HEAD').trim() || 'unknown', dirty };
}

const machine: Machine = {
  node: process.version,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism?.() ?? os.cpus().length,
  memoryGb: round(os.totalmem() / 2 ** 30),
};
const source = gitState();
console.log(
  `Truce benchmarks${options.quick ? ' (--quick)' : ''}: ${options.sections.map((s) => s.name).join(', ')}; ` +
    `Node ${machine.node}, ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
console.log(
  `source: ${source.commit}${source.dirty.length ? ` + ${source.dirty.length} uncommitted file(s) in src/` : ''}\n`,
);

function runChild(
  section: Section<unknown>,
  engine: EngineName | undefined,
  scratch: string,
): SectionRun<unknown> | null {
  const resultFile = join(scratch, `${section.name}-${engine ?? 'once'}.json`);
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      join(ROOT, 'bin', 'run-ts.js'),
      fileURLToPath(import.meta.url),
      '--child',
      section.name,
      engine ?? '-',
      resultFile,
      ...(options.quick ? ['--quick'] : []),
    ],
    { stdio: 'inherit' },
  );
  if (child.status !== 0) return null;
  return JSON.parse(readFileSync(resultFile, 'utf8')) as SectionRun<unknown>;
}

const started = performance.now();
const reports: Record<string, SectionReport<unknown>> = {};
/** Runs that failed (a load run with any error fails): their section is not recorded, and the exit code is 1. */
const failures: string[] = [];
const scratch = mkdtempSync(join(os.tmpdir(), 'truce-bench-results-'));
try {
  for (const section of options.sections) {
    const sectionStarted = performance.now();
    const runs: SectionRun<unknown>[] = [];
    const skipped: SectionReport<unknown>['skipped'] = [];
    for (const engine of section.perEngine ? options.engines : [undefined]) {
      if (engine === 'postgres' && !DATABASE_URL) {
        const reason = 'neither TRUCE_BENCH_DATABASE_URL nor DATABASE_URL is set';
        console.log(`[${section.name}/postgres] skipped: ${reason}\n`);
        skipped.push({ engine, reason });
        continue;
      }
      const run = runChild(section, engine, scratch);
      const label = `${section.name}${engine ? `/${engine}` : ''}`;
      if (run) runs.push(run);
      else {
        failures.push(label);
        console.error(`[${label}] FAILED; section ${section.name} will not be recorded`);
      }
      console.log('');
    }
    if (failures.some((f) => f === section.name || f.startsWith(`${section.name}/`))) continue;
    reports[section.name] = {
      title: section.title,
      generatedAt: new Date().toISOString(),
      quick: options.quick,
      source,
      machine,
      sizes: section.sizes(options.quick),
      seconds: round((performance.now() - sectionStarted) / 1000),
      runs,
      skipped,
    };
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const totalSeconds = round((performance.now() - started) / 1000);
const allRuns = Object.values(reports).flatMap((r) => r.runs);
console.log(
  `total ${totalSeconds} s, peak RSS ${fmt(Math.max(0, ...allRuns.map((r) => r.peakRssMb)))} MB, ` +
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);

type Results = {
  generatedAt: string;
  /** The machine of the run that wrote the file; each section keeps its own. */
  machine: Machine;
  /** Seconds of the run that wrote this file (which may have run only some sections). */
  totalSeconds: number;
  sections: Record<string, SectionReport<unknown>>;
};

/** Sections from an earlier results.json that this run did not measure (only files of this layout). */
function previousSections(): Record<string, SectionReport<unknown>> {
  if (!existsSync(RESULTS)) return {};
  try {
    const previous = JSON.parse(readFileSync(RESULTS, 'utf8')) as Partial<Results>;
    return previous.sections ?? {};
  } catch {
    return {};
  }
}

if (options.write && Object.keys(reports).length > 0) {
  const merged = mergeSections(previousSections(), reports);
  const results: Results = {
    generatedAt: new Date().toISOString(),
    machine,
    totalSeconds,
    // Registry order; a section no longer registered is dropped.
    sections: Object.fromEntries(
      SECTIONS.filter((s) => merged[s.name]).map((s) => [s.name, merged[s.name]!]),
    ),
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), markdown(results));
  console.log(
    `wrote bench/results.json and BENCHMARKS.md${failures.length ? ' (without the failed sections: an earlier run’s figures for them, if any, are kept)' : ''}`,
  );
} else {
  const why = !options.write
    ? options.quick
      ? 'a --quick run writes nothing unless given --write'
      : '--no-write'
    : 'no section succeeded';
  console.log(`results not written (${why})`);
}

if (failures.length > 0) {
  console.error(
    `FAILED: ${failures.join(', ')} (see above); rerun with --only ${[...new Set(failures.map((f) => f.split('/')[0]))].join(',')}`,
  );
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// BENCHMARKS.md

function markdown(r: Results): string {
  const reportsOf = SECTIONS.filter((s) => r.sections[s.name]).map((s) => ({
    section: s,
    report: r.sections[s.name]!,
  }));
  const dates = [...new Set(reportsOf.map(({ report }) => report.generatedAt.slice(0, 10)))];
  const out: string[] = [];
  out.push('# Benchmarks');
  out.push('');
  out.push(
    `Generated by \`npm run bench\` (${dates.join(', ')}). Every ratio is against a baseline measured in the same run, ` +
      'on the same machine and engine; each section says what input it was measured on and when. Regenerate with `npm run bench`; ' +
      '`npm run bench -- --quick` is a smoke run that writes nothing, and `--only SECTION` reruns one section and keeps the others.',
  );
  out.push('');
  out.push(
    `**Machines.** The run that last wrote this file: ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGb} GB RAM, ` +
      `${r.machine.platform}; Node ${r.machine.node}. Sections rerun alone keep the others' figures, so each section names the ` +
      'machine it was measured on. Machines differ in speed: compare the ratios, each measured within one run, not absolute figures measured on different machines.',
  );
  out.push('');
  out.push(
    '**Engines and processes.** Each section runs in a Node process of its own, once per engine where it touches a database. ' +
      'PGlite runs on a fresh data directory under the OS temp directory (deleted afterwards), not in memory; PostgreSQL in a fresh schema ' +
      '`bench_<random>` (dropped afterwards) on the server named by `TRUCE_BENCH_DATABASE_URL` or `DATABASE_URL`. Both go through the same ' +
      '`pg.Pool` + Kysely path the application uses. PGlite runs with `fsync=off` (its WASM build made no fsync call over 100 commits under strace), ' +
      'so its commits reach the OS page cache only; PostgreSQL flushes its WAL at every commit with `fsync=on` and `synchronous_commit=on`. ' +
      'Peak RSS is the process’s own (`process.memoryUsage().rss`, sampled every 50 ms); for PGlite it includes the WASM Postgres.',
  );
  out.push('');
  const busy = reportsOf.some(({ report }) =>
    report.runs.some((run) => Math.max(run.loadAverage.start, run.loadAverage.end) > r.machine.cores / 2),
  );
  if (busy) {
    out.push(
      `> The machine was busy with other work during some runs (load average above ${r.machine.cores / 2} on ${r.machine.cores} cores, ` +
        'given per section): absolute figures are pessimistic; ratios, measured side by side, are steadier.',
    );
    out.push('');
  }
  out.push(
    `Sections: ${reportsOf.map(({ section }, i) => `${i + 1}. [${section.title}](#${i + 1}-${anchor(section.title)}) (\`${section.name}\`)`).join(' · ')}`,
  );
  for (const [i, { section, report }] of reportsOf.entries()) {
    out.push('');
    out.push(`## ${i + 1}. ${section.title}`);
    out.push('');
    const runs = report.runs
      .map(
        (run) =>
          `${run.engine ? `${ENGINE_NAMES[run.engine]}: ` : ''}${measuredApart(run, report.machine)}${fmt(run.seconds)} s, load average ${run.loadAverage.start} → ${run.loadAverage.end}, peak RSS ${fmt(run.peakRssMb)} MB`,
      )
      .join('; ');
    const skipped = report.skipped.map((k) => `; ${ENGINE_NAMES[k.engine]} skipped (${k.reason})`).join('');
    out.push(
      `_\`${section.name}\`: measured ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC${report.quick ? ' (**--quick**, small sizes)' : ''} ` +
        `at commit ${report.source.commit}${report.source.dirty.length ? ` with ${report.source.dirty.length} uncommitted file(s) in src/` : ''}` +
        `${report.machine ? ` on ${machineName(report.machine)}` : ' (machine not recorded)'}; ` +
        `${runs}${skipped}._`,
    );
    out.push('');
    out.push(...section.markdown(report));
  }
  return `${out.join('\n')}\n`;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}
