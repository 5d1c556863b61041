/** `truce incidents list`: the incidents the operator may see, as a table or JSON. */
import type { Command } from 'commander';
import { viewerOfUsername } from '../access/accounts.ts';
import { MECHANISM } from '../access/viewer.ts';
import { listIncidents } from '../query/incidents.ts';
import { presentIncident } from '../query/present.ts';
import { type InstanceFlags, printJson, printTable, withInstance, withInstanceOptions } from './common.ts';

type ListFlags = InstanceFlags & {
  json?: boolean;
  from?: string;
  to?: string;
  type?: string;
  actor?: string;
  status?: string;
  bbox?: string;
  limit: string;
  as?: string;
};

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function incidentsCommand(program: Command): void {
  const incidents = program.command('incidents').description('read incidents');
  withInstanceOptions(
    incidents
      .command('list')
      .description('list incidents, newest first')
      .option('--json', 'print JSON instead of a table')
      .option('--from <day>', 'first day (YYYY-MM-DD)')
      .option('--to <day>', 'last day (YYYY-MM-DD)')
      .option('--type <types>', 'comma-separated incident types')
      .option('--actor <ids>', 'comma-separated actor ids')
      .option('--status <statuses>', 'comma-separated statuses')
      .option('--bbox <w,s,e,n>', 'bounding box in degrees')
      .option('--limit <n>', 'how many', '100')
      .option('--as <username>', 'read as this user sees it (default: the mechanism)'),
  ).action(async (flags: ListFlags) => {
    await withInstance(flags, async (instance) => {
      const filter = Object.fromEntries(
        Object.entries({
          from: flags.from,
          to: flags.to,
          type: list(flags.type),
          actor: list(flags.actor),
          status: list(flags.status),
          bbox: flags.bbox,
          limit: Number(flags.limit),
        }).filter(([, v]) => v !== undefined),
      );
      const viewer = flags.as ? await viewerOfUsername(instance.store, flags.as) : MECHANISM;
      const page = await listIncidents(instance.store.db, viewer, filter);
      if (flags.json) return printJson({ incidents: page.incidents.map(presentIncident), next: page.next });
      printTable(
        page.incidents.map((i) => ({
          id: i.id,
          date: i.occurred_on,
          type: i.type,
          status: i.status,
          killed: i.fatalities_best,
          place: i.admin2 ?? i.admin1 ?? i.country ?? `${i.lat},${i.lon}`,
          title: i.title,
        })),
        ['id', 'date', 'type', 'status', 'killed', 'place', 'title'],
      );
      if (page.next) console.log(`… more: --limit or the API's ?after=${page.next}`);
    });
  });
}
