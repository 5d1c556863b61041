import { describe, expect, it } from 'vitest';
import {
  type Machine,
  measuredApart,
  mergeSections,
  type SectionReport,
  type SectionRun,
} from '../bench/section.ts';

const xeon: Machine = { node: 'v20', platform: 'linux 6.18 x64', cpu: 'Intel Xeon', cores: 2, memoryGb: 24 };
const epyc: Machine = { ...xeon, cpu: 'AMD EPYC' };

const run = (engine: 'pglite' | 'postgres', seconds: number): SectionRun<unknown> => ({
  engine,
  seconds,
  loadAverage: { start: 1, end: 1 },
  peakRssMb: 100,
  result: { seconds },
});
const report = (commit: string, at: string, runs: SectionRun<unknown>[]): SectionReport<unknown> => ({
  title: 'Scale',
  generatedAt: at,
  quick: false,
  source: { commit, dirty: [] },
  machine: xeon,
  sizes: {},
  seconds: 1,
  runs,
  skipped: [],
});

describe('results.json across runs', () => {
  const earlier = report('aaaaaaa', '2026-11-25T10:00:00.000Z', [run('pglite', 800), run('postgres', 400)]);
  const now = report('bbbbbbb', '2026-11-26T13:00:00.000Z', [run('postgres', 500)]);

  it('keeps the engines not rerun, each saying when and on which commit it was measured', () => {
    const merged = mergeSections({ scale: earlier, record: earlier }, { scale: now });
    const scale = merged.scale!;
    expect(scale.source.commit).toBe('bbbbbbb');
    expect(scale.runs.map((r) => [r.engine, r.seconds])).toEqual([
      ['pglite', 800],
      ['postgres', 500],
    ]);
    const kept = scale.runs[0]!;
    expect(kept.source?.commit).toBe('aaaaaaa');
    expect(measuredApart(kept, scale.machine)).toBe('measured 2026-11-25 10:00 UTC at commit aaaaaaa, ');
    // The run made now is the section's own: nothing to add.
    expect(measuredApart(scale.runs[1]!, scale.machine)).toBe('');
    // A section not rerun stays as it was.
    expect(merged.record).toBe(earlier);
  });

  it('lists the runs PGlite first, as a full run does, whichever engine was rerun', () => {
    const pgliteOnly = report('ccccccc', '2026-11-27T09:00:00.000Z', [run('pglite', 700)]);
    const merged = mergeSections({ scale: earlier }, { scale: pgliteOnly }).scale!;
    expect(merged.runs.map((r) => [r.engine, r.seconds])).toEqual([
      ['pglite', 700],
      ['postgres', 400],
    ]);
  });

  it('keeps a kept run its own stamp through later reruns of other engines', () => {
    const once = mergeSections({ scale: earlier }, { scale: now }).scale!;
    const later = report('ccccccc', '2026-11-27T09:00:00.000Z', [run('postgres', 450)]);
    const twice = mergeSections({ scale: once }, { scale: later }).scale!;
    expect(measuredApart(twice.runs[0]!, twice.machine)).toBe(
      'measured 2026-11-25 10:00 UTC at commit aaaaaaa, ',
    );
    // A run whose date was not kept says only its commit.
    const undated = { ...twice.runs[0]!, measuredAt: null };
    expect(measuredApart(undated, twice.machine)).toBe('measured at commit aaaaaaa, ');
    // Rerun on the same commit another day, the kept run still says when it was measured.
    const sameCommit = report('aaaaaaa', '2026-11-28T09:00:00.000Z', [run('postgres', 420)]);
    const thrice = mergeSections({ scale: earlier }, { scale: sameCommit }).scale!;
    expect(measuredApart(thrice.runs[0]!, thrice.machine)).toBe(
      'measured 2026-11-25 10:00 UTC at commit aaaaaaa, ',
    );
  });

  it('says when a kept run was measured on another machine than its section, or that its machine is not known', () => {
    const merged = mergeSections({ scale: earlier }, { scale: { ...now, machine: epyc } }).scale!;
    expect(merged.runs[0]!.machine).toEqual(xeon);
    expect(measuredApart(merged.runs[0]!, merged.machine)).toBe(
      'measured 2026-11-25 10:00 UTC at commit aaaaaaa on another machine (2 cores, Intel Xeon, linux 6.18 x64), ',
    );
    // Kept from a file that did not record machines: said so, even where the section's is known.
    const { machine: _, ...unrecorded } = earlier;
    const unknown = mergeSections({ scale: unrecorded }, { scale: { ...now, machine: epyc } }).scale!;
    expect(measuredApart(unknown.runs[0]!, unknown.machine)).toBe(
      'measured 2026-11-25 10:00 UTC at commit aaaaaaa (machine not recorded), ',
    );
  });
});
