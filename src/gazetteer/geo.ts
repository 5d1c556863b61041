/** Small spherical and planar geometry helpers for points, ADM1 polygons and their outer outline. */

import { z } from 'zod';

const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEGREE = (Math.PI / 180) * EARTH_RADIUS_KM;

/** [lon, lat], GeoJSON order. */
export type Position = readonly [number, number];
/** First ring is the outer boundary, the rest are holes. */
export type Polygon = readonly (readonly Position[])[];

export interface AdminArea {
  name: string;
  iso: string;
  polygons: readonly Polygon[];
}

/** Great-circle distance; accurate to well under a kilometre at the scale of a province. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

function pointInRing(lon: number, lat: number, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (a === undefined || b === undefined) continue;
    const [x1, y1] = a;
    const [x2, y2] = b;
    if (y1 > lat !== y2 > lat && lon < x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
  }
  return inside;
}

export function pointInPolygon(lon: number, lat: number, polygon: Polygon): boolean {
  const [outer, ...holes] = polygon;
  if (outer === undefined || !pointInRing(lon, lat, outer)) return false;
  return !holes.some((hole) => pointInRing(lon, lat, hole));
}

export function pointInArea(lon: number, lat: number, area: AdminArea): boolean {
  return area.polygons.some((polygon) => pointInPolygon(lon, lat, polygon));
}

/**
 * Distance from a point to a segment, in an equirectangular projection centred on the point:
 * good to a few metres over the tens of kilometres these checks care about.
 */
export function distanceToSegmentKm(lat: number, lon: number, a: Position, b: Position): number {
  const k = Math.cos((lat * Math.PI) / 180);
  const ax = (a[0] - lon) * k * KM_PER_DEGREE;
  const ay = (a[1] - lat) * KM_PER_DEGREE;
  const bx = (b[0] - lon) * k * KM_PER_DEGREE;
  const by = (b[1] - lat) * KM_PER_DEGREE;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

export type Segment = readonly [Position, Position];

export function segmentsOf(area: AdminArea): Segment[] {
  const segments: Segment[] = [];
  for (const polygon of area.polygons) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i];
        const b = ring[i + 1];
        if (a !== undefined && b !== undefined) segments.push([a, b]);
      }
    }
  }
  return segments;
}

export function distanceToSegmentsKm(lat: number, lon: number, segments: readonly Segment[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (const [a, b] of segments) best = Math.min(best, distanceToSegmentKm(lat, lon, a, b));
  return best;
}

/** 0 inside the area, else the distance to its boundary: tolerant of simplified outlines. */
export function distanceToAreaKm(lat: number, lon: number, area: AdminArea): number {
  if (pointInArea(lon, lat, area)) return 0;
  return distanceToSegmentsKm(lat, lon, segmentsOf(area));
}

/**
 * Edges of the ADM1 polygons that face outside the country. Simplified ADM1 files do not share
 * vertices exactly between neighbours, so an edge is classified by probing a point a little to
 * each side of its midpoint rather than by matching edges. The 1 km probe steps over the slivers
 * between neighbouring provinces (up to a few hundred metres wide in the AFG file).
 */
export function outerSegments(areas: readonly AdminArea[], probeKm = 1): Segment[] {
  const inside = (lon: number, lat: number) => areas.some((area) => pointInArea(lon, lat, area));
  const outer: Segment[] = [];
  for (const area of areas) {
    for (const segment of segmentsOf(area)) {
      const [a, b] = segment;
      const midLon = (a[0] + b[0]) / 2;
      const midLat = (a[1] + b[1]) / 2;
      const k = Math.cos((midLat * Math.PI) / 180);
      const dxKm = (b[0] - a[0]) * k * KM_PER_DEGREE;
      const dyKm = (b[1] - a[1]) * KM_PER_DEGREE;
      const len = Math.hypot(dxKm, dyKm);
      if (len === 0) continue;
      // Unit normal in km, turned back into degrees for the probe.
      const nLon = (-dyKm / len) * (probeKm / (k * KM_PER_DEGREE));
      const nLat = (dxKm / len) * (probeKm / KM_PER_DEGREE);
      if (!inside(midLon + nLon, midLat + nLat) || !inside(midLon - nLon, midLat - nLat)) outer.push(segment);
    }
  }
  return outer;
}

/** Area-weighted planar centroid of the outer rings of some areas; fine at province and country scale. */
export function centroidOf(areas: readonly AdminArea[]): { lat: number; lon: number } {
  let total = 0;
  let sumLon = 0;
  let sumLat = 0;
  for (const area of areas) {
    for (const polygon of area.polygons) {
      const ring = polygon[0];
      if (ring === undefined) continue;
      let a2 = 0;
      let cx = 0;
      let cy = 0;
      for (let i = 0; i + 1 < ring.length; i++) {
        const p = ring[i];
        const q = ring[i + 1];
        if (p === undefined || q === undefined) continue;
        const cross = p[0] * q[1] - q[0] * p[1];
        a2 += cross;
        cx += (p[0] + q[0]) * cross;
        cy += (p[1] + q[1]) * cross;
      }
      if (a2 === 0) continue;
      // cx / (3 * a2) is the ring centroid; weight it by its area |a2| / 2.
      const weight = Math.abs(a2) / 2;
      total += weight;
      sumLon += (cx / (3 * a2)) * weight;
      sumLat += (cy / (3 * a2)) * weight;
    }
  }
  if (total === 0) throw new Error('no polygon to take a centroid of');
  return { lat: sumLat / total, lon: sumLon / total };
}

export function boundingBox(areas: readonly AdminArea[]): {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
} {
  const box = { minLat: 90, maxLat: -90, minLon: 180, maxLon: -180 };
  for (const area of areas) {
    for (const polygon of area.polygons) {
      for (const ring of polygon) {
        for (const [lon, lat] of ring) {
          box.minLat = Math.min(box.minLat, lat);
          box.maxLat = Math.max(box.maxLat, lat);
          box.minLon = Math.min(box.minLon, lon);
          box.maxLon = Math.max(box.maxLon, lon);
        }
      }
    }
  }
  return box;
}

const PositionSchema = z.tuple([z.number(), z.number()]).rest(z.number());
const RingSchema = z.array(PositionSchema);
const GeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(RingSchema) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(RingSchema)) }),
]);
const Adm1FileSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      properties: z.object({ shapeName: z.string(), shapeISO: z.string() }),
      geometry: GeometrySchema,
    }),
  ),
});

/** Reads a geoBoundaries ADM1 FeatureCollection into named areas. */
export function parseAdm1(geojson: unknown): AdminArea[] {
  const file = Adm1FileSchema.parse(geojson);
  const toRing = (ring: number[][]): Position[] => ring.map((p): Position => [p[0] ?? 0, p[1] ?? 0]);
  return file.features.map((feature) => {
    const polygons: Polygon[] =
      feature.geometry.type === 'Polygon'
        ? [feature.geometry.coordinates.map(toRing)]
        : feature.geometry.coordinates.map((polygon) => polygon.map(toRing));
    return { name: feature.properties.shapeName, iso: feature.properties.shapeISO, polygons };
  });
}
