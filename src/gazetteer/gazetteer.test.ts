/** Unit tests of the gazetteer module on small hand-made data: validation errors, name matching, nearest. */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTruceError } from '../domain/errors.ts';
import { createGazetteer, haversineKm, loadGazetteer, normalizeName, parsePlaces } from './gazetteer.ts';
import type { Place } from './place.ts';

const town = (over: Partial<Place> & Pick<Place, 'id' | 'name' | 'lat' | 'lon'>): Place => ({
  kind: 'town',
  country: 'PK',
  admin1: 'Khyber Pakhtunkhwa',
  admin2: 'Khyber',
  geoPrecision: 1,
  aliases: [],
  names: {},
  source: 'test',
  ...over,
});

const sample: Place[] = [
  // The district comes first and shares its town's point, so nearest() must break the tie.
  {
    ...town({ id: 'pk-kp-khyber', name: 'Khyber', lat: 34.10528, lon: 71.15528 }),
    kind: 'district',
    geoPrecision: 2,
  },
  town({
    id: 'pk-kp-khyber-landi-kotal',
    name: 'Landi Kotal',
    lat: 34.10528,
    lon: 71.15528,
    aliases: ['Landikotal'],
  }),
  {
    ...town({ id: 'xing-torkham', name: 'Torkham', lat: 34.11472, lon: 71.08472 }),
    kind: 'crossing',
    country: 'AF',
    admin1: 'Nangarhar',
    admin2: 'Muhmand Dara',
    aliases: ['Torkham Gate'],
    names: { ur: 'طورخم', ps: 'تورخم' },
    crossingKind: 'both',
    counterpart: 'pk-kp-khyber',
  },
  {
    ...town({ id: 'af-paktika', name: 'Paktika', lat: 32.5075, lon: 68.117908 }),
    kind: 'province',
    country: 'AF',
    admin1: 'Paktika',
    admin2: null,
    geoPrecision: 3,
    names: { fa: 'پکتیکا', ps: 'پکتیکا' },
  },
];

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('haversineKm', () => {
  it('is zero for the same point and symmetric', () => {
    expect(haversineKm(34, 71, 34, 71)).toBe(0);
    expect(haversineKm(34, 71, 33, 70)).toBeCloseTo(haversineKm(33, 70, 34, 71), 9);
  });

  it('measures one degree of latitude as about 111 km', () => {
    expect(haversineKm(30, 70, 31, 70)).toBeCloseTo(111.19, 1);
  });

  it('matches a known distance (Peshawar to Kabul, about 220 km)', () => {
    const d = haversineKm(34.01444, 71.5675, 34.5281, 69.1723);
    expect(d).toBeGreaterThan(215);
    expect(d).toBeLessThan(230);
  });
});

describe('normalizeName', () => {
  it('ignores case, diacritics, spaces and hyphens in Latin names', () => {
    expect(normalizeName('Spin-Boldak')).toBe(normalizeName('spin boldak'));
    expect(normalizeName('Chaman–Spin Boldak')).toBe(normalizeName('chaman spin-boldak'));
    expect(normalizeName('Ghaznī')).toBe('ghazni');
    expect(normalizeName('D.I. Khan')).toBe(normalizeName('DI Khan'));
  });

  it('unifies Arabic and Persian yeh and kaf, and teh marbuta with heh', () => {
    expect(normalizeName('پكتيكا')).toBe(normalizeName('پکتیکا'));
    expect(normalizeName('ولاية')).toBe(normalizeName('ولایه'));
  });

  it('drops tatweel, harakat, joiners and direction marks', () => {
    expect(normalizeName('پکتـــیکا')).toBe(normalizeName('پکتیکا'));
    expect(normalizeName('طُورْخَم')).toBe(normalizeName('طورخم'));
    expect(normalizeName('\u200eپشتون\u200cکوت')).toBe(normalizeName('پشتون کوت'));
  });

  it('maps the Urdu and Pashto heh and yeh forms onto the Persian ones', () => {
    expect(normalizeName('کوئٹہ')).toBe(normalizeName('کوئٹه'));
    expect(normalizeName('ژوبے')).toBe(normalizeName('ژوبی'));
  });
});

