/** `truce export --format json`: everything the operator may see, with the signed head it was taken at. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { viewerOfUsername } from '../access/accounts.ts';
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
      .option('--out <file>', 'write to a file instead of standard output')
      .option('--as <username>', 'export what this user may see (default: the mechanism)'),
  ).action(
    async (
      flags: InstanceFlags & { format: string; from?: string; to?: string; out?: string; as?: string },
    ) => {
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
        const viewer = flags.as ? await viewerOfUsername(instance.store, flags.as) : MECHANISM;
        const data = await exportJson(db, viewer, filter, await publishHead(db, instance.signer));
        const text = `${JSON.stringify(data, null, 2)}\n`;
        if (flags.out) {
          writeFileSync(flags.out, text);
          console.error(`wrote ${data.incidents.length} incidents to ${flags.out}`);
        } else process.stdout.write(text);
      });
    },
  );
}
