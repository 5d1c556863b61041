/** Checks the shipped gazetteer data: validity, geography against the ADM1 outlines, sources and lookups. */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPlaces, undocumentedSources } from './build.ts';
import { DEFAULT_PLACES_PATH, haversineKm, loadGazetteer } from './gazetteer.ts';
import { boundingBox, distanceToAreaKm, distanceToSegmentsKm, outerSegments, parseAdm1 } from './geo.ts';
import { type Place, PlacesSchema } from './place.ts';

const dataPath = (name: string) => fileURLToPath(new URL(`../../data/${name}`, import.meta.url));
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

const raw = readJson(DEFAULT_PLACES_PATH);
const gazetteer = loadGazetteer();
const places = gazetteer.all();
const areas = parseAdm1(readJson(dataPath('gazetteer/afghanistan-adm1.geojson')));
const areaByName = new Map(areas.map((a) => [a.name, a]));
const outline = outerSegments(areas);

const AF_BOX = boundingBox(areas);
// Pakistan runs 23°42′N–37°06′N and 61°00′E–77°50′E (CIA World Factbook extremes); padded a little.
const PK_BOX = { minLat: 23.5, maxLat: 37.2, minLon: 60.8, maxLon: 78.0 };
// Province points that are not centroids cannot be within 150 km of every district of a wide
// province: Khyber Pakhtunkhwa runs about 700 km from Chitral to Dera Ismail Khan, Balochistan
// about 1,000 km. Afghan provinces use the extent of their own outline instead (see below).
const PK_WIDE_PROVINCE_KM: Readonly<Record<string, number>> = { 'Khyber Pakhtunkhwa': 300, Balochistan: 400 };
const NEAR_PROVINCE_KM = 150;
const CROSSING_TO_BORDER_KM = 15;
const DISTRICT_TO_OUTLINE_KM = 15;

// The curation file maps each province to its geoBoundaries shape (which spells Ghazni "Ghanzi").
const curation = readJson(dataPath('gazetteer/afghanistan-curation.json')) as {
  provinces: { name: string; adm1: string }[];
};
const adm1Of = new Map(curation.provinces.map((p) => [p.name, p.adm1]));

function provinceOf(place: Place): Place {
  const province = places.find(
    (p) => p.kind === 'province' && p.country === place.country && p.name === place.admin1,
  );
  if (province === undefined) throw new Error(`${place.id}: no province named ${String(place.admin1)}`);
  return province;
}

function areaOf(provinceName: string) {
  const area = areaByName.get(adm1Of.get(provinceName) ?? provinceName);
  if (area === undefined) throw new Error(`no ADM1 outline for ${provinceName}`);
  return area;
}

