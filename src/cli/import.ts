/** `truce import FILE --format acled|ucdp|new-america`: a dataset CSV into incidents with claims, streamed, with a progress bar. */
import { createReadStream, type ReadStream, statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { TruceError } from '../domain/errors.ts';
import { SharingSchema } from '../domain/tlp.ts';
import type { ImportFormatName } from '../interop/event.ts';
import { IMPORT_FORMAT_NAMES, IMPORT_FORMATS } from '../interop/formats.ts';
import { DEFAULT_BATCH, type ImportResult, importCsv } from '../interop/importer.ts';
import { parseInput } from '../record/parse.ts';
import { type InstanceFlags, printJson, withInstance, withInstanceOptions } from './common.ts';

type ImportFlags = InstanceFlags & {
  format?: string;
  onError: string;
  tlp: string;
  recipient: string[];
  batch: string;
  by: string;
  json?: boolean;
};

/** How many skipped lines the terminal shows; --json lists them all (up to MAX_LISTED). */
const SHOWN = 20;

function summary(file: string, r: ImportResult): string[] {
  const lines = [
    `${file}: ${r.lines} rows read; ${r.applied} imported, ${r.alreadyImported} already imported, ${r.skippedCount} skipped` +
      (r.actorsCreated || r.sourcesCreated
        ? `; ${r.actorsCreated} new actors, ${r.sourcesCreated} new sources`
        : ''),
  ];
  for (const s of r.skipped.slice(0, SHOWN)) lines.push(`  line ${s.line}: ${s.error}`);
  if (r.skippedCount > SHOWN) lines.push(`  … and ${r.skippedCount - SHOWN} more (--json lists them)`);
  if (r.stopped) {
    lines.push(`stopped at line ${r.stopped.line}: ${r.stopped.error}`);
    lines.push(
      r.appliedThrough === null
        ? 'nothing was applied'
        : `every row up to line ${r.appliedThrough} was applied (except those already imported); nothing after it`,
    );
  }
  return lines;
}

export function importCommand(program: Command): void {
  withInstanceOptions(
    program
      .command('import')
      .description('import a dataset CSV (ACLED, UCDP GED, New America) as incidents with claims')
      .argument('<file>', 'the CSV file, or - for standard input')
      .requiredOption('--format <format>', IMPORT_FORMAT_NAMES.join(' | '))
      .option('--on-error <mode>', 'a malformed row: skip it and go on, or stop there (skip | stop)', 'skip')
      .option(
        '--tlp <level>',
        'sharing level of what is imported (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)',
        'GREEN',
      )
      .option(
        '--recipient <id>',
        'a party (AMBER) or user (RED) who may see it, repeatable',
        (v: string, all: string[]) => [...all, v],
        [],
      )
      .option('--batch <rows>', 'rows per transaction', String(DEFAULT_BATCH))
      .option('--by <user>', 'who is importing (named on the ledger)', 'operator')
      .option('--json', 'print the result as JSON, every skipped line included'),
  ).action(async (file: string, flags: ImportFlags) => {
    const format = IMPORT_FORMATS[flags.format as ImportFormatName];
    if (!format) {
      throw new TruceError(
        'invalid_input',
        `--format: "${flags.format}" is not one of ${IMPORT_FORMAT_NAMES.join(', ')}`,
        { field: 'format' },
      );
    }
    if (flags.onError !== 'skip' && flags.onError !== 'stop')
      throw new TruceError('invalid_input', `--on-error: "${flags.onError}" is not skip or stop`, {
        field: 'on-error',
      });
    const batchSize = Number(flags.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
      throw new TruceError('invalid_input', '--batch: a whole number from 1 to 100000', { field: 'batch' });
    const sharing = parseInput(SharingSchema, { tlp: flags.tlp, recipients: flags.recipient });
    let size = 0;
    if (file !== '-') {
      try {
        size = statSync(file).size;
      } catch {
        throw new TruceError('invalid_input', `${file}: no such file`, { field: 'file' });
      }
    }
    await withInstance(flags, async (instance) => {
      const input = file === '-' ? process.stdin : createReadStream(file);
      const bar =
        size > 0 && !flags.json
          ? new cliProgress.SingleBar(
              {
                stream: process.stderr,
                format:
                  'import [{bar}] {percentage}% | {lines} rows, {applied} imported, {skipped} skipped | {rate} rows/s',
              },
              cliProgress.Presets.shades_classic,
            )
          : null;
      const started = Date.now();
      bar?.start(size, 0, { lines: 0, applied: 0, skipped: 0, rate: 0 });
      let result: ImportResult;
      try {
        result = await importCsv(instance.store, input, {
          format,
          onError: flags.onError as 'skip' | 'stop',
          by: flags.by,
          sharing,
          batchSize,
          onProgress: (p) =>
            bar?.update((input as ReadStream).bytesRead ?? 0, {
              lines: p.lines,
              applied: p.applied,
              skipped: p.skipped,
              rate: Math.round((p.applied * 1000) / Math.max(1, Date.now() - started)),
            }),
        });
      } finally {
        bar?.stop();
        if (file !== '-') (input as ReadStream).destroy();
      }
      if (flags.json) printJson(result);
      else for (const line of summary(file, result)) console.log(line);
      // Stopping on a bad row is bad input: the rows before it are in, the file is not.
      if (result.stopped) process.exitCode = 2;
    });
  });
}
