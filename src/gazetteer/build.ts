/** Generates data/gazetteer/places.json from the shared Afghan admin data, its curation file and the curated Pakistani places and crossings. */

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { normalizeName, parsePlaces } from './gazetteer.ts';
import {
  type AdminArea,
  centroidOf,
  distanceToAreaKm,
  distanceToSegmentsKm,
  outerSegments,
  parseAdm1,
  pointInArea,
} from './geo.ts';
import { type Place, PlaceSchema } from './place.ts';

/** Simplified ADM1 outlines move boundaries by up to a few km; beyond this a district is misfiled. */
export const DISTRICT_TOLERANCE_KM = 15;
/** A crossing is a point on the border; the outline it is checked against is simplified. */
export const CROSSING_TOLERANCE_KM = 15;

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GAZETTEER_DIR = resolve(REPO_ROOT, 'data/gazetteer');
const SOURCES_MD = resolve(REPO_ROOT, 'data/SOURCES.md');

const SHARED_FILES = {
  json: 'provinces-and-districts.json',
  geojson: 'geoBoundaries-AFG-ADM1_simplified.geojson',
  license: 'LICENSE',
  citation: 'CITATION-AND-USE-geoBoundaries.txt',
} as const;

const SOURCE_SHARED_JSON = 'afg-admin-json';
const SOURCE_GEOBOUNDARIES = 'geoboundaries-afg-adm1';

// The shared file stores coordinates as strings ("32.80", "0.000000") or null for its placeholder province.
const Coordinate = z
  .union([z.string(), z.number(), z.null()])
  .transform((v) => (v === null ? Number.NaN : Number(v)));
const SharedDistrictSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  nameFa: z.string().nullable(),
  namePa: z.string().nullable(),
  latitude: Coordinate,
  longitude: Coordinate,
});
const SharedProvinceSchema = SharedDistrictSchema.extend({ districts: z.array(SharedDistrictSchema) });
const SharedFileSchema = z.array(SharedProvinceSchema);
type SharedDistrict = z.infer<typeof SharedDistrictSchema>;

const CurationSchema = z.object({
  dropProvinces: z.array(z.object({ jsonId: z.number().int(), reason: z.string() })),
  provinces: z.array(
    z.object({
      jsonId: z.number().int(),
      name: z.string().min(1),
      adm1: z.string().min(1),
      aliases: z.array(z.string().min(1)),
    }),
  ),
  districts: z.array(
    z.object({
      jsonId: z.number().int(),
      name: z.string().min(1).optional(),
      aliases: z.array(z.string().min(1)).optional(),
      moveToProvince: z.number().int().optional(),
      mergeInto: z.number().int().optional(),
      drop: z.literal(true).optional(),
      lat: z.number().optional(),
      lon: z.number().optional(),
      source: z.string().min(1).optional(),
      reason: z.string().optional(),
    }),
  ),
});
type DistrictCuration = z.infer<typeof CurationSchema>['districts'][number];

