/**
 * The situation picture at any scale: map clusters per screen cell, daily counts and a light
 * keyset-paged list, computed in SQL through the access policy so the console never loads a
 * full list of incidents. Fatalities are the viewer's figures, never numbers from claims they
 * cannot see. What the tallies of migration 005 can answer (no period on the map, no box on the
 * timeline, no actor, status or party filter) is read from them; the rest from the incidents.
 */
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import { z } from 'zod';
import { logSensitiveReads } from '../access/audit.ts';
import { visibleTo } from '../access/policy.ts';
import type { Viewer } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import { IncidentFilterSchema } from '../domain/incident.ts';
import { figuresOf } from '../domain/incidentFigures.ts';
import { PartyCodeSchema } from '../domain/text.ts';
import { TlpSchema } from '../domain/tlp.ts';
import { CLAIM_FACTS } from '../record/derive.ts';
import { parseInput } from '../record/parse.ts';
import { queriesAtOnceOf } from '../store/engine.ts';
import type { Database } from '../store/schema.ts';
import {
  afterCursor,
  countTallied,
  encodeCursor,
  filteredIncidents,
  type ReadOptions,
  tallied,
  talliesOf,
  tallyFor,
  withinBox,
} from './incidents.ts';

type Db = Kysely<Database>;

/** The incident filter of GET /incidents, plus the party an actor belongs to and the sharing level. */
export const SituationFilterSchema = IncidentFilterSchema.pick({
  from: true,
  to: true,
  bbox: true,
  type: true,
  actor: true,
  status: true,
}).extend({
  party: z.array(PartyCodeSchema).max(50).optional(),
  tlp: z.array(TlpSchema).optional(),
});
export type SituationFilter = z.input<typeof SituationFilterSchema>;
type Parsed = z.output<typeof SituationFilterSchema>;

function situation(db: Db, viewer: Viewer, filter: Parsed) {
  return filteredIncidents(db, viewer, filter);
}

/**
 * Kept incidents with at least one claim (on them or on an incident merged into them) that the
 * viewer may not see: their stored figures include numbers the viewer must not learn. Such a claim
 * is always shared more narrowly than its incident, and migration 005 keeps each family's narrower
 * sharings of claims with figures, so this reads that short list, never the claims. `audience` is
 * the narrow sharings the viewer may see: with the family's version, it fixes the claims they see,
 * and keys the figures already recomputed for them. `only`: just these kept incidents (a list
 * page's), looked up by key rather than picked out of every family hidden from the viewer — for
 * the public, nearly every family.
 */
function hiddenFamilies(db: Db, viewer: Viewer, only?: readonly string[]) {
  const t = talliesOf(db);
  const visible = visibleTo(viewer, 'narrow');
  return t
    .selectFrom('incident_narrow_claims as narrow')
    .$if(only !== undefined, (q) => q.where('narrow.kept_id', 'in', only!))
    .innerJoin('incident_narrow_families as family', 'family.kept_id', 'narrow.kept_id')
    .select([
      'narrow.kept_id as kept',
      'family.version',
      sql<string>`coalesce(string_agg(narrow.tlp || ' ' || narrow.recipients::text, ',' ORDER BY narrow.tlp, narrow.recipients::text) FILTER (WHERE ${visible}), '')`.as(
        'audience',
      ),
    ])
    .where('narrow.kept_id', 'in', (eb) =>
      eb
        .selectFrom('incident_narrow_claims as unseen')
        .select('unseen.kept_id')
        .$if(only !== undefined, (q) => q.where('unseen.kept_id', 'in', only!))
        .where(sql<SqlBool>`NOT ${visibleTo(viewer, 'unseen')}`),
    )
    .groupBy(['narrow.kept_id', 'family.version']);
}

type HiddenFamily = {
  kept: string;
  version: number;
  audience: string;
  cachedBest: number | null;
  cachedDisputed: boolean | null;
};

/** Hidden families with the figures already recomputed for this audience and version, if any. */
function hiddenWithCache(db: Db, viewer: Viewer, only?: readonly string[]) {
  return talliesOf(db)
    .selectFrom(hiddenFamilies(db, viewer, only).as('hidden'))
    .leftJoin('incident_audience_figures as cached', (join) =>
      join
        .onRef('cached.kept_id', '=', 'hidden.kept')
        .onRef('cached.audience', '=', 'hidden.audience')
        .onRef('cached.version', '=', 'hidden.version'),
    )
    .select([
      'hidden.kept',
      'hidden.version',
      'hidden.audience',
      'cached.best as cachedBest',
      'cached.disputed as cachedDisputed',
    ]);
}

