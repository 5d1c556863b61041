/** `truce export --format json`: everything the operator may see, with the signed head it was taken at. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { MECHANISM } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import { publishHead } from '../ledger/heads.ts';
import { exportJson } from '../report/exportJson.ts';
import { type InstanceFlags, withInstance, withInstanceOptions } from './common.ts';

export function exportCommand(program: Command): void {
  withInstanceOptions(
    program
      .command('export')
      .description('export incidents with their claims and history')
      .option('--format <format>', 'json', 'json')
      .option('--from <day>', 'first day')
      .option('--to <day>', 'last day')
      .option('--out <file>', 'write to a file instead of standard output'),
  ).action(async (flags: InstanceFlags & { format: string; from?: string; to?: string; out?: string }) => {
    if (flags.format !== 'json') {
      throw new TruceError('invalid_input', `--format: "${flags.format}" is not supported (json)`, {
        field: 'format',
      });
    }
    await withInstance(flags, async (instance) => {
      const db = instance.store.db;
      const filter = Object.fromEntries(
        Object.entries({ from: flags.from, to: flags.to }).filter(([, v]) => v),
      );
      const data = await exportJson(db, MECHANISM, filter, await publishHead(db, instance.signer));
      const text = `${JSON.stringify(data, null, 2)}\n`;
      if (flags.out) {
        writeFileSync(flags.out, text);
        console.error(`wrote ${data.incidents.length} incidents to ${flags.out}`);
      } else process.stdout.write(text);
    });
  });
}
