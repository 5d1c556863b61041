/** Reading incidents through the access policy: filtered, keyset-paged lists and one incident with its record. */
import { type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { logSensitiveReads } from '../access/audit.ts';
import { canSee, visibleTo } from '../access/policy.ts';
import { isMechanism, type Viewer } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import { type IncidentFilter, IncidentFilterSchema } from '../domain/incident.ts';
import { figuresOf } from '../domain/incidentFigures.ts';
import { parseInput } from '../record/parse.ts';
import type { ClaimRow, Database, IncidentRow } from '../store/schema.ts';

type Db = Kysely<Database>;

function encodeCursor(row: { occurred_on: string; id: string }): string {
  return Buffer.from(`${row.occurred_on}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { occurredOn: string; id: string } {
  const [occurredOn, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!occurredOn || !id || !/^\d{4}-\d{2}-\d{2}$/.test(occurredOn)) {
    throw new TruceError('invalid_input', 'after: not a cursor this server issued', { field: 'after' });
  }
  return { occurredOn, id };
}

/** Filters every incident read shares: the list, counts, exports and the console's aggregates. */
export type IncidentWhere = {
  from?: string | undefined;
  to?: string | undefined;
  type?: readonly string[] | undefined;
  actor?: readonly string[] | undefined;
  status?: readonly string[] | undefined;
  bbox?: readonly [number, number, number, number] | undefined;
  /** Party codes of the incidents' actors. */
  party?: readonly string[] | undefined;
  tlp?: readonly string[] | undefined;
  includeMerged?: boolean | undefined;
};

/** The incidents a viewer may see, narrowed by the filter: the one place these WHERE clauses are built. */
export function filteredIncidents(db: Db, viewer: Viewer, filter: IncidentWhere) {
  let query = db.selectFrom('incidents').where(visibleTo(viewer, 'incidents'));
  if (!filter.includeMerged) query = query.where('incidents.merged_into', 'is', null);
  if (filter.from) query = query.where('incidents.occurred_on', '>=', filter.from);
  if (filter.to) query = query.where('incidents.occurred_on', '<=', filter.to);
  if (filter.type?.length) query = query.where('incidents.type', 'in', filter.type);
  if (filter.actor?.length) query = query.where('incidents.actor_id', 'in', filter.actor);
  if (filter.status?.length) query = query.where('incidents.status', 'in', filter.status);
  if (filter.tlp?.length) query = query.where('incidents.tlp', 'in', filter.tlp);
  if (filter.party?.length) {
    const parties = filter.party;
    query = query.where('incidents.actor_id', 'in', (sub) =>
      sub.selectFrom('actors').select('actors.id').where('actors.party_id', 'in', parties),
    );
  }
  if (filter.bbox) {
    const [west, south, east, north] = filter.bbox;
    query = query
      .where('incidents.lat', '>=', south)
      .where('incidents.lat', '<=', north)
      // A box across the antimeridian has west > east.
      .where((eb) =>
        west <= east
          ? eb.and([eb('incidents.lon', '>=', west), eb('incidents.lon', '<=', east)])
          : eb.or([eb('incidents.lon', '>=', west), eb('incidents.lon', '<=', east)]),
      );
  }
  return query;
}

/**
 * Reconciled figures are stored as the mechanism sees them, from every claim. A viewer who
 * may not see some of those claims gets figures recomputed from the claims they can see,
 * so a CLEAR incident never leaks the numbers of a RED claim.
 */
async function withVisibleFigures(db: Db, viewer: Viewer, rows: IncidentRow[]): Promise<IncidentRow[]> {
  if (rows.length === 0) return rows;
  const ids = rows.map((r) => r.id);
  // The page's incidents and those merged into them, as an indexed IN rather than an OR across a join.
  const onPage = (eb: ExpressionBuilder<Database, 'claims' | 'incidents'>) =>
    eb('claims.incident_id', 'in', (sub) =>
      sub
        .selectFrom('incidents as family')
        .select('family.id')
        .where((w) => w.or([w('family.id', 'in', ids), w('family.merged_into', 'in', ids)])),
    );
  const kept = sql<string>`coalesce(incidents.merged_into, incidents.id)`;
  const hidden = await db
    .selectFrom('claims')
    .innerJoin('incidents', 'incidents.id', 'claims.incident_id')
    .select(kept.as('kept'))
    .where(onPage)
    .where(sql<SqlBool>`NOT ${visibleTo(viewer, 'claims')}`)
    .distinct()
    .execute();
  if (hidden.length === 0) return rows;
  const affected = new Set(hidden.map((h) => h.kept));
  const facts = await db
    .selectFrom('claims')
    .innerJoin('incidents', 'incidents.id', 'claims.incident_id')
    .innerJoin('sources', 'sources.id', 'claims.source_id')
    .select([
      kept.as('kept'),
      'claims.id',
      'claims.source_id',
      'claims.published_at',
      'claims.figures',
      'claims.asserted',
      'sources.kind',
      'sources.affiliation',
    ])
    .where(onPage)
    .where(visibleTo(viewer, 'claims'))
    .execute();
  return rows.map((row) =>
    affected.has(row.id) ? { ...row, ...figuresOf(facts.filter((f) => f.kept === row.id)) } : row,
  );
}

export type IncidentPage = { incidents: IncidentRow[]; next: string | null };

/** Newest first; `next` is the cursor for the following page, null on the last. */
export async function listIncidents(
  db: Db,
  viewer: Viewer,
  input: IncidentFilter | unknown,
): Promise<IncidentPage> {
  const filter = parseInput(IncidentFilterSchema, input);
  let query = filteredIncidents(db, viewer, filter).selectAll('incidents');
  if (filter.after) {
    const cursor = decodeCursor(filter.after);
    // The plain bound lets the index on occurred_on start at the cursor instead of scanning down to it.
    query = query
      .where('incidents.occurred_on', '<=', cursor.occurredOn)
      .where((eb) =>
        eb.or([
          eb('incidents.occurred_on', '<', cursor.occurredOn),
          eb.and([eb('incidents.occurred_on', '=', cursor.occurredOn), eb('incidents.id', '<', cursor.id)]),
        ]),
      );
  }
  const rows = await query
    .orderBy('incidents.occurred_on', 'desc')
    .orderBy('incidents.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const more = rows.length > filter.limit;
  const incidents = more ? rows.slice(0, filter.limit) : rows;
  await logSensitiveReads(db, viewer, 'incidents', incidents);
  return {
    incidents: await withVisibleFigures(db, viewer, incidents),
    next: more ? encodeCursor(incidents[incidents.length - 1]!) : null,
  };
}

/** Counts go through the same policy as lists, so a count never reveals a record its viewer cannot see. */
export async function countIncidents(
  db: Db,
  viewer: Viewer,
  input: IncidentFilter | unknown,
): Promise<number> {
  const filter = parseInput(IncidentFilterSchema, input);
  const row = await filteredIncidents(db, viewer, filter)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type ClaimView = ClaimRow & {
  source: { id: string; name: string; kind: string; affiliation: string | null; reliability: string } | null;
};

export type IncidentRecord = {
  incident: IncidentRow;
  claims: ClaimView[];
  statusHistory: Database['status_changes'][];
  answers: Database['retaliation_links'][];
  answeredBy: Database['retaliation_links'][];
  merged: IncidentRow[];
};

/** One incident with everything behind it; an incident the viewer may not see is reported as not found. */
export async function getIncident(db: Db, viewer: Viewer, id: string): Promise<IncidentRecord> {
  const incident = await db
    .selectFrom('incidents')
    .selectAll()
    .where('id', '=', id)
    .where(visibleTo(viewer, 'incidents'))
    .executeTakeFirst();
  if (!incident) throw new TruceError('not_found', `no incident "${id}"`, { field: 'id' });
  await logSensitiveReads(db, viewer, 'incidents', [incident]);
  const merged = await db
    .selectFrom('incidents')
    .selectAll()
    .where('merged_into', '=', id)
    .where(visibleTo(viewer, 'incidents'))
    .execute();
  const ids = [id, ...merged.map((m) => m.id)];
  const claims = await db
    .selectFrom('claims')
    .innerJoin('sources', 'sources.id', 'claims.source_id')
    .selectAll('claims')
    .select([
      'sources.name as source_name',
      'sources.kind as source_kind',
      'sources.affiliation as source_affiliation',
      'sources.reliability as source_reliability',
      'sources.protected as source_protected',
    ])
    .where('claims.incident_id', 'in', ids)
    .where(visibleTo(viewer, 'claims'))
    .orderBy('claims.published_at')
    .orderBy('claims.id')
    .execute();
  const [statusHistory, answers, answeredBy] = await Promise.all([
    db
      .selectFrom('status_changes')
      .selectAll()
      .where('incident_id', '=', id)
      .orderBy('changed_at')
      .orderBy('ledger_seq')
      .execute(),
    db.selectFrom('retaliation_links').selectAll().where('incident_id', '=', id).execute(),
    db.selectFrom('retaliation_links').selectAll().where('answers_id', '=', id).execute(),
  ]);
  await logSensitiveReads(db, viewer, 'claims', claims);
  return {
    incident: (await withVisibleFigures(db, viewer, [incident]))[0]!,
    claims: claims.map(
      ({ source_name, source_kind, source_affiliation, source_reliability, source_protected, ...claim }) => ({
        ...claim,
        // CODEBOOK § Sharing: a protected source's identity is withheld outside the mechanism.
        source:
          source_protected && !isMechanism(viewer)
            ? null
            : {
                id: claim.source_id,
                name: source_name,
                kind: source_kind,
                affiliation: source_affiliation,
                reliability: source_reliability,
              },
        source_id: source_protected && !isMechanism(viewer) ? 'withheld' : claim.source_id,
      }),
    ),
    statusHistory,
    // Links to incidents the viewer cannot see would reveal that they exist.
    answers: await onlyVisible(db, viewer, answers, 'answers_id'),
    answeredBy: await onlyVisible(db, viewer, answeredBy, 'incident_id'),
    merged,
  };
}

async function onlyVisible<T extends Record<K, string>, K extends string>(
  db: Db,
  viewer: Viewer,
  links: T[],
  key: K,
) {
  if (links.length === 0) return links;
  const rows = await db
    .selectFrom('incidents')
    .select(['id', 'tlp', 'recipients'])
    .where(
      'id',
      'in',
      links.map((l) => l[key]),
    )
    .execute();
  const visible = new Set(rows.filter((r) => canSee(viewer, r)).map((r) => r.id));
  return links.filter((l) => visible.has(l[key]));
}
