/**
 * The interop section of `npm run bench`: bench/interop.ts's ACLED import, idempotent re-import and
 * ACLED export on one engine, next to the same file's rows merely parsed (csv-parse) and written
 * back out (csv-stringify) in memory — what reading and writing that CSV costs with no validation,
 * no database and no ledger.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { benchEngine, writeSyntheticAcled } from './interop.ts';
import { fmt, int, line, round, timed } from './measure.ts';
import { ENGINE_NAMES, type Section, type SectionContext, type SectionReport, table } from './section.ts';

type Sizes = { rows: number };
const sizesFor = (quick: boolean): Sizes => ({ rows: quick ? 2_000 : 20_000 });

type Rate = { ms: number; rowsPerSecond: number };
export type InteropResult = {
  rows: number;
  fileMb: number;
  import: Rate;
  reimport: Rate;
  export: Rate & { mb: number };
  /** csv-parse over the same file, records counted and kept. */
  parse: Rate;
  /** csv-stringify of those records to a sink that drops them. */
  stringify: Rate;
  /** Truce time ÷ baseline time. */
  ratios: { import: number; reimport: number; export: number };
};

export const interopSection: Section<InteropResult> = {
  name: 'interop',
  title: 'Formats: ACLED import and export',
  perEngine: true,
  sizes: sizesFor,
  run: benchInteropSection,
  markdown,
};

const rate = (rows: number, ms: number): Rate => ({
  ms: round(ms),
  rowsPerSecond: Math.round((rows * 1000) / ms),
});

async function benchInteropSection(ctx: SectionContext): Promise<InteropResult> {
  const { rows } = sizesFor(ctx.quick);
  const engine = ctx.engine ?? 'pglite';
  const dir = mkdtempSync(join(os.tmpdir(), 'truce-interop-bench-'));
  try {
    const file = join(dir, 'acled.csv');
    await writeSyntheticAcled(file, rows);
    const fileMb = round(statSync(file).size / 1e6);

    // Each baseline runs twice and keeps the second, so it is timed warm (JIT) like the import it is set against.
    let records: string[][] = [];
    let parsed = { ms: 0 };
    let written = { ms: 0 };
    for (let pass = 0; pass < 2; pass++) {
      records = [];
      parsed = await timed(() =>
        pipeline(
          createReadStream(file),
          parse({ from_line: 2 }),
          new Writable({
            objectMode: true,
            write(record: string[], _enc, done) {
              records.push(record);
              done();
            },
          }),
        ),
      );
      if (records.length !== rows) throw new Error(`csv-parse read ${records.length} of ${rows} rows`);
      written = await timed(() =>
        pipeline(
          Readable.from(records),
          stringify(),
          new Writable({
            write(_chunk: Buffer, _enc, done) {
              done();
            },
          }),
        ),
      );
    }

    const truce = await benchEngine(engine, file, rows, dir);
    const perSecond = (what: string) => truce[`interop_${engine}_${what}_rows_per_s`]!;
    // benchEngine reports rates; times follow from them and the row count.
    const fromRate = (perS: number): Rate => ({ ms: round((rows * 1000) / perS), rowsPerSecond: perS });
    const result: InteropResult = {
      rows,
      fileMb,
      import: fromRate(perSecond('import')),
      reimport: fromRate(perSecond('reimport')),
      export: { ...fromRate(perSecond('export')), mb: truce[`interop_${engine}_export_mb`]! },
      parse: rate(rows, parsed.ms),
      stringify: rate(rows, written.ms),
      ratios: { import: 0, reimport: 0, export: 0 },
    };
    result.ratios = {
      import: round(result.import.ms / result.parse.ms, 1),
      reimport: round(result.reimport.ms / result.parse.ms, 1),
      export: round(result.export.ms / result.stringify.ms, 1),
    };
    const { label } = ctx;
    line(
      label,
      `ACLED import, ${int(rows)} rows (${fmt(fileMb)} MB)`,
      `${fmt(result.import.rowsPerSecond)} rows/s`,
      `${fmt(result.import.ms / 1000)} s`,
    );
    line(
      label,
      '  re-import (every row already imported)',
      `${fmt(result.reimport.rowsPerSecond)} rows/s`,
      `${fmt(result.reimport.ms / 1000)} s`,
    );
    line(
      label,
      '  baseline: csv-parse of the same file',
      `${fmt(result.parse.rowsPerSecond)} rows/s`,
      `${fmt(result.parse.ms)} ms → import ${fmt(result.ratios.import)}×, re-import ${fmt(result.ratios.reimport)}× as long`,
    );
    line(
      label,
      `ACLED export through the policy (${fmt(result.export.mb)} MB)`,
      `${fmt(result.export.rowsPerSecond)} rows/s`,
      `${fmt(result.export.ms / 1000)} s`,
    );
    line(
      label,
      '  baseline: csv-stringify of the same rows in memory',
      `${fmt(result.stringify.rowsPerSecond)} rows/s`,
      `${fmt(result.stringify.ms)} ms → export ${fmt(result.ratios.export)}× as long`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function markdown(r: SectionReport<InteropResult>): string[] {
  const first = r.runs[0]?.result;
  if (!first) return [];
  const rows: string[][] = [];
  const cell = (x: Rate) => `${fmt(x.rowsPerSecond)} rows/s (${fmt(x.ms / 1000)} s)`;
  for (const run of r.runs) {
    const x = run.result;
    const engine = ENGINE_NAMES[run.engine ?? 'pglite'];
    rows.push(
      [
        'ACLED import (validate, reconcile, write with ledger)',
        engine,
        cell(x.import),
        `csv-parse: ${cell(x.parse)}`,
        `**${fmt(x.ratios.import)}×**`,
      ],
      [
        're-import of the same file (all already imported)',
        engine,
        cell(x.reimport),
        `csv-parse: ${cell(x.parse)}`,
        `**${fmt(x.ratios.reimport)}×**`,
      ],
      [
        `ACLED export as the mechanism (${fmt(x.export.mb)} MB)`,
        engine,
        cell(x.export),
        `csv-stringify: ${cell(x.stringify)}`,
        `**${fmt(x.ratios.export)}×**`,
      ],
    );
  }
  return [
    `Input: a synthetic ACLED file of ${int(first.rows)} rows (${fmt(first.fileMb)} MB; seeded; 7 event types, 8 actors, 6 sources, 5 places in ` +
      'Khyber Pakhtunkhwa and Balochistan, 2018–2024), imported as GREEN in batches of 1,000 into a fresh database per engine, then imported again, then exported.',
    '',
    ...table(
      ['measurement', 'engine', 'Truce', 'baseline, same rows in memory', 'Truce / baseline (time)'],
      rows,
      '---|---|---:|---:|---:',
    ),
    '',
    'The baselines read the same file with csv-parse and write its rows back out with csv-stringify, with no validation, ' +
      'database or ledger: what handling that CSV costs at all. The database-side floor of the write path is in the record-layer section (bare INSERT).',
  ];
}
