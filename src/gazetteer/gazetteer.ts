/** Loads the shipped gazetteer, validates it, and answers id, name and nearest-place questions over it. */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TruceError } from '../domain/errors.ts';
import { haversineKm } from './geo.ts';
import { type Place, type PlaceKind, PlaceSchema } from './place.ts';

export { haversineKm } from './geo.ts';
export type { Place, PlaceKind } from './place.ts';

export const DEFAULT_PLACES_PATH = fileURLToPath(
  new URL('../../data/gazetteer/places.json', import.meta.url),
);

export interface NearestOptions {
  /** Only places of these kinds are candidates. */
  kinds?: readonly PlaceKind[];
  /** Ignore candidates farther than this. */
  maxKm?: number;
}

export interface NearestResult {
  place: Place;
  distanceKm: number;
}

export interface Gazetteer {
  byId(id: string): Place | undefined;
  all(): readonly Place[];
  /** Places whose name, alias or native name matches, ignoring case, diacritics, spacing and punctuation. */
  lookup(name: string): Place[];
  nearest(lat: number, lon: number, options?: NearestOptions): NearestResult | undefined;
}

// Arabic-script letters that Dari, Pashto and Urdu write differently for the same sound; a
// name typed in one orthography must find a place stored in another.
const ARABIC_UNIFY: Readonly<Record<string, string>> = {
  '\u064A': '\u06CC', // ي Arabic yeh -> ی Farsi yeh
  '\u0649': '\u06CC', // ى alef maksura
  '\u06D2': '\u06CC', // ے Urdu yeh barree
  '\u06CD': '\u06CC', // ۍ Pashto yeh with tail
  '\u06D0': '\u06CC', // ې Pashto/Uyghur e
  '\u0643': '\u06A9', // ك Arabic kaf -> ک keheh
  '\u0629': '\u0647', // ة teh marbuta -> ه
  '\u06C3': '\u0647', // ۃ Urdu teh marbuta goal
  '\u06C1': '\u0647', // ہ Urdu heh goal
  '\u06D5': '\u0647', // ە ae (what ۀ leaves once its hamza is stripped)
  '\u0671': '\u0627', // ٱ alef wasla
};

/**
 * The comparison key for a name. Latin: lower case, no diacritics, no spaces or punctuation
 * ("Spin-Boldak" = "spin boldak"). Arabic script: no tatweel, no harakat, no joiners or
 * direction marks, and the letter variants above unified.
 */
export function normalizeName(input: string): string {
  const decomposed = input.normalize('NFKD').replace(/\p{M}/gu, '');
  let out = '';
  for (const ch of decomposed.toLowerCase()) {
    const mapped = ARABIC_UNIFY[ch] ?? ch;
    if (/[\p{L}\p{N}]/u.test(mapped) && mapped !== '\u0640') out += mapped;
  }
  return out;
}

function namesOf(place: Place): string[] {
  const native = [place.names.fa, place.names.ps, place.names.ur].filter((n): n is string => n !== undefined);
  return [place.name, ...place.aliases, ...native];
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = 'places';
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`;
  return out;
}

/** Validates raw JSON into places, naming the index and field of the first bad value. */
export function parsePlaces(data: unknown, label = 'gazetteer'): Place[] {
  if (!Array.isArray(data)) {
    throw new TruceError('invalid_input', `${label}: expected an array of places`, { field: 'places' });
  }
  const places: Place[] = [];
  data.forEach((raw, index) => {
    const result = PlaceSchema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = formatPath([index, ...(issue?.path ?? [])]);
      throw new TruceError('invalid_input', `${label}: ${field}: ${issue?.message ?? 'invalid place'}`, {
        field,
        details: result.error.issues,
      });
    }
    places.push(result.data);
  });
  const seen = new Map<string, number>();
  places.forEach((place, index) => {
    const first = seen.get(place.id);
    if (first !== undefined) {
      const field = `places[${index}].id`;
      throw new TruceError(
        'conflict',
        `${label}: ${field}: duplicate id ${place.id} (first at places[${first}])`,
        {
          field,
        },
      );
    }
    seen.set(place.id, index);
  });
  places.forEach((place, index) => {
    if (place.counterpart !== undefined && !seen.has(place.counterpart)) {
      const field = `places[${index}].counterpart`;
      throw new TruceError('invalid_input', `${label}: ${field}: unknown place id ${place.counterpart}`, {
        field,
      });
    }
  });
  return places;
}

export function createGazetteer(places: readonly Place[]): Gazetteer {
  const frozen: readonly Place[] = Object.freeze([...places]);
  const byId = new Map<string, Place>();
  const byName = new Map<string, Place[]>();
  for (const place of frozen) {
    byId.set(place.id, place);
    for (const name of namesOf(place)) {
      const key = normalizeName(name);
      if (key === '') continue;
      const bucket = byName.get(key);
      if (bucket === undefined) byName.set(key, [place]);
      else if (!bucket.includes(place)) bucket.push(place);
    }
  }

  return {
    byId: (id) => byId.get(id),
    all: () => frozen,
    lookup(name) {
      const key = normalizeName(name);
      return key === '' ? [] : [...(byName.get(key) ?? [])];
    },
    nearest(lat, lon, options = {}) {
      const kinds = options.kinds === undefined ? undefined : new Set<PlaceKind>(options.kinds);
      const maxKm = options.maxKm ?? Number.POSITIVE_INFINITY;
      let best: NearestResult | undefined;
      for (const place of frozen) {
        if (kinds !== undefined && !kinds.has(place.kind)) continue;
        const distanceKm = haversineKm(lat, lon, place.lat, place.lon);
        if (distanceKm > maxKm) continue;
        // Ties (a district drawn at its headquarters town) go to the more precise place.
        if (
          best === undefined ||
          distanceKm < best.distanceKm ||
          (distanceKm === best.distanceKm && place.geoPrecision < best.place.geoPrecision)
        ) {
          best = { place, distanceKm };
        }
      }
      return best;
    },
  };
}

export function loadGazetteer(path: string = DEFAULT_PLACES_PATH): Gazetteer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TruceError('not_found', `gazetteer file not readable: ${path}`, { details: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TruceError('invalid_input', `gazetteer file is not JSON: ${path}`, { details: error });
  }
  return createGazetteer(parsePlaces(data, path));
}