/**
 * The hidden families the map shows under the filter, from the copy of each kept incident
 * migration 005 keeps beside its family (the same conditions as filteredIncidents on type,
 * sharing, position and day); under the filters that copy lacks (actor, party, status), those
 * families are then looked up among the incidents by id. Joining the families to the incidents
 * themselves instead let PostgreSQL guess their number from the policy's negation (1,798 guessed,
 * 9 found for the mechanism on bench/dashboard.ts's store) and scan every incident the filter
 * matched to meet them: 112–275 ms of a map at 1,000,000 incidents.
 */
async function hiddenCells(db: Db, viewer: Viewer, filter: Parsed, scale: number) {
  const { cx, cy } = cellOf(scale, 'family');
  let query = talliesOf(db)
    .selectFrom('incident_narrow_families as family')
    .innerJoin(hiddenWithCache(db, viewer).as('hidden'), 'hidden.kept', 'family.kept_id')
    .select([
      cx.as('cx'),
      cy.as('cy'),
      'family.fatalities_best',
      'hidden.kept',
      'hidden.version',
      'hidden.audience',
      'hidden.cachedBest',
      'hidden.cachedDisputed',
    ])
    .where(visibleTo(viewer, 'family'))
    .where('family.merged', '=', false)
    .where('family.lat', 'is not', null)
    .where('family.lon', 'is not', null);
  if (filter.type?.length) query = query.where('family.type', 'in', filter.type);
  if (filter.tlp?.length) query = query.where('family.tlp', 'in', filter.tlp);
  if (filter.from) query = query.where('family.occurred_on', '>=', filter.from);
  if (filter.to) query = query.where('family.occurred_on', '<=', filter.to);
  if (filter.bbox) query = query.where(withinBox('family', filter.bbox));
  const families = await query.execute();
  const { actor, party, status } = filter;
  if (families.length === 0 || !(actor?.length || party?.length || status?.length)) return families;
  const matching = await situation(db, viewer, { actor, party, status })
    .where(sql<SqlBool>`incidents.id = ANY(${families.map((f) => f.kept)}::text[])`)
    .select('incidents.id')
    .execute();
  const ids = new Set(matching.map((row) => row.id));
  return families.filter((family) => ids.has(family.kept));
}

/**
 * The viewer's figures for hidden families: cached ones as they are, the others recomputed (at
 * most `cap`; `partial` says some were left out) and cached for the next viewer of this audience.
 */
async function hiddenFigures(
  db: Db,
  viewer: Viewer,
  hidden: readonly HiddenFamily[],
  cap = Number.POSITIVE_INFINITY,
): Promise<{ figures: Map<string, VisibleFigures>; partial: boolean }> {
  const figures = new Map<string, VisibleFigures>();
  const missing: HiddenFamily[] = [];
  for (const family of hidden) {
    if (family.cachedBest === null) missing.push(family);
    else figures.set(family.kept, { best: family.cachedBest, disputed: Boolean(family.cachedDisputed) });
  }
  const todo = missing.slice(0, cap);
  const computed = await visibleFigures(
    db,
    viewer,
    todo.map((f) => f.kept),
  );
  for (let i = 0; i < todo.length; i += CACHE_ROWS_PER_STATEMENT) {
    const rows = todo.slice(i, i + CACHE_ROWS_PER_STATEMENT).map((f) => {
      const value = computed.get(f.kept)!;
      figures.set(f.kept, value);
      return {
        kept_id: f.kept,
        audience: f.audience,
        version: f.version,
        best: value.best,
        disputed: value.disputed,
      };
    });
    await talliesOf(db)
      .insertInto('incident_audience_figures')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['kept_id', 'audience'])
          .doUpdateSet((eb) => ({
            version: eb.ref('excluded.version'),
            best: eb.ref('excluded.best'),
            disputed: eb.ref('excluded.disputed'),
          }))
          // Versions only grow: a slower reader never puts back figures of an older family.
          .where('incident_audience_figures.version', '<=', (eb) => eb.ref('excluded.version')),
      )
      .execute();
  }
  return { figures, partial: missing.length > cap };
}

export type VisibleFigures = { best: number; disputed: boolean };