describe('shipped places.json', () => {
  it('validates against PlaceSchema, place by place', () => {
    expect(PlacesSchema.safeParse(raw).success).toBe(true);
    expect(places.length).toBe((raw as unknown[]).length);
  });

  it('has unique ids and counterparts that resolve to the other country', () => {
    const ids = places.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of places.filter((x) => x.kind === 'crossing')) {
      const other = p.counterpart === undefined ? undefined : gazetteer.byId(p.counterpart);
      expect(other, p.id).toBeDefined();
      expect(other?.country, p.id).not.toBe(p.country);
    }
  });

  it('has both countries, all 34 Afghan provinces and the Pakistani provinces and territories', () => {
    expect(gazetteer.byId('af')?.kind).toBe('country');
    expect(gazetteer.byId('pk')?.kind).toBe('country');
    expect(places.filter((p) => p.kind === 'province' && p.country === 'AF')).toHaveLength(34);
    for (const id of ['pk-kp', 'pk-ba', 'pk-pb', 'pk-sd', 'pk-gb', 'pk-is', 'pk-jk']) {
      expect(gazetteer.byId(id)?.kind, id).toBe('province');
    }
  });

  it('has the Pakistani border districts and towns the press names', () => {
    const districts = [
      'chitral-upper',
      'chitral-lower',
      'bajaur',
      'mohmand',
      'khyber',
      'kurram',
      'orakzai',
      'north-waziristan',
      'south-waziristan-upper',
      'south-waziristan-lower',
      'dera-ismail-khan',
      'tank',
      'bannu',
      'lakki-marwat',
      'peshawar',
    ].map((d) => `pk-kp-${d}`);
    districts.push(
      ...['zhob', 'qila-saifullah', 'qila-abdullah', 'chaman', 'pishin', 'quetta', 'chagai', 'nushki'].map(
        (d) => `pk-ba-${d}`,
      ),
    );
    for (const id of districts) expect(gazetteer.byId(id)?.kind, id).toBe('district');
    for (const name of ['Miranshah', 'Wana', 'Parachinar', 'Landi Kotal', 'Chaman', 'Peshawar', 'Quetta']) {
      expect(
        gazetteer.lookup(name).some((p) => p.kind === 'town'),
        name,
      ).toBe(true);
    }
  });

  it('has the named crossings with their kinds', () => {
    const kinds: Record<string, string | undefined> = {
      'xing-torkham': 'both',
      'xing-chaman-spin-boldak': 'both',
      'xing-ghulam-khan': 'trade',
      'xing-angoor-adda': 'both',
      'xing-kharlachi': 'trade',
    };
    for (const [id, kind] of Object.entries(kinds)) {
      expect(gazetteer.byId(id)?.kind, id).toBe('crossing');
      expect(gazetteer.byId(id)?.crossingKind, id).toBe(kind);
    }
  });

  it('uses the precision the codebook gives each kind', () => {
    const expected: Record<Place['kind'], number> = {
      country: 3,
      province: 3,
      district: 2,
      town: 1,
      border_post: 1,
      crossing: 1,
    };
    for (const p of places) expect(p.geoPrecision, p.id).toBe(expected[p.kind]);
  });

  it('keeps native names in Arabic script only', () => {
    for (const p of places) {
      for (const name of Object.values(p.names))
        expect(name, p.id).toMatch(/^[\u0600-\u06FF\u0750-\u077F\s()-]+$/);
    }
  });

  it('documents every source key in data/SOURCES.md', () => {
    expect(undocumentedSources(places, readFileSync(dataPath('SOURCES.md'), 'utf8'))).toEqual([]);
  });
});

describe('geography', () => {
  it('puts every Afghan place in Afghanistan’s bounding box and every Pakistani one in Pakistan’s', () => {
    for (const p of places) {
      const box = p.country === 'AF' ? AF_BOX : PK_BOX;
      expect(p.lat, p.id).toBeGreaterThanOrEqual(box.minLat);
      expect(p.lat, p.id).toBeLessThanOrEqual(box.maxLat);
      expect(p.lon, p.id).toBeGreaterThanOrEqual(box.minLon);
      expect(p.lon, p.id).toBeLessThanOrEqual(box.maxLon);
    }
  });

  it('puts every Afghan province point inside its own outline', () => {
    for (const p of places.filter((x) => x.kind === 'province' && x.country === 'AF')) {
      expect(distanceToAreaKm(p.lat, p.lon, areaOf(p.name)), p.id).toBe(0);
    }
  });

  it('puts every Afghan district in (or within a simplified edge of) its province', () => {
    for (const p of places.filter((x) => x.kind === 'district' && x.country === 'AF')) {
      expect(distanceToAreaKm(p.lat, p.lon, areaOf(p.admin1 ?? '')), p.id).toBeLessThanOrEqual(
        DISTRICT_TO_OUTLINE_KM,
      );
    }
  });

  it('puts each district within about 150 km of its province’s point (or within the province’s extent)', () => {
    for (const p of places.filter((x) => x.kind === 'district' || x.kind === 'town')) {
      const province = provinceOf(p);
      let allowed = NEAR_PROVINCE_KM;
      if (p.country === 'AF') {
        // The farthest any point of a polygon can be from the province point is at a vertex.
        let extent = 0;
        for (const polygon of areaOf(province.name).polygons) {
          for (const ring of polygon) {
            for (const [lon, lat] of ring)
              extent = Math.max(extent, haversineKm(province.lat, province.lon, lat, lon));
          }
        }
        allowed = Math.max(allowed, extent);
      } else {
        allowed = PK_WIDE_PROVINCE_KM[province.name] ?? allowed;
      }
      expect(haversineKm(p.lat, p.lon, province.lat, province.lon), p.id).toBeLessThanOrEqual(allowed);
    }
  });

  it('has most Afghan districts within 150 km of their province point', () => {
    const afDistricts = places.filter((p) => p.kind === 'district' && p.country === 'AF');
    const near = afDistricts.filter((p) => {
      const province = provinceOf(p);
      return haversineKm(p.lat, p.lon, province.lat, province.lon) <= NEAR_PROVINCE_KM;
    });
    expect(near.length / afDistricts.length).toBeGreaterThan(0.9);
  });

  it('puts every crossing within 15 km of the Afghanistan ADM1 outline', () => {
    const crossings = places.filter((p) => p.kind === 'crossing');
    expect(crossings.length).toBeGreaterThanOrEqual(5);
    for (const p of crossings) {
      expect(distanceToSegmentsKm(p.lat, p.lon, outline), p.id).toBeLessThanOrEqual(CROSSING_TO_BORDER_KM);
    }
  });

  it('does not count interior province boundaries as the outline', () => {
    // Kabul is some 85 km and Ghazni over 100 km from the nearest border.
    expect(distanceToSegmentsKm(34.53, 69.17, outline)).toBeGreaterThan(60);
    expect(distanceToSegmentsKm(33.55, 68.42, outline)).toBeGreaterThan(100);
  });
});