export interface BuildReport {
  places: Place[];
  dropped: { jsonId: number; name: string; province: string; reason: string }[];
  provinceCentroids: string[];
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function cleanName(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const ARABIC_SCRIPT = /[\u0600-\u06FF]/;

/** Keeps a native name only if it is in Arabic script (the shared file has Latin and placeholder values too). */
function nativeName(text: string | null): string | undefined {
  if (text === null) return undefined;
  const cleaned = cleanName(text.replace(/[\u200E\u200F\u202A-\u202E]/g, ''));
  if (!ARABIC_SCRIPT.test(cleaned) || /موجود نیست/.test(cleaned)) return undefined;
  return cleaned;
}

function nativeNames(row: SharedDistrict): Place['names'] {
  const names: Place['names'] = {};
  const fa = nativeName(row.nameFa);
  const ps = nativeName(row.namePa);
  if (fa !== undefined) names.fa = fa;
  if (ps !== undefined) names.ps = ps;
  return names;
}

/** Other spellings, without the place's own name and without duplicates that only differ in case or punctuation. */
function uniqueAliases(name: string, candidates: readonly string[]): string[] {
  const seen = new Set([normalizeName(name)]);
  const out: string[] = [];
  for (const raw of candidates) {
    const alias = cleanName(raw);
    const key = normalizeName(alias);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(alias);
  }
  return out;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

interface BuildInputs {
  shared: unknown;
  curation: unknown;
  adm1: unknown;
  curated: unknown;
}

/** Pure part of the build: inputs in, places and a report of what was dropped out. */
export function buildPlaces(inputs: BuildInputs): BuildReport {
  const shared = SharedFileSchema.parse(inputs.shared);
  const curation = CurationSchema.parse(inputs.curation);
  const areas = parseAdm1(inputs.adm1);
  const areaByName = new Map(areas.map((area) => [area.name, area]));

  const dropped: BuildReport['dropped'] = [];
  const provinceCentroids: string[] = [];
  const places: Place[] = [];

  const afCentre = centroidOf(areas);
  places.push({
    id: 'af',
    name: 'Afghanistan',
    kind: 'country',
    country: 'AF',
    admin1: null,
    admin2: null,
    lat: round6(afCentre.lat),
    lon: round6(afCentre.lon),
    geoPrecision: 3,
    aliases: ['Islamic Emirate of Afghanistan', 'Islamic Republic of Afghanistan'],
    names: { fa: 'افغانستان', ps: 'افغانستان' },
    source: SOURCE_GEOBOUNDARIES,
  });

  const droppedProvinces = new Set(curation.dropProvinces.map((d) => d.jsonId));
  const provinceCuration = new Map(curation.provinces.map((p) => [p.jsonId, p]));
  const districtCuration = new Map<number, DistrictCuration>();
  for (const entry of curation.districts) {
    if (districtCuration.has(entry.jsonId)) throw new Error(`curation lists district ${entry.jsonId} twice`);
    districtCuration.set(entry.jsonId, entry);
  }

  interface ProvinceInfo {
    name: string;
    slug: string;
    area: AdminArea;
  }
  const provinces = new Map<number, ProvinceInfo>();

  for (const row of shared) {
    if (droppedProvinces.has(row.id)) continue;
    const cur = provinceCuration.get(row.id);
    if (cur === undefined) throw new Error(`province ${row.id} (${row.name}) has no curation entry`);
    const area = areaByName.get(cur.adm1);
    if (area === undefined) throw new Error(`province ${cur.name}: no ADM1 shape named ${cur.adm1}`);
    const info = { name: cur.name, slug: slugify(cur.name), area };
    provinces.set(row.id, info);

    // The shared coordinate is kept where it lies in the province; several do not (Helmand's is in
    // Nimroz, Nimroz's in Iran), and those provinces are placed at the centroid of their outline.
    let lat = row.latitude;
    let lon = row.longitude;
    let source = SOURCE_SHARED_JSON;
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || !pointInArea(lon, lat, area)) {
      const c = centroidOf([area]);
      if (!pointInArea(c.lon, c.lat, area))
        throw new Error(`province ${cur.name}: centroid falls outside its outline`);
      lat = c.lat;
      lon = c.lon;
      source = SOURCE_GEOBOUNDARIES;
      provinceCentroids.push(cur.name);
    }
    places.push({
      id: `af-${info.slug}`,
      name: cur.name,
      kind: 'province',
      country: 'AF',
      admin1: cur.name,
      admin2: null,
      lat: round6(lat),
      lon: round6(lon),
      geoPrecision: 3,
      aliases: uniqueAliases(cur.name, [cleanName(row.name), ...cur.aliases]),
      names: nativeNames(row),
      source,
    });
  }
  for (const cur of curation.provinces) {
    if (!provinces.has(cur.jsonId))
      throw new Error(`curation names province ${cur.jsonId}, absent from the shared file`);
  }

  interface DistrictDraft {
    jsonId: number;
    provinceId: number;
    name: string;
    rawName: string;
    lat: number;
    lon: number;
    source: string;
    aliases: string[];
    names: Place['names'];
  }
  const drafts = new Map<number, DistrictDraft>();
  const merges: { from: DistrictDraft; into: number }[] = [];

  for (const row of shared) {
    if (droppedProvinces.has(row.id)) continue;
    const provinceName = provinces.get(row.id)?.name ?? String(row.id);
    for (const d of row.districts) {
      const cur = districtCuration.get(d.id);
      const rawName = cleanName(d.name);
      const draft: DistrictDraft = {
        jsonId: d.id,
        provinceId: cur?.moveToProvince ?? row.id,
        name: cur?.name ?? rawName,
        rawName,
        lat: cur?.lat ?? d.latitude,
        lon: cur?.lon ?? d.longitude,
        source: cur?.source ?? SOURCE_SHARED_JSON,
        aliases: cur?.aliases ?? [],
        names: nativeNames(d),
      };
      if (cur?.drop === true) {
        dropped.push({
          jsonId: d.id,
          name: rawName,
          province: provinceName,
          reason: cur.reason ?? 'curated drop',
        });
        continue;
      }
      if (cur?.mergeInto !== undefined) {
        merges.push({ from: draft, into: cur.mergeInto });
        continue;
      }
      // The shared file uses 0,0 for "unknown": city wards, placeholders and a few real districts.
      if (
        !Number.isFinite(draft.lat) ||
        !Number.isFinite(draft.lon) ||
        (draft.lat === 0 && draft.lon === 0)
      ) {
        dropped.push({
          jsonId: d.id,
          name: rawName,
          province: provinceName,
          reason: 'no coordinate in the source',
        });
        continue;
      }
      if (cur !== undefined && (cur.lat !== undefined || cur.lon !== undefined) && cur.source === undefined) {
        throw new Error(`curated coordinate for district ${d.id} has no source`);
      }
      drafts.set(d.id, draft);
    }
  }
  for (const { from, into } of merges) {
    const target = drafts.get(into);
    if (target === undefined)
      throw new Error(`district ${from.jsonId} merges into ${into}, which is not kept`);
    target.aliases.push(from.rawName, from.name);
    if (target.names.fa === undefined && from.names.fa !== undefined) target.names.fa = from.names.fa;
    if (target.names.ps === undefined && from.names.ps !== undefined) target.names.ps = from.names.ps;
  }

  for (const draft of drafts.values()) {
    const province = provinces.get(draft.provinceId);
    if (province === undefined)
      throw new Error(`district ${draft.jsonId} moves to unknown province ${draft.provinceId}`);
    const off = distanceToAreaKm(draft.lat, draft.lon, province.area);
    if (off > DISTRICT_TOLERANCE_KM) {
      throw new Error(
        `district ${draft.jsonId} (${draft.name}) lies ${off.toFixed(1)} km outside ${province.name}: add a curation entry`,
      );
    }
    places.push({
      id: `af-${province.slug}-${slugify(draft.name)}`,
      name: draft.name,
      kind: 'district',
      country: 'AF',
      admin1: province.name,
      admin2: draft.name,
      lat: round6(draft.lat),
      lon: round6(draft.lon),
      geoPrecision: 2,
      aliases: uniqueAliases(draft.name, [draft.rawName, ...draft.aliases]),
      names: draft.names,
      source: draft.source,
    });
  }

  if (!Array.isArray(inputs.curated)) throw new Error('curated Pakistani places: expected an array');
  inputs.curated.forEach((raw, index) => {
    const result = PlaceSchema.safeParse(raw);
    if (!result.success) {
      throw new Error(
        `pakistan-and-crossings.json[${index}]: ${result.error.issues[0]?.message ?? 'invalid place'}`,
      );
    }
    places.push(result.data);
  });

  places.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Full validation (ids unique, counterparts resolve) on the combined list.
  const validated = parsePlaces(places, 'built gazetteer');
  checkCrossings(validated, areas);
  return { places: validated, dropped, provinceCentroids };
}

/**
 * A crossing must sit on the outline and face a place in the other country. Which side it is filed
 * under follows its source (see data/SOURCES.md), not the simplified outline, which can put a
 * border town a few hundred metres on the wrong side.
 */
function checkCrossings(places: readonly Place[], areas: readonly AdminArea[]): void {
  const outline = outerSegments(areas);
  const byId = new Map(places.map((p) => [p.id, p]));
  for (const place of places) {
    if (place.kind !== 'crossing') continue;
    const off = distanceToSegmentsKm(place.lat, place.lon, outline);
    if (off > CROSSING_TOLERANCE_KM)
      throw new Error(`crossing ${place.id} lies ${off.toFixed(1)} km from the border`);
    const other = place.counterpart === undefined ? undefined : byId.get(place.counterpart);
    if (other === undefined || other.country === place.country) {
      throw new Error(`crossing ${place.id}: counterpart must be a place on the other side`);
    }
  }
}

/** Source keys are written `key` in data/SOURCES.md; every key a place uses must be documented there. */
export function undocumentedSources(places: readonly Place[], sourcesMd: string): string[] {
  const keys = new Set(places.map((p) => p.source));
  return [...keys].filter((key) => !sourcesMd.includes(`\`${key}\``)).sort();
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function main(sharedDir: string): void {
  const report = buildPlaces({
    shared: readJson(resolve(sharedDir, SHARED_FILES.json)),
    curation: readJson(resolve(GAZETTEER_DIR, 'afghanistan-curation.json')),
    adm1: readJson(resolve(sharedDir, SHARED_FILES.geojson)),
    curated: readJson(resolve(GAZETTEER_DIR, 'pakistan-and-crossings.json')),
  });
  const missing = undocumentedSources(report.places, readFileSync(SOURCES_MD, 'utf8'));
  if (missing.length > 0) throw new Error(`source keys missing from data/SOURCES.md: ${missing.join(', ')}`);

  writeFileSync(resolve(GAZETTEER_DIR, 'places.json'), `${JSON.stringify(report.places, null, 2)}\n`);
  // Licence and boundary files travel with the data derived from them. Copied by content, not
  // with copyFile, so the read-only mode of the shared originals is not carried over.
  const copies: [string, string][] = [
    [SHARED_FILES.license, 'LICENSE-afghanistan-admin'],
    [SHARED_FILES.citation, 'CITATION-AND-USE-geoBoundaries.txt'],
    [SHARED_FILES.geojson, 'afghanistan-adm1.geojson'],
  ];
  for (const [from, to] of copies) {
    const target = resolve(GAZETTEER_DIR, to);
    rmSync(target, { force: true });
    writeFileSync(target, readFileSync(resolve(sharedDir, from)));
  }

  const counts = new Map<string, number>();
  for (const p of report.places)
    counts.set(`${p.country} ${p.kind}`, (counts.get(`${p.country} ${p.kind}`) ?? 0) + 1);
  console.log(`wrote ${report.places.length} places`);
  for (const [key, n] of [...counts].sort()) console.log(`  ${key}: ${n}`);
  console.log(`provinces placed at their ADM1 centroid: ${report.provinceCentroids.join(', ') || 'none'}`);
  console.log(`dropped ${report.dropped.length} district rows:`);
  for (const d of report.dropped) console.log(`  ${d.jsonId} ${d.province}/${d.name}: ${d.reason}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sharedDir =
    process.argv[2] ?? process.env.TRUCE_SHARED_DIR ?? resolve(REPO_ROOT, '../shared/data/afghanistan-admin');
  main(sharedDir);
}
