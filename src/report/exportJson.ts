/** The JSON export: incidents with their claims and history, through the access policy, page by page. */
import type { Kysely } from 'kysely';
import type { Viewer } from '../access/viewer.ts';
import type { TreeHead } from '../ledger/treeHead.ts';
import { getIncident, listIncidents } from '../query/incidents.ts';
import { presentIncidentRecord } from '../query/present.ts';
import type { Database } from '../store/schema.ts';

export type JsonExport = {
  format: 'truce-export-v1';
  exportedAt: string;
  /** The signed head at export time, so the export can later be held against the ledger. */
  ledger: TreeHead;
  incidents: ReturnType<typeof presentIncidentRecord>[];
};

export async function exportJson(
  db: Kysely<Database>,
  viewer: Viewer,
  filter: Record<string, unknown>,
  head: TreeHead,
): Promise<JsonExport> {
  const incidents: JsonExport['incidents'] = [];
  let after: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listIncidents>> = await listIncidents(db, viewer, {
      ...filter,
      limit: 500,
      ...(after ? { after } : {}),
    });
    for (const incident of page.incidents) {
      incidents.push(presentIncidentRecord(await getIncident(db, viewer, incident.id)));
    }
    after = page.next;
  } while (after);
  return { format: 'truce-export-v1', exportedAt: new Date().toISOString(), ledger: head, incidents };
}