/**
 * Best fatalities (and whether figures conflict) recomputed from the claims the viewer can see,
 * those on merged incidents included: one query whatever the number of incidents.
 */
export async function visibleFigures(
  db: Db,
  viewer: Viewer,
  ids: readonly string[],
): Promise<Map<string, VisibleFigures>> {
  const figures = new Map<string, VisibleFigures>(ids.map((id) => [id, { best: 0, disputed: false }]));
  if (ids.length === 0) return figures;
  const list = sql`${[...ids]}::text[]`;
  const facts = await db
    .selectFrom('claims')
    .innerJoin('incidents', 'incidents.id', 'claims.incident_id')
    .innerJoin('sources', 'sources.id', 'claims.source_id')
    .select([sql<string>`coalesce(incidents.merged_into, incidents.id)`.as('kept'), ...CLAIM_FACTS])
    // An indexed IN over the family rather than an OR across the join.
    .where('claims.incident_id', 'in', (sub) =>
      sub
        .selectFrom('incidents as family')
        .select('family.id')
        .where(sql<SqlBool>`family.id = ANY(${list}) OR family.merged_into = ANY(${list})`),
    )
    .where(visibleTo(viewer, 'claims'))
    .execute();
  const byIncident = new Map<string, typeof facts>();
  for (const fact of facts) {
    const group = byIncident.get(fact.kept);
    if (group) group.push(fact);
    else byIncident.set(fact.kept, [fact]);
  }
  for (const [id, claims] of byIncident) {
    const derived = figuresOf(claims);
    figures.set(id, { best: derived.fatalities_best, disputed: derived.figures_disputed });
  }
  return figures;
}

/** Screen cells are this many pixels square at MapLibre's 512-pixel world tile. */
export const CELL_PX = 64;
const MAX_MERCATOR_LAT = 85.0511;
/** Past this many incidents with partly hidden claims, their fatalities are left out and the answer says so. */
const RECOMPUTE_CAP = 20_000;
const CACHE_ROWS_PER_STATEMENT = 5_000;

function cellOf(scale: number, table = 'incidents') {
  const lon = sql.ref(`${table}.lon`);
  const lat = sql`least(greatest(${sql.ref(`${table}.lat`)}, ${sql.lit(-MAX_MERCATOR_LAT)}), ${sql.lit(MAX_MERCATOR_LAT)})`;
  return {
    cx: sql<number>`floor((${lon} + 180) / 360 * ${sql.lit(scale)})::int`,
    // Web Mercator y, so that a cell is square on screen at every latitude.
    cy: sql<number>`floor((1 - ln(tan(radians(${lat})) + 1 / cos(radians(${lat}))) / pi()) / 2 * ${sql.lit(scale)})::int`,
  };
}

export type Cluster = {
  /** Mean position of the incidents in the cell. */
  lat: number;
  lon: number;
  count: number;
  /** Sum of the viewer's best fatalities estimates. */
  best: number;
  /** Count per incident type. */
  types: Record<string, number>;
  /** When the cell holds one incident: what a marker shows. */
  incident: {
    id: string;
    title: string;
    type: string;
    status: string;
    occurredOn: string;
    tlp: string;
    best: number;
  } | null;
};

export type ClusterResult = {
  zoom: number;
  cellPx: number;
  clusters: Cluster[];
  /** Incidents matching the filter that have a position, and their best fatalities summed. */
  total: number;
  best: number;
  /** Matching incidents without coordinates (never on the map). */
  unlocated: number;
  /** True when some fatalities were left out because too many needed recomputing for this viewer. */
  partialFigures: boolean;
};

/** Incidents of one type in one cell; `one` finds the incident when the group holds only one. */
type CellGroup = {
  cx: number | null;
  cy: number | null;
  type: string;
  n: number;
  lat: number;
  lon: number;
  best: number;
  one: { id: string } | { lat: number; lon: number };
};

