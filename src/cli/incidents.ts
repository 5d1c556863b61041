/** `truce incidents list`: the incidents the operator may see, as a table or JSON. */
import type { Command } from 'commander';
import { listIncidents } from '../query/incidents.ts';
import { presentIncident } from '../query/present.ts';
import {
  type FilterFlags,
  filterOf,
  type InstanceFlags,
  printJson,
  printTable,
  viewerOfFlags,
  withFilterOptions,
  withInstance,
  withInstanceOptions,
} from './common.ts';

type ListFlags = InstanceFlags & FilterFlags & { json?: boolean; limit: string };

export function incidentsCommand(program: Command): void {
  const incidents = program.command('incidents').description('read incidents');
  withInstanceOptions(
    withFilterOptions(
      incidents
        .command('list')
        .description('list incidents, newest first')
        .option('--json', 'print JSON instead of a table')
        .option('--limit <n>', 'how many', '100'),
    ),
  ).action(async (flags: ListFlags) => {
    await withInstance(flags, async (instance) => {
      const filter = filterOf(flags, { limit: Number(flags.limit) });
      const viewer = await viewerOfFlags(instance, flags);
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