describe('lookup and nearest on the shipped data', () => {
  const ids = (name: string) => gazetteer.lookup(name).map((p) => p.id);

  it.each([
    ['Torkham', 'xing-torkham'],
    ['torkham', 'xing-torkham'],
    ['طورخم', 'xing-torkham'],
    ['Spin Buldak', 'af-kandahar-spin-boldak'],
    ['Spin Buldak', 'xing-chaman-spin-boldak'],
    ['spin-boldak', 'af-kandahar-spin-boldak'],
    ['Chaman–Spin Boldak', 'xing-chaman-spin-boldak'],
    ['Paktika', 'af-paktika'],
    ['پکتیکا', 'af-paktika'],
    ['پكتيكا', 'af-paktika'],
    ['Kurram', 'pk-kp-kurram'],
    ['North Waziristan', 'pk-kp-north-waziristan'],
    ['Ningarhar', 'af-nangarhar'],
    ['Khowst', 'af-khost'],
    ['Konar', 'af-kunar'],
    ['Urozgan', 'af-uruzgan'],
    ['Hilmand', 'af-helmand'],
    ['Paktya', 'af-paktia'],
    ['Barmal', 'af-paktika-barmal'],
    ['Angur Adda', 'xing-angoor-adda'],
    ['Ghulam Khan', 'xing-ghulam-khan'],
    ['Miram Shah', 'pk-kp-north-waziristan-miranshah'],
    ['شمالی وزیرستان', 'pk-kp-north-waziristan'],
    ['South Waziristan', 'pk-kp-south-waziristan-lower'],
  ])('lookup(%s) finds %s', (name, id) => {
    expect(ids(name)).toContain(id);
  });

  it('returns nothing for unknown names', () => {
    expect(ids('Atlantis')).toEqual([]);
  });

  it('finds the Torkham crossing nearest to a point beside it', () => {
    expect(gazetteer.nearest(34.116, 71.09)?.place.id).toBe('xing-torkham');
    expect(gazetteer.nearest(34.13, 71.05, { kinds: ['crossing'] })?.place.id).toBe('xing-torkham');
  });

  it('finds the enclosing-level place by kind', () => {
    expect(gazetteer.nearest(32.72, 69.21, { kinds: ['district'] })?.place.id).toBe('af-paktika-barmal');
    expect(gazetteer.nearest(33.0, 70.07, { kinds: ['town'] })?.place.id).toBe(
      'pk-kp-north-waziristan-miranshah',
    );
  });
});

const SHARED_DIR = fileURLToPath(new URL('../../../shared/data/afghanistan-admin/', import.meta.url));

describe.skipIf(!existsSync(SHARED_DIR))('build reproducibility', () => {
  it('rebuilding from the shared data gives the shipped places.json', () => {
    const report = buildPlaces({
      shared: readJson(`${SHARED_DIR}provinces-and-districts.json`),
      curation: readJson(dataPath('gazetteer/afghanistan-curation.json')),
      adm1: readJson(`${SHARED_DIR}geoBoundaries-AFG-ADM1_simplified.geojson`),
      curated: readJson(dataPath('gazetteer/pakistan-and-crossings.json')),
    });
    expect(report.places).toEqual(raw);
  });
});