describe('parsePlaces', () => {
  it('accepts valid places', () => {
    expect(parsePlaces(sample)).toHaveLength(sample.length);
  });

  it('names the index and field of a bad value', () => {
    const bad = structuredClone(sample) as unknown as Record<string, unknown>[];
    const row = bad[2];
    if (row === undefined) throw new Error('fixture');
    row.lat = 'north';
    const error = errorOf(() => parsePlaces(bad));
    expect(isTruceError(error)).toBe(true);
    if (!isTruceError(error)) return;
    expect(error.code).toBe('invalid_input');
    expect(error.field).toBe('places[2].lat');
    expect(error.message).toContain('places[2].lat');
  });

  it('rejects an out-of-range coordinate and an unknown kind', () => {
    const badLat = structuredClone(sample);
    if (badLat[0]) badLat[0].lat = 95;
    expect((errorOf(() => parsePlaces(badLat)) as Error).message).toContain('places[0].lat');

    const badKind = structuredClone(sample) as unknown as Record<string, unknown>[];
    if (badKind[1]) badKind[1].kind = 'village';
    expect((errorOf(() => parsePlaces(badKind)) as Error).message).toContain('places[1].kind');
  });

  it('rejects kind-specific fields on the wrong kind and crossings without a counterpart', () => {
    const misplaced = structuredClone(sample);
    if (misplaced[0]) misplaced[0].crossingKind = 'trade';
    expect((errorOf(() => parsePlaces(misplaced)) as Error).message).toContain('places[0].crossingKind');

    const orphan = structuredClone(sample);
    if (orphan[2]) delete orphan[2].counterpart;
    expect((errorOf(() => parsePlaces(orphan)) as Error).message).toContain('places[2].counterpart');
  });

  it('rejects unknown fields, duplicate ids and dangling counterparts', () => {
    const extra = structuredClone(sample) as unknown as Record<string, unknown>[];
    if (extra[3]) extra[3].population = 1;
    expect(errorOf(() => parsePlaces(extra))).toMatchObject({ field: 'places[3]' });

    const dup = [...structuredClone(sample), structuredClone(sample[0])];
    expect(errorOf(() => parsePlaces(dup))).toMatchObject({ code: 'conflict', field: 'places[4].id' });

    const dangling = structuredClone(sample);
    if (dangling[2]) dangling[2].counterpart = 'pk-nowhere';
    expect(errorOf(() => parsePlaces(dangling))).toMatchObject({ field: 'places[2].counterpart' });
  });

  it('rejects a non-array', () => {
    expect(errorOf(() => parsePlaces({ places: [] }))).toMatchObject({ code: 'invalid_input' });
  });
});

describe('loadGazetteer', () => {
  it('reads a file and reports a bad row with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazetteer-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(sample));
    expect(loadGazetteer(good).all()).toHaveLength(sample.length);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ ...sample[0], geoPrecision: 4 }]));
    const error = errorOf(() => loadGazetteer(bad)) as Error;
    expect(error.message).toContain(bad);
    expect(error.message).toContain('places[0].geoPrecision');
  });

  it('reports a missing file and invalid JSON distinctly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazetteer-'));
    expect(errorOf(() => loadGazetteer(join(dir, 'absent.json')))).toMatchObject({ code: 'not_found' });
    const notJson = join(dir, 'x.json');
    writeFileSync(notJson, '[{');
    expect(errorOf(() => loadGazetteer(notJson))).toMatchObject({ code: 'invalid_input' });
  });
});

describe('Gazetteer', () => {
  const gazetteer = createGazetteer(parsePlaces(sample));

  it('finds places by id', () => {
    expect(gazetteer.byId('xing-torkham')?.name).toBe('Torkham');
    expect(gazetteer.byId('nowhere')).toBeUndefined();
  });

  it('looks up names, aliases and native names', () => {
    const ids = (name: string) => gazetteer.lookup(name).map((p) => p.id);
    expect(ids('Torkham')).toEqual(['xing-torkham']);
    expect(ids('TORKHAM gate')).toEqual(['xing-torkham']);
    expect(ids('طورخم')).toEqual(['xing-torkham']);
    expect(ids('تورخم')).toEqual(['xing-torkham']);
    expect(ids('landi-kotal')).toEqual(['pk-kp-khyber-landi-kotal']);
    expect(ids('پكتيكا')).toEqual(['af-paktika']);
    expect(ids('Kabul')).toEqual([]);
    expect(ids('  ')).toEqual([]);
  });

  it('returns copies so callers cannot change the index', () => {
    gazetteer.lookup('Torkham').pop();
    expect(gazetteer.lookup('Torkham')).toHaveLength(1);
  });

  it('finds the nearest place, optionally by kind and within a radius', () => {
    expect(gazetteer.nearest(34.115, 71.085)?.place.id).toBe('xing-torkham');
    expect(gazetteer.nearest(34.115, 71.085, { kinds: ['province'] })?.place.id).toBe('af-paktika');
    expect(gazetteer.nearest(34.115, 71.085, { kinds: ['province'], maxKm: 50 })).toBeUndefined();
    const result = gazetteer.nearest(34.11472, 71.08472);
    expect(result?.distanceKm).toBe(0);
  });

  it('prefers the more precise place when a district is drawn at its town', () => {
    expect(gazetteer.nearest(34.10528, 71.15528)?.place.id).toBe('pk-kp-khyber-landi-kotal');
  });
});
