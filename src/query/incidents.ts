/** Reading incidents through the access policy: filtered, keyset-paged lists, counts, and one incident with its record. */
import { type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { logSensitiveReads } from '../access/audit.ts';
import { canSee, visibleTo } from '../access/policy.ts';
import { isMechanism, type Viewer } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import { type IncidentFilter, IncidentFilterSchema } from '../domain/incident.ts';
import { figuresOf } from '../domain/incidentFigures.ts';
import { CLAIM_FACTS } from '../record/derive.ts';
import { parseInput } from '../record/parse.ts';
import type { ClaimRow, Database, IncidentRow } from '../store/schema.ts';

type Db = Kysely<Database>;

/** A list page's `next`: the last incident's day and id (the list and the console's share one keyset order). */
export function encodeCursor(row: { occurred_on: string; id: string }): string {
  return Buffer.from(`${row.occurred_on}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { occurredOn: string; id: string } {
  const [occurredOn, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!occurredOn || !id || !/^\d{4}-\d{2}-\d{2}$/.test(occurredOn)) {
    throw new TruceError('invalid_input', 'after: not a cursor this server issued', { field: 'after' });
  }
  return { occurredOn, id };
}

/** Incidents after a list's cursor in its newest-first order (day, then id, both descending). */
export function afterCursor(after: string) {
  const cursor = decodeCursor(after);
  return (eb: ExpressionBuilder<Database, 'incidents'>) =>
    eb.and([
      // The plain bound lets the index on occurred_on start at the cursor instead of scanning down to it.
      eb('incidents.occurred_on', '<=', cursor.occurredOn),
      eb.or([
        eb('incidents.occurred_on', '<', cursor.occurredOn),
        eb.and([eb('incidents.occurred_on', '=', cursor.occurredOn), eb('incidents.id', '<', cursor.id)]),
      ]),
    ]);
}

/**
 * `tallies: false` answers from the incidents themselves (tests compare the two);
 * `splitFrom` lowers the timeline's threshold for reading either side of a box in two halves
 * (aggregate.ts SPLIT_FROM) and `outsideCap` the most it reads outside a box before it reads the
 * smaller side (OUTSIDE_CAP), so that tests take those paths on a small store.
 */
export type ReadOptions = { tallies?: boolean; splitFrom?: number; outsideCap?: number };

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
  if (filter.bbox) query = query.where(withinBox('incidents', filter.bbox));
  return query;
}

/** Whether a table's lat/lon lie in a west,south,east,north box; never for a row without a position. */
export function withinBox(table: string, [west, south, east, north]: readonly number[]): RawBuilder<SqlBool> {
  const lat = sql.ref(`${table}.lat`);
  const lon = sql.ref(`${table}.lon`);
  // A box across the antimeridian has west > east.
  const lons =
    west! <= east!
      ? sql`${lon} >= ${west} AND ${lon} <= ${east}`
      : sql`(${lon} >= ${west} OR ${lon} <= ${east})`;
  return sql<SqlBool>`(${lat} >= ${south} AND ${lat} <= ${north} AND ${lons})`;
}

/** The tallies and figures migration 005 keeps, as Kysely sees them. */
type Tallies = {
  incident_point_tallies: {
    lat: number | null;
    lon: number | null;
    type: string;
    n_clear: number;
    n_green: number;
    n_amber: number;
    n_strict: number;
    best_clear: number;
    best_green: number;
    best_amber: number;
    best_strict: number;
    listed_n: unknown;
    listed_best: unknown;
  };
  incident_day_tallies: {
    occurred_on: string;
    type: string;
    n_clear: number;
    n_green: number;
    n_amber: number;
    n_strict: number;
    listed_n: unknown;
  };
  incident_narrow_claims: { kept_id: string; tlp: string; recipients: unknown };
  incident_narrow_families: {
    kept_id: string;
    version: number;
    lat: number | null;
    lon: number | null;
    type: string;
    occurred_on: string;
    tlp: string;
    recipients: unknown;
    merged: boolean;
    fatalities_best: number;
  };
  incident_audience_figures: {
    kept_id: string;
    audience: string;
    version: number;
    best: number;
    disputed: boolean;
  };
};

export function talliesOf(db: Db) {
  return db.withTables<Tallies>();
}

/**
 * Which tally answers a filter, if any: per position (the map; a box, but no period) or per day
 * (a period, but no box). Actor, status, party and merged incidents are not tallied.
 */
export function tallyFor(filter: IncidentWhere): { point: boolean; day: boolean } {
  const other = Boolean(
    filter.includeMerged || filter.actor?.length || filter.status?.length || filter.party?.length,
  );
  return { point: !other && !filter.from && !filter.to, day: !other && !filter.bbox };
}

const COLUMNS = { CLEAR: 'clear', GREEN: 'green', AMBER: 'amber', 'AMBER+STRICT': 'strict' } as const;

/**
 * What a viewer may add up of a tally row: visibleTo (access/policy.ts) level by level, as sums
 * of the row's per-level counts — CLEAR for everyone; GREEN unless public; AMBER and AMBER+STRICT
 * all for the mechanism, else those listing the viewer's party; RED those listing the viewer.
 * `tlps` narrows to the levels a filter asks for. aggregate.test.ts checks it against visibleTo.
 */
export function tallied(
  viewer: Viewer,
  table: string,
  measure: 'n' | 'best',
  tlps: readonly string[] | undefined,
): RawBuilder<number> {
  const wanted = (level: string) => !tlps?.length || tlps.includes(level);
  const level = (name: keyof typeof COLUMNS) => sql.ref(`${table}.${measure}_${COLUMNS[name]}`);
  const listed = (key: string) =>
    sql`coalesce((${sql.ref(`${table}.listed_${measure}`)} ->> ${key}::text)::bigint, 0)`;
  const terms: RawBuilder<unknown>[] = [];
  if (wanted('CLEAR')) terms.push(sql`${level('CLEAR')}`);
  if (viewer.role !== 'public' && wanted('GREEN')) terms.push(sql`${level('GREEN')}`);
  for (const amber of ['AMBER', 'AMBER+STRICT'] as const) {
    if (!wanted(amber)) continue;
    if (isMechanism(viewer)) terms.push(sql`${level(amber)}`);
    else if (viewer.partyId) terms.push(listed(`${amber}:${viewer.partyId}`));
  }
  if (viewer.userId && wanted('RED')) terms.push(listed(`RED:${viewer.userId}`));
  return terms.length ? sql<number>`(${sql.join(terms, sql` + `)})` : sql<number>`0`;
}

/** A count from the tallies when they can answer the filter (tens of thousands of rows at most), else null. */
export async function countTallied(db: Db, viewer: Viewer, filter: IncidentWhere): Promise<number | null> {
  const use = tallyFor(filter);
  const t = talliesOf(db);
  const n = sql<string>`coalesce(sum(${tallied(viewer, 't', 'n', filter.tlp)}), 0)`.as('n');
  const types = filter.type?.length ? filter.type : null;
  if (use.day) {
    const row = await t
      .selectFrom('incident_day_tallies as t')
      .select(n)
      .$if(Boolean(filter.from), (q) => q.where('t.occurred_on', '>=', filter.from!))
      .$if(Boolean(filter.to), (q) => q.where('t.occurred_on', '<=', filter.to!))
      .$if(types !== null, (q) => q.where('t.type', 'in', types!))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
  if (!use.point) return null;
  const row = await t
    .selectFrom('incident_point_tallies as t')
    .select(n)
    .$if(Boolean(filter.bbox), (q) => q.where(withinBox('t', filter.bbox!)))
    .$if(types !== null, (q) => q.where('t.type', 'in', types!))
    .executeTakeFirstOrThrow();
  return Number(row.n);
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
    .select([kept.as('kept'), ...CLAIM_FACTS])
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
  if (filter.after) query = query.where(afterCursor(filter.after));
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
  options: ReadOptions = {},
): Promise<number> {
  const filter = parseInput(IncidentFilterSchema, input);
  if (options.tallies !== false) {
    const tallied = await countTallied(db, viewer, filter);
    if (tallied !== null) return tallied;
  }
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
