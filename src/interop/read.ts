/**
 * Reads for exports, page by page through the access policy: the incidents of the current view
 * (listIncidents, keyset-paged) and, for each page, the claims the viewer may see, in one query.
 */
import type { Kysely } from 'kysely';
import { logSensitiveReads } from '../access/audit.ts';
import { visibleTo } from '../access/policy.ts';
import { isMechanism, type Viewer } from '../access/viewer.ts';
import { type IncidentPage, listIncidents } from '../query/incidents.ts';
import type { ClaimRow, Database, IncidentRow } from '../store/schema.ts';

export type ExportClaim = ClaimRow & {
  /** null when the source is protected and the viewer is outside the mechanism (CODEBOOK § Sharing). */
  source: { id: string; name: string; kind: string; affiliation: string | null } | null;
};

export type ExportPage = { incidents: IncidentRow[]; claims: Map<string, ExportClaim[]> };

export const EXPORT_PAGE = 500;

/**
 * The claims behind a page of incidents, keyed by the incident they count for: an incident's own
 * and those of incidents merged into it (merges keep both; the kept one speaks for all), as
 * getIncident shows them. One query per page instead of one read per incident.
 */
export async function claimsOfPage(
  db: Kysely<Database>,
  viewer: Viewer,
  incidentIds: readonly string[],
): Promise<Map<string, ExportClaim[]>> {
  const out = new Map<string, ExportClaim[]>(incidentIds.map((id) => [id, []]));
  if (incidentIds.length === 0) return out;
  const rows = await db
    .selectFrom('claims')
    .innerJoin('incidents', 'incidents.id', 'claims.incident_id')
    .innerJoin('sources', 'sources.id', 'claims.source_id')
    .selectAll('claims')
    .select([
      'incidents.merged_into as kept_by',
      'sources.name as source_name',
      'sources.kind as source_kind',
      'sources.affiliation as source_affiliation',
      'sources.protected as source_protected',
    ])
    // An IN over the (indexed) family of incidents, not an OR across the join (that scans every claim).
    .where('claims.incident_id', 'in', (eb) =>
      eb
        .selectFrom('incidents as family')
        .select('family.id')
        .where((w) => w.or([w('family.id', 'in', incidentIds), w('family.merged_into', 'in', incidentIds)]))
        .where(visibleTo(viewer, 'family')),
    )
    .where(visibleTo(viewer, 'claims'))
    .orderBy('claims.published_at')
    .orderBy('claims.id')
    .execute();
  await logSensitiveReads(db, viewer, 'claims', rows);
  const withheld = !isMechanism(viewer);
  for (const { kept_by, source_name, source_kind, source_affiliation, source_protected, ...claim } of rows) {
    const hide = source_protected && withheld;
    out.get(kept_by ?? claim.incident_id)?.push({
      ...claim,
      source_id: hide ? 'withheld' : claim.source_id,
      source: hide
        ? null
        : { id: claim.source_id, name: source_name, kind: source_kind, affiliation: source_affiliation },
    });
  }
  return out;
}

/** Pages of the view `filter` describes, newest first; the first page is read before this returns, so a bad filter fails early. */
export async function openPages(
  db: Kysely<Database>,
  viewer: Viewer,
  filter: Record<string, unknown>,
): Promise<AsyncGenerator<ExportPage>> {
  const { limit: _limit, after: _after, ...view } = filter;
  const read = (after: string | null) =>
    listIncidents(db, viewer, { ...view, limit: EXPORT_PAGE, ...(after ? { after } : {}) });
  const first = await read(null);
  return (async function* pages(): AsyncGenerator<ExportPage> {
    let page: IncidentPage | null = first;
    while (page) {
      yield {
        incidents: page.incidents,
        claims: await claimsOfPage(
          db,
          viewer,
          page.incidents.map((i) => i.id),
        ),
      };
      page = page.next ? await read(page.next) : null;
    }
  })();
}
