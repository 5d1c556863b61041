/**
 * The situation picture at any scale: map clusters per screen cell, daily counts and a light
 * keyset-paged list, computed in SQL through the access policy so the console never loads a
 * full list of incidents. Fatalities are the viewer's figures, never numbers from claims they
 * cannot see.
 */
import { type Kysely, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { logSensitiveReads } from '../access/audit.ts';
import { visibleTo } from '../access/policy.ts';
import type { Viewer } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import { IncidentFilterSchema } from '../domain/incident.ts';
import { figuresOf } from '../domain/incidentFigures.ts';
import { PartyCodeSchema } from '../domain/text.ts';
import { TlpSchema } from '../domain/tlp.ts';
import { parseInput } from '../record/parse.ts';
import type { Database } from '../store/schema.ts';
import { filteredIncidents } from './incidents.ts';

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
 * viewer may not see: their stored figures include numbers the viewer must not learn.
 */
function hiddenFamilies(db: Db, viewer: Viewer) {
  return db
    .selectFrom('claims')
    .innerJoin('incidents as family', 'family.id', 'claims.incident_id')
    .select(sql<string>`coalesce(family.merged_into, family.id)`.as('kept'))
    .where(sql<SqlBool>`NOT ${visibleTo(viewer, 'claims')}`)
    .distinct();
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
    .select([
      sql<string>`coalesce(incidents.merged_into, incidents.id)`.as('kept'),
      'claims.id',
      'claims.source_id',
      'claims.published_at',
      'claims.figures',
      'claims.asserted',
      'sources.kind',
      'sources.affiliation',
    ])
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

function cellOf(scale: number) {
  const lat = sql`least(greatest(incidents.lat, ${sql.lit(-MAX_MERCATOR_LAT)}), ${sql.lit(MAX_MERCATOR_LAT)})`;
  return {
    cx: sql<number>`floor((incidents.lon + 180) / 360 * ${sql.lit(scale)})::int`,
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

/** Incidents grouped into square screen cells at a zoom level; a cell with one incident names it. */
export async function clusterIncidents(
  db: Db,
  viewer: Viewer,
  input: SituationFilter | unknown,
  zoomInput: number,
): Promise<ClusterResult> {
  const filter = parseInput(SituationFilterSchema, input);
  if (!Number.isFinite(zoomInput) || zoomInput < 0 || zoomInput > 24) {
    throw new TruceError('invalid_input', 'zoom: must be between 0 and 24', { field: 'zoom' });
  }
  const zoom = Math.floor(zoomInput);
  const scale = (512 * 2 ** zoom) / CELL_PX;
  const { cx, cy } = cellOf(scale);
  // One pass over the matching incidents. Text columns are not aggregated here (that doubles
  // the cost at 100,000 rows): single-incident cells are read by id afterwards.
  const rows = await situation(db, viewer, filter)
    .leftJoin(hiddenFamilies(db, viewer).as('hidden'), 'hidden.kept', 'incidents.id')
    .where('incidents.lat', 'is not', null)
    .where('incidents.lon', 'is not', null)
    .select([
      cx.as('cx'),
      cy.as('cy'),
      'incidents.type',
      sql<number>`count(*)::int`.as('n'),
      sql<number>`avg(incidents.lat)`.as('lat'),
      sql<number>`avg(incidents.lon)`.as('lon'),
      sql<number>`coalesce(sum(incidents.fatalities_best) FILTER (WHERE hidden.kept IS NULL), 0)::int`.as(
        'best',
      ),
      // Incidents whose stored figures use claims this viewer may not see: recomputed below.
      sql<string[] | null>`array_agg(incidents.id) FILTER (WHERE hidden.kept IS NOT NULL)`.as('hidden'),
      sql<string>`min(incidents.id)`.as('id'),
    ])
    .groupBy([sql`1`, sql`2`, 'incidents.type'])
    .execute();

  const cells = new Map<string, Cluster & { sumLat: number; sumLon: number; singleId: string }>();
  const owner = new Map<string, Cluster>();
  const hiddenIds: string[] = [];
  for (const row of rows) {
    const key = `${row.cx}:${row.cy}`;
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
        singleId: '',
      };
      cells.set(key, cell);
    }
    cell.count += row.n;
    cell.sumLat += Number(row.lat) * row.n;
    cell.sumLon += Number(row.lon) * row.n;
    cell.best += row.best;
    cell.types[row.type] = (cell.types[row.type] ?? 0) + row.n;
    cell.singleId = row.id;
    for (const id of row.hidden ?? []) {
      hiddenIds.push(id);
      owner.set(id, cell);
    }
  }

  const partialFigures = hiddenIds.length > RECOMPUTE_CAP;
  const figures = await visibleFigures(db, viewer, hiddenIds.slice(0, RECOMPUTE_CAP));
  for (const [id, value] of figures) owner.get(id)!.best += value.best;

  const singleIds = [...cells.values()].filter((c) => c.count === 1).map((c) => c.singleId);
  const singles = singleIds.length
    ? await db
        .selectFrom('incidents')
        .select(['id', 'title', 'type', 'status', 'occurred_on', 'tlp'])
        .where('id', 'in', singleIds)
        .execute()
    : [];
  const single = new Map(singles.map((row) => [row.id, row]));

  const clusters: Cluster[] = [];
  let total = 0;
  let best = 0;
  for (const { sumLat, sumLon, singleId, ...cell } of cells.values()) {
    const row = cell.count === 1 ? single.get(singleId) : undefined;
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
  await logSensitiveReads(db, viewer, 'incidents', singles);
  const { bbox: _bbox, ...unboxed } = filter;
  const unlocated = await situation(db, viewer, unboxed)
    .where((eb) => eb.or([eb('incidents.lat', 'is', null), eb('incidents.lon', 'is', null)]))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return { zoom, cellPx: CELL_PX, clusters, total, best, unlocated: unlocated.n, partialFigures };
}

/** One day's incidents per type; types with none are left out (a year of days stays a few dozen KiB). */
export type DailyCount = { day: string; counts: Record<string, number> };

/** Incidents per day and type under the filter: the timeline the console brushes. */
export async function dailyCounts(
  db: Db,
  viewer: Viewer,
  input: SituationFilter | unknown,
): Promise<{ days: DailyCount[]; first: string | null; last: string | null }> {
  const filter = parseInput(SituationFilterSchema, input);
  const rows = await situation(db, viewer, filter)
    .select([
      sql<string>`incidents.occurred_on::text`.as('day'),
      'incidents.type',
      sql<number>`count(*)::int`.as('count'),
    ])
    .groupBy(['incidents.occurred_on', 'incidents.type'])
    .orderBy('incidents.occurred_on')
    .orderBy('incidents.type')
    .execute();
  const days: DailyCount[] = [];
  for (const row of rows) {
    const last = days.at(-1);
    if (last?.day === row.day) last.counts[row.type] = row.count;
    else days.push({ day: row.day, counts: { [row.type]: row.count } });
  }
  return { days, first: days[0]?.day ?? null, last: days.at(-1)?.day ?? null };
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

function encodeCursor(row: { occurred_on: string; id: string }): string {
  return Buffer.from(`${row.occurred_on}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { day: string; id: string } {
  const [day, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!day || !id || !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    throw new TruceError('invalid_input', 'after: not a cursor this server issued', { field: 'after' });
  }
  return { day, id };
}

/** One page of the incidents under the filter, newest first, in the columns a list shows. */
export async function situationIncidents(
  db: Db,
  viewer: Viewer,
  input: SituationFilter | unknown,
  page: { limit?: number | undefined; after?: string | undefined } = {},
): Promise<{ incidents: SituationRow[]; next: string | null; total: number }> {
  const filter = parseInput(SituationFilterSchema, input);
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
  if (page.after) {
    const cursor = decodeCursor(page.after);
    query = query.where((eb) =>
      eb.or([
        eb('incidents.occurred_on', '<', cursor.day),
        eb.and([eb('incidents.occurred_on', '=', cursor.day), eb('incidents.id', '<', cursor.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('incidents.occurred_on', 'desc')
    .orderBy('incidents.id', 'desc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const ids = shown.map((r) => r.id);
  const affected =
    ids.length === 0
      ? []
      : (
          await hiddenFamilies(db, viewer)
            .where(sql<SqlBool>`coalesce(family.merged_into, family.id) IN (${sql.join(ids)})`)
            .execute()
        ).map((h) => h.kept);
  const figures = await visibleFigures(db, viewer, affected);
  await logSensitiveReads(db, viewer, 'incidents', shown);
  const total = await countSituation(situation(db, viewer, filter));
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
