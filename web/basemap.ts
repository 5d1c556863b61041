/**
 * Builds the console's offline basemap at build time, from shipped data only, and serves it as the
 * virtual module `virtual:truce-basemap` (nothing is fetched at run time). Nothing here names a
 * country: the gazetteer (data/gazetteer/places.json) decides the region of interest and which
 * countries are the parties', and their shared boundary is drawn as "the border".
 *
 * - land: every country at 1:110m, and at 1:50m clipped to the region (fill only, so clip edges never show);
 * - lines: boundaries between countries, 1:50m inside the region and 1:110m elsewhere;
 * - border: the boundary shared by the parties' countries, at 1:10m;
 * - provinces: any `*-adm1.geojson` outlines shipped beside the gazetteer;
 * - labels: a point inside each country's largest piece in the region.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type {
  Feature,
  FeatureCollection,
  Geometry,
  MultiLineString,
  MultiPolygon,
  Polygon,
  Position,
} from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
const MODULE_ID = 'virtual:truce-basemap';
const RESOLVED_ID = `\0${MODULE_ID}`;
/** Degrees of context around the gazetteer's places, drawn at 1:50m. */
const MARGIN = { lon: 9, lat: 7 };
/** Vertices closer than this (degrees) to the last one kept are dropped: ~1–2 km, below what the zooms show. */
const THIN = { land: 0.02, provinces: 0.008, lines: 0.015 };

type Box = [number, number, number, number];
type Countries = Topology<{ countries: GeometryCollection<{ name: string }> }>;

const round = (digits: number) => {
  const f = 10 ** digits;
  return (coords: unknown): unknown =>
    typeof coords === 'number'
      ? Math.round(coords * f) / f
      : Array.isArray(coords)
        ? coords.map(round(digits))
        : coords;
};

function bboxOf(coords: unknown, box: Box = [180, 90, -180, -90]): Box {
  if (Array.isArray(coords) && typeof coords[0] === 'number') {
    const [x, y] = coords as [number, number];
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
  } else if (Array.isArray(coords)) for (const c of coords) bboxOf(c, box);
  return box;
}
const intersects = (a: Box, b: Box) => a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];

/** Sutherland–Hodgman against each side of a rectangle; enough for filling land inside a view. */
function clipRing(ring: Position[], box: Box): Position[] {
  const edges: [(p: Position) => boolean, (a: Position, b: Position) => Position][] = [
    [(p) => p[0]! >= box[0], (a, b) => at(a, b, 0, box[0])],
    [(p) => p[0]! <= box[2], (a, b) => at(a, b, 0, box[2])],
    [(p) => p[1]! >= box[1], (a, b) => at(a, b, 1, box[1])],
    [(p) => p[1]! <= box[3], (a, b) => at(a, b, 1, box[3])],
  ];
  let out = ring.slice(0, -1);
  for (const [inside, cross] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const current = input[i]!;
      const previous = input[(i + input.length - 1) % input.length]!;
      if (inside(current)) {
        if (!inside(previous)) out.push(cross(previous, current));
        out.push(current);
      } else if (inside(previous)) out.push(cross(previous, current));
    }
    if (out.length === 0) return [];
  }
  return out.length >= 3 ? [...out, out[0]!] : [];
}
function at(a: Position, b: Position, axis: 0 | 1, value: number): Position {
  const t = (value - a[axis]!) / (b[axis]! - a[axis]!);
  return axis === 0 ? [value, a[1]! + t * (b[1]! - a[1]!)] : [a[0]! + t * (b[0]! - a[0]!), value];
}

/** Drops vertices within `tolerance` of the previous kept one; keeps every ring closed and at least a triangle. */
function thin(ring: Position[], tolerance: number): Position[] {
  if (ring.length <= 8) return ring;
  const out: Position[] = [ring[0]!];
  for (let i = 1; i < ring.length - 1; i++) {
    const last = out[out.length - 1]!;
    if (Math.abs(ring[i]![0]! - last[0]!) >= tolerance || Math.abs(ring[i]![1]! - last[1]!) >= tolerance)
      out.push(ring[i]!);
  }
  out.push(ring[ring.length - 1]!);
  return out.length >= 4 ? out : ring;
}
function thinDeep(coords: unknown, tolerance: number): unknown {
  if (!Array.isArray(coords) || coords.length === 0) return coords;
  if (typeof (coords[0] as Position)[0] === 'number') return thin(coords as Position[], tolerance);
  return coords.map((c) => thinDeep(c, tolerance));
}

