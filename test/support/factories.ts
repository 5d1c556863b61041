/** Small factories for test records: the 2025 parties and sources, and incidents/claims with overrides. */

import type { ClaimInput } from '../../src/domain/claim.ts';
import type { Figure, FigureCategory, Qualifier } from '../../src/domain/figure.ts';
import type { IncidentInput } from '../../src/domain/incident.ts';
import { createActor, createParty, createSource } from '../../src/record/reference.ts';
import type { Store } from '../../src/store/engine.ts';

export async function seedParties(store: Store): Promise<void> {
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
  await createSource(store, 'system', {
    id: 'ispr',
    name: 'ISPR',
    kind: 'party_official',
    affiliation: 'PK',
    reliability: 'C',
  });
  await createSource(store, 'system', {
    id: 'mujahid',
    name: 'Zabihullah Mujahid',
    kind: 'party_official',
    affiliation: 'AF',
    reliability: 'C',
  });
  await createSource(store, 'system', { id: 'reuters', name: 'Reuters', kind: 'wire', reliability: 'B' });
  await createSource(store, 'system', { id: 'ap', name: 'Associated Press', kind: 'wire', reliability: 'B' });
  await createSource(store, 'system', {
    id: 'hurriyat',
    name: 'Hurriyat Radio',
    kind: 'state_media',
    affiliation: 'AF',
    reliability: 'D',
  });
}

export function buildIncident(overrides: Partial<IncidentInput> = {}): IncidentInput {
  return {
    type: 'armed_clash',
    title: 'Exchange of fire at border posts',
    occurredOn: '2025-10-12',
    lat: 34.1,
    lon: 71.1,
    actorId: 'AF.forces',
    targetId: 'PK.military',
    tlp: 'CLEAR',
    ...overrides,
  } as IncidentInput;
}

export function buildClaim(incidentId: string, overrides: Partial<ClaimInput> = {}): ClaimInput {
  return {
    incidentId,
    sourceId: 'reuters',
    publishedAt: '2025-10-12T12:00:00Z',
    quote: 'Clashes broke out along the border overnight.',
    figures: [],
    tlp: 'CLEAR',
    ...overrides,
  } as ClaimInput;
}

export const killed = (
  side: string | null,
  value: number,
  category: FigureCategory = 'military',
  qualifier: Qualifier = 'exact',
): Figure => ({ measure: 'fatalities', category, side, value, qualifier });
