/** `truce crossings` and `truce commitments`: the crossings board and the commitments register. */
import type { Command } from 'commander';
import { MECHANISM } from '../access/viewer.ts';
import { commitmentsRegister, crossingsBoard } from '../query/mechanism.ts';
import { type InstanceFlags, printJson, printTable, withInstance, withInstanceOptions } from './common.ts';

export function crossingsCommand(program: Command): void {
  withInstanceOptions(
    program
      .command('crossings')
      .description('each crossing: status now, days closed, reopening plans')
      .option('--as-of <iso>', 'as of this instant')
      .option('--json', 'print JSON'),
  ).action(async (flags: InstanceFlags & { asOf?: string; json?: boolean }) => {
    await withInstance(flags, async (instance) => {
      const board = await crossingsBoard(instance.store.db, flags.asOf);
      if (flags.json) return printJson(board);
      printTable(
        board.map((b) => ({
          crossing: b.crossing.name,
          status: b.current?.status ?? 'unknown',
          since: b.current?.since.slice(0, 10),
          'days closed': b.daysClosed,
          observer:
            b.current?.observer_present === null || b.current === null
              ? ''
              : b.current.observer_present
                ? 'yes'
                : 'no',
          plan: b.plans.at(-1)
            ? `${b.plans.at(-1)!.phases.filter((p) => p.began_on).length}/${b.plans.at(-1)!.phases.length} phases`
            : '',
        })),
        ['crossing', 'status', 'since', 'days closed', 'observer', 'plan'],
      );
    });
  });

  withInstanceOptions(
    program
      .command('commitments')
      .description('commitments and their status; --overdue for open ones past due')
      .option('--overdue', 'only overdue')
      .option('--json', 'print JSON'),
  ).action(async (flags: InstanceFlags & { overdue?: boolean; json?: boolean }) => {
    await withInstance(flags, async (instance) => {
      const rows = await commitmentsRegister(instance.store.db, MECHANISM, {
        overdue: flags.overdue ?? false,
      });
      if (flags.json) return printJson(rows);
      printTable(
        rows.map((c) => ({
          id: c.id,
          party: c.party_id,
          due: c.due_on,
          status: c.overdue ? `${c.status} (OVERDUE)` : c.status,
          commitment: c.text,
        })),
        ['id', 'party', 'due', 'status', 'commitment'],
      );
    });
  });
}
