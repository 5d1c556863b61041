/**
 * Finds gazetteer places named in a sentence (English names, aliases, Dari/Pashto/Urdu spellings)
 * and chooses among places that share a name.
 *
 * Rules: the longest name wins ("Khyber Pakhtunkhwa" over "Khyber"); a name shared by several
 * places goes to a crossing only for a crossing event or when "crossing/border/gate" follows it,
 * otherwise to the most precise place (town over district over province: "Kabul" is the
 * district, not the province); country names and the lexicon's metonyms ("Kabul denies…") count
 * as places only after a locative word, and not after "blamed on / pressure on" (the government).
 * A district contains its towns, posts and crossings. Short or common-word names are ignored (IGNORED below).
 */
import { type Gazetteer, normalizeName, type Place } from '../gazetteer/gazetteer.ts';

export type PlaceMention = { places: Place[]; start: number; end: number; text: string };

// Gazetteer names that are also ordinary English (or tribal) words in this press.
const IGNORED = new Set(
  [
    'center',
    'dand',
    'kang',
    'reg',
    'kama',
    'nika',
    'dila',
    'obe',
    'shamal',
    'chal',
    'farsi',
    'darah',
    'daman',
    'zari',
    'argo',
    'archi',
    'andar',
    'mizan',
    'naish',
    'tank',
    'kakar',
    'jaji',
    'tani',
    'baak',
    'gomal',
    'kiti',
    'nili',
    'nawa',
    'wama',
    'omna',
    'giro',
    'gelan',
    'bangi',
    'khan',
    'kushk',
    'ragh',
    'jurm',
    'panjab',
    'shinwari',
    'spera',
    'shahrak',
    'sayyad',
    'waras',
    'anar dara',
    'puli khumri',
  ].map(normalizeName),
);

const MAX_TOKENS = 5;
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}.'’]*(?:[-–][\p{L}\p{N}][\p{L}\p{N}.'’]*)*/gu;
const ARABIC = /[\u0600-\u06ff]/;
const LOCATIVE_BEFORE =
  /\b(?:in|inside|into|at|near|on|across|outside|over|of|from|towards?|targeted|targeting|struck|hit|bombed|shelled|entered|around|within|throughout)\s+(?:the\s+)?$/i;
const LOCATIVE_AFTER =
  /^(?:'s|’s)?\s+(?:district|province|city|town|outskirts|suburbs?|neighbou?rhood|airport|area|valley|region|border|crossing|gate|terminal|village)/i;
const GOVERNMENT_ON =
  /\b(?:blamed?|blames|pressure|pressed|called|calls|relied|relies|depends?|depended|imposed|demands?|insisted|focus(?:ed)?|sanctions|war)\s+on\s+(?:the\s+)?$/i;
const CROSSING_CUE = /^\s+(?:border\s+)?(?:crossing|gate|terminal|border\s+point|point)/i;

export type PlaceIndex = { gazetteer: Gazetteer; byKey: Map<string, Place[]>; metonyms: Set<string> };

export function buildPlaceIndex(gazetteer: Gazetteer, metonyms: readonly string[]): PlaceIndex {
  const byKey = new Map<string, Place[]>();
  for (const place of gazetteer.all()) {
    const names = [place.name, ...place.aliases, place.names.fa, place.names.ps, place.names.ur];
    for (const name of names) {
      if (name === undefined) continue;
      const key = normalizeName(name);
      // Acronym aliases (KP, AJK) would match words; only names of 4+ letters, or Arabic script, are read.
      if (key.length < 4 && !ARABIC.test(key)) continue;
      if (IGNORED.has(key)) continue;
      const bucket = byKey.get(key);
      if (!bucket) byKey.set(key, [place]);
      else if (!bucket.includes(place)) bucket.push(place);
    }
  }
  return { gazetteer, byKey, metonyms: new Set(metonyms.map(normalizeName)) };
}

function startsName(token: string): boolean {
  const c = token[0]!;
  return ARABIC.test(c) || (c >= 'A' && c <= 'Z');
}

/** Every place name in `text`, longest match first, with the metonym and country rules applied. */
export function findPlaces(text: string, index: PlaceIndex): PlaceMention[] {
  const tokens: { start: number; end: number }[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    let end = m.index + m[0].length;
    // "Kabul's" and "Pakistan’s" name Kabul and Pakistan.
    const poss = /['’]s$/.exec(m[0]);
    if (poss) end -= 2;
    while (end > m.index && (text[end - 1] === '.' || text[end - 1] === "'" || text[end - 1] === '’')) end--;
    if (end > m.index) tokens.push({ start: m.index, end });
  }
  const out: PlaceMention[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i]!;
    if (!startsName(text.slice(first.start, first.end))) continue;
    let found: PlaceMention | null = null;
    let used = 0;
    for (let n = Math.min(MAX_TOKENS, tokens.length - i); n >= 1; n--) {
      const last = tokens[i + n - 1]!;
      const key = normalizeName(text.slice(first.start, last.end));
      const places = index.byKey.get(key);
      if (!places) continue;
      found = { places, start: first.start, end: last.end, text: text.slice(first.start, last.end) };
      used = n;
      break;
    }
    if (!found) continue;
    const key = normalizeName(found.text);
    const needsCue = index.metonyms.has(key) || found.places.every((p) => p.kind === 'country');
    if (needsCue) {
      const before = text.slice(Math.max(0, found.start - 30), found.start);
      const after = text.slice(found.end, found.end + 30);
      if (!LOCATIVE_BEFORE.test(before) && !LOCATIVE_AFTER.test(after)) continue;
      // "blamed on Islamabad", "pressure on Kabul": the government, not the place.
      if (GOVERNMENT_ON.test(before)) continue;
    }
    out.push(found);
    i += used - 1;
  }
  return out;
}

const KIND_RANK: Record<string, number> = {
  border_post: 0,
  town: 1,
  crossing: 2,
  district: 3,
  province: 4,
  country: 5,
};

/** One place for a mention: crossings for crossing events (or "… crossing"), else the most precise. */
export function choosePlace(mention: PlaceMention, text: string, crossingEvent: boolean): Place {
  const cue = CROSSING_CUE.test(text.slice(mention.end, mention.end + 40));
  const crossings = mention.places.filter((p) => p.kind === 'crossing');
  if (crossings.length > 0 && (crossingEvent || cue || crossings.length === mention.places.length))
    return crossings[0]!;
  const others = mention.places.filter((p) => p.kind !== 'crossing');
  return [...others].sort((a, b) => (KIND_RANK[a.kind] ?? 9) - (KIND_RANK[b.kind] ?? 9))[0]!;
}

/** True when `outer` (a province or country) contains `inner`. */
export function contains(outer: Place, inner: Place): boolean {
  if (outer.id === inner.id) return false;
  if (outer.kind === 'country') return inner.country === outer.country && inner.kind !== 'country';
  if (outer.kind === 'province') return inner.admin1 === outer.admin1 && inner.kind !== 'province';
  if (outer.kind === 'district')
    return (
      inner.admin2 === outer.admin2 &&
      inner.admin1 === outer.admin1 &&
      (inner.kind === 'town' || inner.kind === 'border_post' || inner.kind === 'crossing')
    );
  return false;
}
