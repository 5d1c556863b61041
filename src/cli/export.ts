/**
 * `truce export --format json|acled|ucdp|geojson|jsonl`: what the operator (or `--as` a user) may
 * see of a view, with the filters of `truce incidents list`; the analyst formats are streamed.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { TruceError } from '../domain/errors.ts';
import { exportStream, STREAM_FORMATS, type StreamFormat } from '../interop/exporter.ts';
import { publishHead } from '../ledger/heads.ts';
import { countIncidents } from '../query/incidents.ts';
import { exportJson } from '../report/exportJson.ts';
import {
  type FilterFlags,
  filterOf,
  type InstanceFlags,
  viewerOfFlags,
  withFilterOptions,
  withInstance,
  withInstanceOptions,
} from './common.ts';

const FORMATS = ['json', ...STREAM_FORMATS] as const;

type ExportFlags = InstanceFlags &
  FilterFlags & {
    format: string;
    includeMerged?: boolean;
    out?: string;
  };

export function exportCommand(program: Command): void {
  withInstanceOptions(
    withFilterOptions(
      program
        .command('export')
        .description(
          'export incidents: JSON with claims and history, or ACLED / UCDP CSV, GeoJSON, JSON Lines',
        )
        .option('--format <format>', FORMATS.join(' | '), 'json')
        .option('--include-merged', 'include incidents merged into others')
        .option('--out <file>', 'write to a file instead of standard output'),
    ),
  ).action(async (flags: ExportFlags) => {
    if (!(FORMATS as readonly string[]).includes(flags.format)) {
      throw new TruceError(
        'invalid_input',
        `--format: "${flags.format}" is not supported (${FORMATS.join(', ')})`,
        {
          field: 'format',
        },
      );
    }
    await withInstance(flags, async (instance) => {
      const db = instance.store.db;
      const filter = filterOf(flags, flags.includeMerged ? { includeMerged: true } : {});
      const viewer = await viewerOfFlags(instance, flags);
      const head = await publishHead(db, instance.signer);
      if (flags.format === 'json') {
        const data = await exportJson(db, viewer, filter, head);
        const text = `${JSON.stringify(data, null, 2)}\n`;
        if (flags.out) {
          writeFileSync(flags.out, text);
          console.error(`wrote ${data.incidents.length} incidents to ${flags.out}`);
        } else process.stdout.write(text);
        return;
      }
      const total = flags.out ? await countIncidents(db, viewer, filter) : 0;
      const bar = flags.out
        ? new cliProgress.SingleBar(
            { stream: process.stderr, format: 'export [{bar}] {value}/{total} incidents' },
            cliProgress.Presets.shades_classic,
          )
        : null;
      bar?.start(total, 0);
      let written = 0;
      const opened = await exportStream(db, viewer, filter, flags.format as StreamFormat, {
        head,
        onProgress: (n) => {
          written = n;
          bar?.update(n);
        },
      });
      try {
        await pipeline(opened.stream, flags.out ? createWriteStream(flags.out) : process.stdout);
      } finally {
        bar?.stop();
      }
      if (flags.out) console.error(`wrote ${written} incidents to ${flags.out}`);
    });
  });
}