/** One pass over the matching incidents, summing stored figures (hidden ones are corrected after). */
async function liveGroups(db: Db, viewer: Viewer, filter: Parsed, scale: number): Promise<CellGroup[]> {
  const { cx, cy } = cellOf(scale);
  // Text columns are not aggregated here (that doubles the cost at 100,000 rows): single-incident
  // cells are read by id afterwards.
  const rows = await situation(db, viewer, filter)
    .where('incidents.lat', 'is not', null)
    .where('incidents.lon', 'is not', null)
    .select([
      cx.as('cx'),
      cy.as('cy'),
      'incidents.type',
      sql<number>`count(*)::int`.as('n'),
      sql<number>`avg(incidents.lat)`.as('lat'),
      sql<number>`avg(incidents.lon)`.as('lon'),
      sql<string>`sum(incidents.fatalities_best)`.as('best'),
      sql<string>`min(incidents.id)`.as('id'),
    ])
    .groupBy([sql`1`, sql`2`, 'incidents.type'])
    .execute();
  return rows.map((r) => ({
    ...r,
    lat: Number(r.lat),
    lon: Number(r.lon),
    best: Number(r.best),
    one: { id: r.id },
  }));
}

/**
 * The same groups from the per-position tallies: one row per position and type, whatever the
 * number of incidents. Incidents without a position come out as one group with null cells.
 */
async function talliedGroups(db: Db, viewer: Viewer, filter: Parsed, scale: number): Promise<CellGroup[]> {
  const t = talliesOf(db);
  let points = t
    .selectFrom('incident_point_tallies as t')
    .select([
      't.lat',
      't.lon',
      't.type',
      tallied(viewer, 't', 'n', filter.tlp).as('n'),
      tallied(viewer, 't', 'best', filter.tlp).as('best'),
    ]);
  if (filter.type?.length) points = points.where('t.type', 'in', filter.type);
  if (filter.bbox) {
    const box = withinBox('t', filter.bbox);
    points = points.where((eb) => eb.or([box, eb('t.lat', 'is', null), eb('t.lon', 'is', null)]));
  }
  const { cx, cy } = cellOf(scale, 'p');
  const rows = await t
    .selectFrom(points.as('p'))
    .select([
      cx.as('cx'),
      cy.as('cy'),
      'p.type',
      sql<number>`sum(p.n)::int`.as('n'),
      sql<number>`sum(p.lat * p.n) / sum(p.n)`.as('lat'),
      sql<number>`sum(p.lon * p.n) / sum(p.n)`.as('lon'),
      sql<string>`sum(p.best)`.as('best'),
      // When the group holds one incident, it is at the one position with n > 0.
      sql<number>`min(p.lat)`.as('oneLat'),
      sql<number>`min(p.lon)`.as('oneLon'),
    ])
    .where('p.n', '>', 0)
    .groupBy([sql`1`, sql`2`, 'p.type'])
    .execute();
  return rows.map((r) => ({
    cx: r.cx,
    cy: r.cy,
    type: r.type,
    n: r.n,
    lat: Number(r.lat),
    lon: Number(r.lon),
    best: Number(r.best),
    one: { lat: Number(r.oneLat), lon: Number(r.oneLon) },
  }));
}

