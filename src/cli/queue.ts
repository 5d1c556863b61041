/** `truce queue`: the verification queue, most urgent first, with the reasons. */
import type { Command } from 'commander';
import { MECHANISM } from '../access/viewer.ts';
import { verificationQueue } from '../query/mechanism.ts';
import { type InstanceFlags, printJson, printTable, withInstance, withInstanceOptions } from './common.ts';

export function queueCommand(program: Command): void {
  withInstanceOptions(
    program
      .command('queue')
      .description('incidents awaiting a decision, most urgent first')
      .option('--json', 'print JSON')
      .option('--limit <n>', 'how many', '50'),
  ).action(async (flags: InstanceFlags & { json?: boolean; limit: string }) => {
    await withInstance(flags, async (instance) => {
      const items = await verificationQueue(instance.store.db, MECHANISM, { limit: Number(flags.limit) });
      if (flags.json) return printJson(items);
      printTable(
        items.map((i) => ({
          score: i.score,
          id: i.incident.id,
          date: i.incident.occurred_on,
          status: i.incident.status,
          why: i.reasons.join('; '),
          title: i.incident.title,
        })),
        ['score', 'id', 'date', 'status', 'why', 'title'],
      );
    });
  });
}
