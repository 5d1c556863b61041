/**
 * Exports the incidents of a view as ACLED or UCDP CSV, GeoJSON or JSON Lines, streamed page by
 * page (keyset cursor of listIncidents) through the access policy, never the whole set in memory.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { Viewer } from '../access/viewer.ts';
import type { TreeHead } from '../ledger/treeHead.ts';
import { camelize, presentIncident } from '../query/present.ts';
import type { Database, IncidentRow } from '../store/schema.ts';
import { ACLED_COLUMNS } from './acled.ts';
import { acledRow, type ExportContext } from './acledExport.ts';
import { type ExportClaim, type ExportPage, openPages } from './read.ts';
import { UCDP_COLUMNS } from './ucdp.ts';
import { ucdpRow } from './ucdpExport.ts';

export const EXPORT_FORMATS = {
  acled: { contentType: 'text/csv; charset=utf-8', extension: 'acled.csv' },
  ucdp: { contentType: 'text/csv; charset=utf-8', extension: 'ucdp.csv' },
  geojson: { contentType: 'application/geo+json', extension: 'geojson' },
  jsonl: { contentType: 'application/x-ndjson', extension: 'jsonl' },
} as const;
export type StreamFormat = keyof typeof EXPORT_FORMATS;
export const STREAM_FORMATS = Object.keys(EXPORT_FORMATS) as StreamFormat[];

export type ExportOptions = {
  /** The signed head the export was taken at (written into GeoJSON as a foreign member). */
  head?: TreeHead;
  /** Called after each page with the number of incidents written so far. */
  onProgress?: (written: number) => void;
};

export type OpenedExport = { stream: Readable; contentType: string; filename: string };

async function context(db: Kysely<Database>): Promise<ExportContext> {
  const [actors, places] = await Promise.all([
    db.selectFrom('actors').select(['id', 'name', 'kind', 'party_id']).execute(),
    db.selectFrom('places').select(['id', 'name']).execute(),
  ]);
  return {
    actors: new Map(actors.map((a) => [a.id, { name: a.name, kind: a.kind, party_id: a.party_id }])),
    places: new Map(places.map((p) => [p.id, p.name])),
  };
}

function presentClaim(claim: ExportClaim) {
  const { span_start, span_end, ...rest } = claim;
  return { ...camelize(rest), span: span_start === null ? null : { start: span_start, end: span_end } };
}

function feature(incident: IncidentRow, claims: readonly ExportClaim[], ctx: ExportContext) {
  const { place, ...properties } = presentIncident(incident);
  return {
    type: 'Feature',
    id: incident.id,
    // GeoJSON is [longitude, latitude]; an incident known only by its place name has no geometry.
    geometry:
      incident.lat !== null && incident.lon !== null
        ? { type: 'Point', coordinates: [incident.lon, incident.lat] }
        : null,
    properties: {
      ...properties,
      place: {
        id: place.id,
        geoPrecision: place.geoPrecision,
        country: place.country,
        admin1: place.admin1,
        admin2: place.admin2,
      },
      actorName: incident.actor_id ? (ctx.actors.get(incident.actor_id)?.name ?? null) : null,
      targetName: incident.target_id ? (ctx.actors.get(incident.target_id)?.name ?? null) : null,
      sources: [...new Set(claims.map((c) => c.source?.name ?? 'withheld'))],
    },
  };
}

async function* serialise(
  format: StreamFormat,
  pages: AsyncGenerator<ExportPage>,
  ctx: ExportContext,
  options: ExportOptions,
): AsyncGenerator<string> {
  let written = 0;
  if (format === 'geojson') {
    const head = options.head ? `,"ledger":${JSON.stringify(options.head)}` : '';
    yield `{"type":"FeatureCollection","exportedAt":${JSON.stringify(new Date().toISOString())}${head},"features":[\n`;
  }
  for await (const page of pages) {
    const claimsOf = (incident: IncidentRow) => page.claims.get(incident.id) ?? [];
    if (format === 'acled' || format === 'ucdp') {
      const columns = format === 'acled' ? [...ACLED_COLUMNS] : [...UCDP_COLUMNS];
      const rows = page.incidents.map((i) =>
        format === 'acled' ? acledRow(i, claimsOf(i), ctx) : ucdpRow(i, claimsOf(i), ctx),
      );
      // The first page writes the header even when empty, so an empty export is still a valid file.
      yield stringify(rows, { header: written === 0, columns });
    } else if (format === 'geojson') {
      const features = page.incidents.map((i) => JSON.stringify(feature(i, claimsOf(i), ctx)));
      if (features.length > 0) yield `${written === 0 ? '' : ',\n'}${features.join(',\n')}`;
    } else {
      yield page.incidents
        .map((i) => `${JSON.stringify({ ...presentIncident(i), claims: claimsOf(i).map(presentClaim) })}\n`)
        .join('');
    }
    written += page.incidents.length;
    options.onProgress?.(written);
  }
  if (format === 'geojson') yield '\n]}\n';
}

/**
 * Opens an export of what `viewer` may see of the view `filter` describes (the filters of
 * GET /incidents; its limit and cursor are ignored: an export has every page). Bad filters
 * throw here, before anything is streamed.
 */
export async function exportStream(
  db: Kysely<Database>,
  viewer: Viewer,
  filter: Record<string, unknown>,
  format: StreamFormat,
  options: ExportOptions = {},
): Promise<OpenedExport> {
  const pages = await openPages(db, viewer, filter);
  const ctx = await context(db);
  const day = new Date().toISOString().slice(0, 10);
  return {
    stream: Readable.from(serialise(format, pages, ctx, options), { objectMode: false }),
    contentType: EXPORT_FORMATS[format].contentType,
    filename: `truce-${day}.${EXPORT_FORMATS[format].extension}`,
  };
}
