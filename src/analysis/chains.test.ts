import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferChains, retaliationWords } from './chains.ts';
import type { WarningIncident } from './incident.ts';

function incident(id: string, overrides: Partial<WarningIncident> = {}): WarningIncident {
  return {
    id,
    title: id,
    type: 'shelling',
    day: '2025-10-12',
    lat: 34.1,
    lon: 71.1,
    country: 'PK',
    actorId: 'AF.forces',
    side: 'AF',
    status: 'reported',
    fatalitiesBest: 0,
    ...overrides,
  };
}

const PK = { actorId: 'PK.military', side: 'PK' } as const;

describe('retaliation chains', () => {
  it('finds the retaliation wording, case-insensitively', () => {
    expect(retaliationWords('Afghan forces launched “retaliatory operations”')).toEqual(['retaliat']);
    expect(retaliationWords('In response, and in REVENGE, they fired')).toEqual(['in response', 'revenge']);
    expect(retaliationWords('Clashes broke out')).toEqual([]);
  });

  it('infers B answering A: other side, within 3 days and 50 km; wording raises the score', () => {
    const a = incident('a', { ...PK, type: 'airstrike', day: '2025-10-10' });
    const near = incident('b', { day: '2025-10-11', lat: 34.2, lon: 71.2 });
    const worded = incident('c', { day: '2025-10-12', lat: 34.3, lon: 71.0 });
    const far = incident('d', { day: '2025-10-11', lat: 31.0, lon: 66.0 });
    const late = incident('e', { day: '2025-10-14' });
    const ownSide = incident('f', { ...PK, day: '2025-10-11' });
    const links = inferChains([a, near, worded, far, late], [], new Map([['c', ['in response']]]));
    expect(inferChains([a, ownSide], [], new Map())).toEqual([]);
    const pairs = links.map((l) => `${l.incidentId}<-${l.answersId}`);
    expect(pairs).toContain('b<-a');
    expect(pairs).toContain('c<-a');
    expect(pairs).not.toContain('d<-a'); // ~600 km away
    expect(pairs).not.toContain('e<-a'); // 4 days later
    // The worded candidate ranks first although it is a day later.
    expect(links[0]).toMatchObject({ incidentId: 'c', answersId: 'a', days: 2, wording: ['in response'] });
    expect(links[0]!.score).toBeGreaterThan(links.find((l) => l.incidentId === 'b')!.score);
    expect(links[0]!.reason).toMatch(
      /shelling by AF.forces \(AF\) 2 day\(s\) after airstrike by PK.military \(PK\)/,
    );
    expect(links[0]!.reason).toMatch(/in response/);
  });

  it('does not offer a pair already on the record, in either direction', () => {
    const a = incident('a', { ...PK });
    const b = incident('b');
    const explicit = [{ incidentId: 'b', answersId: 'a', basis: 'source', reason: 'r' }];
    // Same day: both directions would be candidates, and both are covered by the link.
    expect(inferChains([a, b], [], new Map())).toHaveLength(2);
    expect(inferChains([a, b], explicit, new Map())).toEqual([]);
  });

  it('leaves out refuted incidents, non-violent types, incidents with no side or no point', () => {
    const a = incident('a', { ...PK });
    for (const other of [
      incident('b', { status: 'refuted' }),
      incident('b', { type: 'crossing_closure' }),
      incident('b', { side: null, actorId: 'TTP' }),
      incident('b', { lat: null, lon: null }),
    ])
      expect(inferChains([a, other], [], new Map())).toEqual([]);
  });

  it('every candidate respects the window, the distance and the sides; scores lie in [0, 1]', () => {
    const arb = fc.array(
      fc.record({
        day: fc.integer({ min: 1, max: 20 }),
        lat: fc.double({ min: 33.5, max: 34.5, noNaN: true }),
        lon: fc.double({ min: 70.5, max: 71.5, noNaN: true }),
        pk: fc.boolean(),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(
        arb,
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 5, max: 100 }),
        (raw, maxDays, maxKm) => {
          const incidents = raw.map((r, i) =>
            incident(`i${i}`, {
              day: `2025-10-${String(r.day).padStart(2, '0')}`,
              lat: r.lat,
              lon: r.lon,
              ...(r.pk ? PK : {}),
            }),
          );
          const byId = new Map(incidents.map((i) => [i.id, i]));
          for (const link of inferChains(incidents, [], new Map(), { maxDays, maxKm })) {
            const a = byId.get(link.answersId)!;
            const b = byId.get(link.incidentId)!;
            expect(a.side).not.toBe(b.side);
            expect(link.days).toBeGreaterThanOrEqual(0);
            expect(link.days).toBeLessThanOrEqual(maxDays);
            expect(link.km).toBeLessThanOrEqual(maxKm + 0.05);
            expect(link.score).toBeGreaterThanOrEqual(0);
            expect(link.score).toBeLessThanOrEqual(0.6);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
