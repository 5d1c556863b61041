/** The benchmark's input: a fixed reference set and seeded, reproducible incidents and claims. */
import type { ClaimInput } from '../src/domain/claim.ts';
import type { Figure } from '../src/domain/figure.ts';
import type { IncidentInput } from '../src/domain/incident.ts';
import { createActor, createParty, createSource } from '../src/record/reference.ts';
import type { Store } from '../src/store/engine.ts';

/** mulberry32: small, fast, and the same sequence on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** The region incidents are spread over: the Afghanistan–Pakistan border, roughly. */
export const REGION = { south: 29, north: 37, west: 62, east: 75 } as const;
export const YEAR = 2025;

const TYPES = ['airstrike', 'drone_strike', 'shelling', 'armed_clash', 'militant_attack'] as const;
const ACTORS = ['PK.military', 'AF.forces', 'TTP', 'civilians'] as const;
const SOURCES = ['ispr', 'mujahid', 'reuters', 'ap', 'hurriyat'] as const;
const TLPS = ['CLEAR', 'CLEAR', 'GREEN', 'GREEN', 'AMBER'] as const;
const CATEGORIES = ['military', 'civilian', 'militant', 'unknown'] as const;
const SIDES = ['PK', 'AF', null] as const;

/** Three parties, four actors, five sources: what every incident and claim points at (11 ledger entries). */
export async function seedReference(store: Store): Promise<void> {
  await createParty(store, 'system', { id: 'PK', name: 'Pakistan', role: 'belligerent' });
  await createParty(store, 'system', {
    id: 'AF',
    name: 'Afghanistan (Taliban authorities)',
    role: 'belligerent',
  });
  await createParty(store, 'system', { id: 'QA', name: 'Qatar', role: 'mediator' });
  await createActor(store, 'system', {
    id: 'PK.military',
    name: 'Pakistan armed forces',
    kind: 'state_force',
    partyId: 'PK',
  });
  await createActor(store, 'system', {
    id: 'AF.forces',
    name: 'Taliban forces',
    kind: 'state_force',
    partyId: 'AF',
  });
  await createActor(store, 'system', { id: 'TTP', name: 'Tehrik-e-Taliban Pakistan', kind: 'non_state' });
  await createActor(store, 'system', { id: 'civilians', name: 'Civilians', kind: 'civilians' });
  for (const [id, name, kind, affiliation, reliability] of [
    ['ispr', 'ISPR', 'party_official', 'PK', 'C'],
    ['mujahid', 'Zabihullah Mujahid', 'party_official', 'AF', 'C'],
    ['reuters', 'Reuters', 'wire', undefined, 'B'],
    ['ap', 'Associated Press', 'wire', undefined, 'B'],
    ['hurriyat', 'Hurriyat Radio', 'state_media', 'AF', 'D'],
  ] as const) {
    await createSource(store, 'system', {
      id,
      name,
      kind,
      reliability,
      ...(affiliation ? { affiliation } : {}),
    });
  }
}

function day(rand: () => number): string {
  const date = new Date(Date.UTC(YEAR, 0, 1) + Math.floor(rand() * 365) * 86_400_000);
  return date.toISOString().slice(0, 10);
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** One incident at a point (no gazetteer place), on a day of 2025, some shared AMBER with a party. */
export function incidentInput(rand: () => number, i: number): IncidentInput {
  const tlp = pick(rand, TLPS);
  const actorId = pick(rand, ACTORS);
  return {
    type: pick(rand, TYPES),
    title: `Benchmark incident ${i}: exchange of fire reported near the border`,
    occurredOn: day(rand),
    lat: round(REGION.south + rand() * (REGION.north - REGION.south)),
    lon: round(REGION.west + rand() * (REGION.east - REGION.west)),
    actorId,
    targetId: pick(
      rand,
      ACTORS.filter((a) => a !== actorId),
    ),
    tlp,
    ...(tlp === 'AMBER' ? { recipients: [pick(rand, ['PK', 'AF'])] } : {}),
  } as IncidentInput;
}

/** One claim with zero to two casualty figures, so adding it re-reconciles real numbers. */
export function claimInput(rand: () => number, incidentId: string, i: number): ClaimInput {
  const figures: Figure[] = [];
  const count = Math.floor(rand() * 3);
  for (let f = 0; f < count; f++) {
    figures.push({
      // One figure per group and claim: the first is deaths, a second one injuries.
      measure: f === 0 ? 'fatalities' : 'injuries',
      category: pick(rand, CATEGORIES),
      side: pick(rand, SIDES),
      value: Math.floor(rand() * 40),
      qualifier: rand() < 0.8 ? 'exact' : 'at_least',
    });
  }
  return {
    incidentId,
    sourceId: pick(rand, SOURCES),
    publishedAt: `${day(rand)}T12:00:00Z`,
    quote: `Claim ${i}: officials said the clashes broke out overnight and continued into the morning.`,
    figures,
    credibility: 1 + Math.floor(rand() * 6),
    tlp: 'CLEAR',
  } as ClaimInput;
}
