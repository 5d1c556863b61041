/**
 * Country names and ISO 3166 codes for the dataset columns (ACLED `country`/`iso`, UCDP `country`),
 * from the ICU data Node ships with, so no country table is typed in by hand.
 */

const NAMES = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * ICU maps a retired or regional numeric code to the same region as the current one (172, the CIS,
 * to RU; 200, Czechoslovakia, to CZ); these are the current ISO 3166-1 numeric codes of those regions.
 */
const CURRENT_NUMERIC: Readonly<Record<string, string>> = {
  CZ: '203',
  CW: '531',
  DE: '276',
  ET: '231',
  FM: '583',
  FR: '250',
  JE: '832',
  RS: '688',
  RU: '643',
  SA: '682',
  SD: '729',
  YE: '887',
};

/** Names datasets use that ICU spells differently. */
const ALIASES: Readonly<Record<string, string>> = {
  'democratic republic of congo': 'CD',
  'democratic republic of the congo': 'CD',
  'dr congo': 'CD',
  'republic of congo': 'CG',
  turkey: 'TR',
  'ivory coast': 'CI',
  'cote d ivoire': 'CI',
  palestine: 'PS',
  'united states': 'US',
  'united states of america': 'US',
  'united kingdom': 'GB',
  russia: 'RU',
  'north korea': 'KP',
  'south korea': 'KR',
  'myanmar burma': 'MM',
  burma: 'MM',
  'czech republic': 'CZ',
  eswatini: 'SZ',
  swaziland: 'SZ',
  'cabo verde': 'CV',
  'cape verde': 'CV',
  'east timor': 'TL',
  'timor leste': 'TL',
  'bosnia and herzegovina': 'BA',
  'north macedonia': 'MK',
  macedonia: 'MK',
  vietnam: 'VN',
  laos: 'LA',
  syria: 'SY',
  iran: 'IR',
  'hong kong': 'HK',
  macau: 'MO',
  'saint vincent and the grenadines': 'VC',
  'saint kitts and nevis': 'KN',
  'antigua and barbuda': 'AG',
  'sao tome and principe': 'ST',
  'trinidad and tobago': 'TT',
  'turks and caicos islands': 'TC',
  'central african republic': 'CF',
  'south sudan': 'SS',
};

function key(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

type Tables = {
  byName: Map<string, string>;
  numericOf: Map<string, string>;
  alphaOfNumeric: Map<string, string>;
};
let tables: Tables | null = null;

function load(): Tables {
  if (tables) return tables;
  const byName = new Map<string, string>();
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = NAMES.of(code);
      if (name && name !== code) byName.set(key(name), code);
    }
  }
  for (const [name, code] of Object.entries(ALIASES)) byName.set(key(name), code);
  const numericOf = new Map<string, string>();
  const alphaOfNumeric = new Map<string, string>();
  for (let n = 1; n < 1000; n++) {
    const numeric = String(n).padStart(3, '0');
    const region = new Intl.Locale(`und-${numeric}`).region;
    if (!region || !/^[A-Z]{2}$/.test(region)) continue;
    alphaOfNumeric.set(numeric, region);
    if (!numericOf.has(region)) numericOf.set(region, numeric);
  }
  for (const [alpha, numeric] of Object.entries(CURRENT_NUMERIC)) numericOf.set(alpha, numeric);
  tables = { byName, numericOf, alphaOfNumeric };
  return tables;
}

/** ISO alpha-2 of a country name ("Pakistan" → PK; "DR Congo (Zaire)" → CD), or null. */
export function countryCode(name: string): string | null {
  const t = load();
  const exact = t.byName.get(key(name));
  if (exact) return exact;
  // UCDP adds former names in brackets: "Yemen (North Yemen)", "Russia (Soviet Union)".
  const bare = name.replace(/\s*\(.*\)\s*$/, '');
  return bare !== name ? (t.byName.get(key(bare)) ?? null) : null;
}

/** ISO alpha-2 of an ISO 3166-1 numeric code ("586" or "586.0" → PK), or null. */
export function countryOfNumeric(numeric: string): string | null {
  const n = Number(numeric);
  if (!Number.isInteger(n) || n <= 0 || n >= 1000) return null;
  return load().alphaOfNumeric.get(String(n).padStart(3, '0')) ?? null;
}

/** ISO 3166-1 numeric code of an alpha-2 code, as ACLED writes it (no leading zeros), or ''. */
export function numericOf(alpha2: string): string {
  const numeric = load().numericOf.get(alpha2);
  return numeric ? String(Number(numeric)) : '';
}

/** English name of an alpha-2 code, or the code itself. */
export function countryName(alpha2: string): string {
  try {
    return NAMES.of(alpha2) ?? alpha2;
  } catch {
    return alpha2;
  }
}