function polygonsOf(geometry: Geometry): Position[][][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  return [];
}

function clipPolygons(geometry: Geometry, box: Box): Position[][][] {
  return polygonsOf(geometry)
    .map((polygon) => polygon.map((ring) => clipRing(ring, box)).filter((ring) => ring.length))
    .filter((polygon) => polygon.length && polygon[0]!.length);
}

function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++)
    sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum / 2;
}

/** The area centroid of the outer ring of the largest polygon: where a country's name goes. */
function labelPoint(polygons: Position[][][]): [number, number] | null {
  let best: Position[] | null = null;
  for (const polygon of polygons)
    if (!best || Math.abs(ringArea(polygon[0]!)) > Math.abs(ringArea(best))) best = polygon[0]!;
  if (!best) return null;
  const area = ringArea(best);
  if (Math.abs(area) < 4) return null; // too small a piece in view to carry a name
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < best.length; i++) {
    const cross = best[i]![0]! * best[i + 1]![1]! - best[i + 1]![0]! * best[i]![1]!;
    cx += (best[i]![0]! + best[i + 1]![0]!) * cross;
    cy += (best[i]![1]! + best[i + 1]![1]!) * cross;
  }
  return [cx / (6 * area), cy / (6 * area)];
}

function contains(polygons: Position[][][], [x, y]: [number, number]): boolean {
  const inRing = (ring: Position[]) => {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  return polygons.some((polygon) => inRing(polygon[0]!) && !polygon.slice(1).some(inRing));
}

function loadTopology(file: string): Countries {
  return JSON.parse(readFileSync(require.resolve(`world-atlas/${file}`), 'utf8'));
}

function lines(
  coordinates: Position[][],
  keep: (box: Box) => boolean,
  digits: number,
  tolerance = 0,
): Position[][] {
  return coordinates
    .filter((line) => keep(bboxOf(line)))
    .map((line) => round(digits)(tolerance ? thin(line, tolerance) : line) as Position[]);
}

export type Basemap = {
  region: Box;
  /** The gazetteer's own extent: what the map fits on first opening. */
  extent: Box;
  center: [number, number];
  land: FeatureCollection;
  partyLand: FeatureCollection;
  lines: FeatureCollection<MultiLineString>;
  border: FeatureCollection<MultiLineString>;
  provinces: FeatureCollection;
  labels: { name: string; lon: number; lat: number; party: boolean }[];
};

export function buildBasemap(gazetteerDir: string): Basemap {
  const places = JSON.parse(readFileSync(`${gazetteerDir}/places.json`, 'utf8')) as {
    lat: number;
    lon: number;
    country: string;
  }[];
  const extent = bboxOf(places.map((p) => [p.lon, p.lat]));
  const region: Box = [
    Math.max(-180, extent[0] - MARGIN.lon),
    Math.max(-85, extent[1] - MARGIN.lat),
    Math.min(180, extent[2] + MARGIN.lon),
    Math.min(85, extent[3] + MARGIN.lat),
  ];
  const center: [number, number] = [(extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2];

  const coarse = loadTopology('countries-110m.json');
  const medium = loadTopology('countries-50m.json');
  const fine = loadTopology('countries-10m.json');
  const mediumCountries = feature(medium, medium.objects.countries) as FeatureCollection<
    Geometry,
    { name: string }
  >;

  // The parties' countries: for each country code in the gazetteer, the atlas country holding most of its
  // places (a vote, so a crossing a few metres off in the 1:50m outline does not make a neighbour a party).
  const votes = new Map<string, Map<string, number>>();
  for (const country of mediumCountries.features) {
    if (!country.geometry) continue;
    const polygons = polygonsOf(country.geometry);
    const box = bboxOf('coordinates' in country.geometry ? country.geometry.coordinates : []);
    for (const p of places) {
      if (!intersects(box, [p.lon, p.lat, p.lon, p.lat]) || !contains(polygons, [p.lon, p.lat])) continue;
      const tally = votes.get(p.country) ?? new Map<string, number>();
      tally.set(String(country.id), (tally.get(String(country.id)) ?? 0) + 1);
      votes.set(p.country, tally);
    }
  }
  const parties = new Set<string>();
  for (const tally of votes.values()) parties.add([...tally.entries()].sort((a, b) => b[1] - a[1])[0]![0]);

  // Coarse land for a wide surround only: panning far off shows where you are, not the whole world.
  const surround: Box = [region[0] - 40, region[1] - 25, region[2] + 40, region[3] + 25];
  const land: Feature[] = (feature(coarse, coarse.objects.countries) as FeatureCollection<Geometry>).features
    .filter(
      (f) =>
        f.geometry && 'coordinates' in f.geometry && intersects(bboxOf(f.geometry.coordinates), surround),
    )
    .map((f) => ({
      type: 'Feature',
      properties: {},
      geometry: { ...f.geometry, coordinates: round(2)((f.geometry as Polygon).coordinates) } as Geometry,
    }));
  const partyLand: Feature[] = [];
  const labels: Basemap['labels'] = [];
  for (const country of mediumCountries.features) {
    if (!country.geometry) continue;
    const clipped = clipPolygons(country.geometry, region);
    if (clipped.length === 0) continue;
    const party = parties.has(String(country.id));
    const coordinates = round(3)(party ? clipped : thinDeep(clipped, THIN.land)) as Position[][][];
    const geometry: MultiPolygon = { type: 'MultiPolygon', coordinates };
    (party ? partyLand : land).push({
      type: 'Feature',
      properties: { name: country.properties.name },
      geometry,
    });
    const point = labelPoint(clipped);
    if (point) labels.push({ name: country.properties.name, lon: point[0], lat: point[1], party });
  }

  const inRegion = (box: Box) => intersects(box, region);
  const between = (t: Countries) => mesh(t, t.objects.countries, (a, b) => a !== b).coordinates;
  const borderLines = mesh(
    fine,
    fine.objects.countries,
    (a, b) => a !== b && parties.has(String(a.id)) && parties.has(String(b.id)),
  ).coordinates;

  const provinces: Feature[] = [];
  for (const file of readdirSync(gazetteerDir)
    .filter((f) => f.endsWith('-adm1.geojson'))
    .sort()) {
    const outlines = JSON.parse(readFileSync(`${gazetteerDir}/${file}`, 'utf8')) as FeatureCollection<
      Polygon | MultiPolygon,
      { shapeName?: string; name?: string }
    >;
    for (const f of outlines.features)
      provinces.push({
        type: 'Feature',
        properties: { name: f.properties.shapeName ?? f.properties.name ?? '' },
        geometry: {
          ...f.geometry,
          coordinates: round(3)(thinDeep(f.geometry.coordinates, THIN.provinces)),
        } as Geometry,
      });
  }

  const multiLine = (coordinates: Position[][]): FeatureCollection<MultiLineString> => ({
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: {}, geometry: { type: 'MultiLineString', coordinates } }],
  });
  return {
    region,
    extent,
    center,
    land: { type: 'FeatureCollection', features: land },
    partyLand: { type: 'FeatureCollection', features: partyLand },
    lines: multiLine([
      ...lines(between(medium), inRegion, 3, THIN.lines),
      ...lines(between(coarse), (box) => !inRegion(box) && intersects(box, surround), 2),
    ]),
    border: multiLine(lines(borderLines, () => true, 4)),
    provinces: { type: 'FeatureCollection', features: provinces },
    labels,
  };
}

/** `import basemap from 'virtual:truce-basemap'` in the console. */
export function basemapPlugin(): Plugin {
  const gazetteerDir = fileURLToPath(new URL('../data/gazetteer', import.meta.url));
  return {
    name: 'truce-basemap',
    resolveId: (id) => (id === MODULE_ID ? RESOLVED_ID : null),
    load(id) {
      if (id !== RESOLVED_ID) return null;
      this.addWatchFile(`${gazetteerDir}/places.json`);
      return `export default ${JSON.stringify(buildBasemap(gazetteerDir))};`;
    },
  };
}