/** Incidents grouped into square screen cells at a zoom level; a cell with one incident names it. */
export async function clusterIncidents(
  db: Db,
  viewer: Viewer,
  input: SituationFilter | unknown,
  zoomInput: number,
  options: ReadOptions = {},
): Promise<ClusterResult> {
  const parsed = parseInput(SituationFilterSchema, input);
  if (!Number.isFinite(zoomInput) || zoomInput < 0 || zoomInput > 24) {
    throw new TruceError('invalid_input', 'zoom: must be between 0 and 24', { field: 'zoom' });
  }
  const zoom = Math.floor(zoomInput);
  const scale = (512 * 2 ** zoom) / CELL_PX;
  const filter = await partiesAsActors(db, parsed);
  if (!filter)
    return { zoom, cellPx: CELL_PX, clusters: [], total: 0, best: 0, unlocated: 0, partialFigures: false };
  const useTallies = options.tallies !== false && tallyFor(filter).point;
  // The counts and the incidents whose figures need correcting, read side by side.
  const [all, hidden] = await Promise.all([
    (useTallies ? talliedGroups : liveGroups)(db, viewer, filter, scale),
    hiddenCells(db, viewer, filter, scale),
  ]);
  const groups = all.filter((g) => g.cx !== null && g.cy !== null);

  type Cell = Cluster & { sumLat: number; sumLon: number; one: CellGroup | null };
  const cells = new Map<string, Cell>();
  for (const group of groups) {
    const key = `${group.cx}:${group.cy}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        lat: 0,
        lon: 0,
        sumLat: 0,
        sumLon: 0,
        count: 0,
        best: 0,
        types: {},
        incident: null,
        one: null,
      };
      cells.set(key, cell);
    }
    cell.count += group.n;
    cell.sumLat += group.lat * group.n;
    cell.sumLon += group.lon * group.n;
    cell.best += group.best;
    cell.types[group.type] = (cell.types[group.type] ?? 0) + group.n;
    cell.one = group;
  }

  // Stored figures of incidents with claims this viewer may not see are taken out, and figures
  // from the claims they can see put in their place.
  const owner = new Map<string, Cell>();
  for (const row of hidden) {
    const cell = cells.get(`${row.cx}:${row.cy}`);
    if (!cell) continue;
    cell.best -= row.fatalities_best;
    owner.set(row.kept, cell);
  }
  const { figures, partial: partialFigures } = await hiddenFigures(db, viewer, hidden, RECOMPUTE_CAP);
  for (const [id, value] of figures) owner.get(id)!.best += value.best;

  const singles = await singleIncidents(
    db,
    viewer,
    filter,
    [...cells.values()].filter((c) => c.count === 1).map((c) => c.one!),
  );
  const clusters: Cluster[] = [];
  let total = 0;
  let best = 0;
  for (const { sumLat, sumLon, one, ...cell } of cells.values()) {
    const row = cell.count === 1 && one ? singles.get(singleKey(one)) : undefined;
    const incident = row
      ? {
          id: row.id,
          title: row.title,
          type: row.type,
          status: row.status,
          occurredOn: row.occurred_on,
          tlp: row.tlp,
          best: cell.best,
        }
      : null;
    clusters.push({ ...cell, incident, lat: sumLat / cell.count, lon: sumLon / cell.count });
    total += cell.count;
    best += cell.best;
  }
  await logSensitiveReads(db, viewer, 'incidents', [...singles.values()]);
  const unlocated = useTallies
    ? all.reduce((sum, g) => (g.cx === null || g.cy === null ? sum + g.n : sum), 0)
    : await unlocatedLive(db, viewer, filter);
  return { zoom, cellPx: CELL_PX, clusters, total, best, unlocated, partialFigures };
}

function singleKey(group: CellGroup): string {
  return 'id' in group.one ? group.one.id : `${group.one.lat}|${group.one.lon}|${group.type}`;
}

/** The incidents of single-incident cells, by id or by their one position and type, keyed by singleKey. */
async function singleIncidents(db: Db, viewer: Viewer, filter: Parsed, groups: CellGroup[]) {
  const ids = groups.flatMap((g) => ('id' in g.one ? [g.one.id] : []));
  const points = groups.flatMap((g) => ('id' in g.one ? [] : [{ ...g.one, type: g.type }]));
  const found = new Map<
    string,
    { id: string; title: string; type: string; status: string; occurred_on: string; tlp: string }
  >();
  const columns = ['id', 'title', 'type', 'status', 'occurred_on', 'tlp', 'lat', 'lon'] as const;
  if (ids.length) {
    const rows = await db.selectFrom('incidents').select(columns).where('id', 'in', ids).execute();
    for (const row of rows) found.set(row.id, row);
  }
  if (points.length) {
    const rows = await situation(db, viewer, filter)
      .select(columns.map((c) => `incidents.${c}` as const))
      .where((eb) =>
        eb(
          eb.refTuple('incidents.lat', 'incidents.lon', 'incidents.type'),
          'in',
          points.map((p) => eb.tuple(p.lat, p.lon, p.type)),
        ),
      )
      .execute();
    for (const row of rows) found.set(`${row.lat}|${row.lon}|${row.type}`, row);
  }
  return found;
}

async function unlocatedLive(db: Db, viewer: Viewer, filter: Parsed): Promise<number> {
  const { bbox: _bbox, ...unboxed } = filter;
  const row = await situation(db, viewer, unboxed)
    .where((eb) => eb.or([eb('incidents.lat', 'is', null), eb('incidents.lon', 'is', null)]))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** One day's incidents per type; types with none are left out (a year of days stays a few dozen KiB). */
export type DailyCount = { day: string; counts: Record<string, number> };

/**
 * Up to this many incidents outside a box, the timeline takes the outside away from the whole
 * region's tallies; past it, only when the outside holds fewer incidents than the inside (a
 * province that holds most of them), so that it counts whichever side is smaller.
 */
const OUTSIDE_CAP = 20_000;
/** …and never past this many positions on the side it reads (each is one probe of the position index). */
const POINTS_CAP = 2_000;
/**
 * Past this many incidents on the side it reads, the timeline reads their positions in two halves
 * at once, on two of the pool's connections (PostgreSQL only). PostgreSQL runs a join over a list
 * of points on one process (it cannot share out the list between parallel workers), and a
 * province's outside can be 200,000 incidents. Inside a box, the two halves also beat a parallel
 * scan of the position index: that scan reads the box's whole band of latitude, and its workers
 * are new processes that fault in every shared buffer they touch (a district of 200,646
 * incidents: 136–138 → 45–50 ms p50, README "At scale").
 */
const SPLIT_FROM = 20_000;

type DayRow = { day: string; type: string; count: number };

/** Incidents per day and type under the filter: the timeline the console brushes. */
export async function dailyCounts(
  db: Db,
  viewer: Viewer,
  input: SituationFilter | unknown,
  options: ReadOptions = {},
): Promise<{ days: DailyCount[]; first: string | null; last: string | null }> {
  const filter = await partiesAsActors(db, parseInput(SituationFilterSchema, input));
  if (!filter) return { days: [], first: null, last: null };
  const { bbox, ...unboxed } = filter;
  let days: DailyCount[];
  if (options.tallies === false || !tallyFor(unboxed).day) days = await dailyLive(db, viewer, filter);
  else if (!bbox) days = await dailyTallied(db, viewer, filter);
  else {
    // Everything, less what lies outside the box, when that is less than what lies inside.
    // countTallied answers a box only without a period (null with one).
    const [outside, inside] = await Promise.all([
      boxPoints(db, viewer, filter, bbox, 'outside'),
      countTallied(db, viewer, filter),
    ]);
    // On one connection (PGlite) two halves would run one after the other: never split there.
    const splitFrom = options.splitFrom ?? (queriesAtOnceOf(db) > 1 ? SPLIT_FROM : Number.POSITIVE_INFINITY);
    if (
      outside &&
      (outside.count <= (options.outsideCap ?? OUTSIDE_CAP) || (inside !== null && outside.count < inside))
    ) {
      const parts = splitPoints(outside.points, outside.count >= splitFrom ? 2 : 1);
      const [everything, unlocated, ...elsewhere] = await Promise.all([
        dailyTallied(db, viewer, unboxed),
        dayTypeCounts(db, viewer, unboxed, (eb) =>
          eb.or([eb('incidents.lat', 'is', null), eb('incidents.lon', 'is', null)]),
        ).execute(),
        ...parts.map((part) => dayTypeCounts(db, viewer, unboxed, () => atPositions(part)).execute()),
      ]);
      days = subtract(everything, [...unlocated, ...elsewhere.flat()]);
    } else {
      // Inside: in two halves by position once it is large (SPLIT_FROM), else one scan of the box.
      const points =
        inside !== null && inside >= splitFrom ? await boxPoints(db, viewer, filter, bbox, 'inside') : null;
      days = points
        ? added(
            await Promise.all(
              splitPoints(points.points, 2).map((part) =>
                dayTypeCounts(db, viewer, unboxed, () => atPositions(part)).execute(),
              ),
            ),
          )
        : await dailyLive(db, viewer, filter);
    }
  }
  return { days, first: days[0]?.day ?? null, last: days.at(-1)?.day ?? null };
}

function byDay(rows: readonly DayRow[]): DailyCount[] {
  const days: DailyCount[] = [];
  for (const row of rows) {
    const last = days.at(-1);
    if (last?.day === row.day) last.counts[row.type] = row.count;
    else days.push({ day: row.day, counts: { [row.type]: row.count } });
  }
  return days;
}

/** The timeline read from the incidents under the filter, by day. */
async function dailyLive(db: Db, viewer: Viewer, filter: Parsed): Promise<DailyCount[]> {
  return byDay(
    await dayTypeCounts(db, viewer, filter)
      .orderBy('incidents.occurred_on')
      .orderBy('incidents.type')
      .execute(),
  );
}

/**
 * Incidents per day and type under the filter (and `where`), in no order: the parts of a box that
 * are added up or taken away by day need none (sorting ~20,000 day and type rows took ~18 ms of a
 * province's half on bench/dashboard.ts's store).
 */
function dayTypeCounts(
  db: Db,
  viewer: Viewer,
  filter: Parsed,
  where?: (eb: ExpressionBuilder<Database, 'incidents'>) => Expression<SqlBool>,
) {
  let query = situation(db, viewer, filter);
  if (where) query = query.where(where);
  return query
    .select([
      sql<string>`incidents.occurred_on::text`.as('day'),
      'incidents.type',
      sql<number>`count(*)::int`.as('count'),
    ])
    .groupBy(['incidents.occurred_on', 'incidents.type']);
}

/** A day per row, its counts built in SQL: eight times fewer rows to carry than one per day and type. */
async function dailyTallied(db: Db, viewer: Viewer, filter: Parsed): Promise<DailyCount[]> {
  const n = tallied(viewer, 't', 'n', filter.tlp);
  let query = talliesOf(db)
    .selectFrom('incident_day_tallies as t')
    .select([
      sql<string>`t.occurred_on::text`.as('day'),
      sql<Record<string, number>>`json_object_agg(t.type, ${n})`.as('counts'),
    ])
    .where(sql<SqlBool>`${n} > 0`)
    .groupBy('t.occurred_on')
    .orderBy('t.occurred_on');
  if (filter.from) query = query.where('t.occurred_on', '>=', filter.from);
  if (filter.to) query = query.where('t.occurred_on', '<=', filter.to);
  if (filter.type?.length) query = query.where('t.type', 'in', filter.type);
  return query.execute();
}

/**
 * The positions inside or outside a box with incidents the viewer may see (whatever their day) and
 * how many incidents they hold, or null when there are more than POINTS_CAP of them.
 */
async function boxPoints(
  db: Db,
  viewer: Viewer,
  filter: Parsed,
  bbox: readonly number[],
  side: 'inside' | 'outside',
) {
  const n = tallied(viewer, 't', 'n', filter.tlp);
  const box = withinBox('t', bbox);
  // One row per position (the tallies hold a row per position and type), weighed by its incidents.
  const rows = await talliesOf(db)
    .selectFrom('incident_point_tallies as t')
    .select(['t.lat', 't.lon', sql<string>`sum(${n})`.as('n')])
    .where(side === 'inside' ? box : sql<SqlBool>`NOT coalesce(${box}, false)`)
    .where(sql<SqlBool>`${n} > 0`)
    .$if(Boolean(filter.type?.length), (q) => q.where('t.type', 'in', filter.type!))
    .groupBy(['t.lat', 't.lon'])
    .limit(POINTS_CAP + 1)
    .execute();
  if (rows.length > POINTS_CAP) return null;
  let count = 0;
  const points: BoxPoint[] = [];
  for (const { lat, lon, n } of rows) {
    count += Number(n);
    if (lat !== null && lon !== null) points.push({ lat, lon, n: Number(n) });
  }
  return { count, points };
}

type BoxPoint = { lat: number; lon: number; n: number };

/** Incidents at one of these positions (exactly: the list comes from the tallies of the same columns). */
function atPositions({ lats, lons }: { lats: number[]; lons: number[] }): RawBuilder<SqlBool> {
  return sql<SqlBool>`(incidents.lat, incidents.lon) IN (SELECT * FROM unnest(${lats}::float8[], ${lons}::float8[]))`;
}

/** Positions in up to `parts` lists of about equal incidents (heaviest first, each to the lightest list); no empty list. */
function splitPoints(points: readonly BoxPoint[], parts: number): { lats: number[]; lons: number[] }[] {
  const lists = Array.from({ length: Math.min(parts, points.length) }, () => ({
    lats: [] as number[],
    lons: [] as number[],
    n: 0,
  }));
  for (const point of [...points].sort((a, b) => b.n - a.n)) {
    const lightest = lists.reduce((min, list) => (list.n < min.n ? list : min));
    lightest.lats.push(point.lat);
    lightest.lons.push(point.lon);
    lightest.n += point.n;
  }
  return lists.map(({ lats, lons }) => ({ lats, lons }));
}

/** Counts per day and type of rows that may repeat a day and type (halves read apart), added up, by day. */
function added(halves: readonly DayRow[][]): DailyCount[] {
  const index = new Map<string, DailyCount>();
  for (const row of halves.flat()) {
    const day = index.get(row.day);
    if (!day) index.set(row.day, { day: row.day, counts: { [row.type]: row.count } });
    else day.counts[row.type] = (day.counts[row.type] ?? 0) + row.count;
  }
  return [...index.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/** Counts per day and type, less those of `minus` (a subset of them); days left empty go. */
function subtract(days: DailyCount[], minus: readonly DayRow[]): DailyCount[] {
  const index = new Map(days.map((d) => [d.day, d]));
  for (const row of minus) {
    const day = index.get(row.day);
    if (!day) continue;
    const left = (day.counts[row.type] ?? 0) - row.count;
    if (left > 0) day.counts[row.type] = left;
    else delete day.counts[row.type];
  }
  return days.filter((d) => Object.keys(d.counts).length > 0);
}

export type SituationRow = {
  id: string;
  type: string;
  title: string;
  occurredOn: string;
  datePrecision: string;
  status: string;
  tlp: string;
  placeId: string | null;
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  actorId: string | null;
  targetId: string | null;
  fatalitiesBest: number;
  figuresDisputed: boolean;
};

/**
 * A party filter as the list of that party's actors (intersected with any actor filter), or null
 * when no actor qualifies and nothing can match. Named actors have statistics; a subquery had none.
 * Newest-first with a LIMIT, the planner read the incidents by date until enough matched: for a
 * party with no actors at all it read all of them (a million on PostgreSQL, 3.7 s) to return
 * nothing. On the map it guessed 2,950 of a party's 257,166 incidents; named, it guesses right,
 * and with room to hash them (engine.ts WORK_MEM) groups them without sorting: a party's map on
 * bench/dashboard.ts's store 270–286 → 174 ms p50.
 */
async function partiesAsActors(db: Db, filter: Parsed): Promise<Parsed | null> {
  if (!filter.party?.length) return filter;
  const ofParties = (
    await db.selectFrom('actors').select('id').where('party_id', 'in', filter.party).execute()
  ).map((a) => a.id);
  const actors = filter.actor?.length ? filter.actor.filter((id) => ofParties.includes(id)) : ofParties;
  if (actors.length === 0) return null;
  const { party: _party, ...rest } = filter;
  return { ...rest, actor: actors };
}

/** One page of the incidents under the filter, newest first, in the columns a list shows. */
export async function situationIncidents(
  db: Db,
  viewer: Viewer,
  input: SituationFilter | unknown,
  page: { limit?: number | undefined; after?: string | undefined } = {},
  options: ReadOptions = {},
): Promise<{ incidents: SituationRow[]; next: string | null; total: number }> {
  const filter = await partiesAsActors(db, parseInput(SituationFilterSchema, input));
  if (!filter) return { incidents: [], next: null, total: 0 };
  const limit = Math.max(1, Math.min(page.limit ?? 50, 200));
  let query = situation(db, viewer, filter).select([
    'incidents.id',
    'incidents.type',
    'incidents.title',
    'incidents.occurred_on',
    'incidents.date_precision',
    'incidents.status',
    'incidents.tlp',
    'incidents.place_id',
    'incidents.country',
    'incidents.admin1',
    'incidents.admin2',
    'incidents.actor_id',
    'incidents.target_id',
    'incidents.fatalities_best',
    'incidents.figures_disputed',
  ]);
  if (page.after) query = query.where(afterCursor(page.after));
  const rows = await query
    .orderBy('incidents.occurred_on', 'desc')
    .orderBy('incidents.id', 'desc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const ids = shown.map((r) => r.id);
  const affected = ids.length === 0 ? [] : await hiddenWithCache(db, viewer, ids).execute();
  const { figures } = await hiddenFigures(db, viewer, affected);
  await logSensitiveReads(db, viewer, 'incidents', shown);
  const total =
    (options.tallies === false ? null : await countTallied(db, viewer, filter)) ??
    (await countSituation(situation(db, viewer, filter)));
  return {
    incidents: shown.map((r) => ({
      id: r.id,
      type: r.type,
      title: r.title,
      occurredOn: r.occurred_on,
      datePrecision: r.date_precision,
      status: r.status,
      tlp: r.tlp,
      placeId: r.place_id,
      country: r.country,
      admin1: r.admin1,
      admin2: r.admin2,
      actorId: r.actor_id,
      targetId: r.target_id,
      fatalitiesBest: figures.get(r.id)?.best ?? r.fatalities_best,
      figuresDisputed: figures.get(r.id)?.disputed ?? r.figures_disputed,
    })),
    next: more ? encodeCursor(shown.at(-1)!) : null,
    total,
  };
}

async function countSituation(query: SelectQueryBuilder<Database, 'incidents', object>): Promise<number> {
  const row = await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}
