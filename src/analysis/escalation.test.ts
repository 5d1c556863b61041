import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INCIDENT_TYPES } from '../domain/incident.ts';
import { escalationIndex, incidentScore, SEVERITY, WEIGHTS } from './escalation.ts';
import type { WarningIncident } from './incident.ts';

const SIDES = ['AF', 'PK'];

function incident(overrides: Partial<WarningIncident> = {}): WarningIncident {
  return {
    id: 'i1',
    title: 'test',
    type: 'shelling',
    day: '2025-10-12',
    lat: 34,
    lon: 71,
    country: 'PK',
    actorId: 'PK.military',
    side: 'PK',
    status: 'reported',
    fatalitiesBest: 0,
    ...overrides,
  };
}

const incidentArb = fc.record({
  id: fc.uuid(),
  title: fc.constant('x'),
  type: fc.constantFrom(...INCIDENT_TYPES),
  day: fc.integer({ min: 0, max: 20 }).map((d) => `2025-10-${String(d + 1).padStart(2, '0')}`),
  lat: fc.constant(34),
  lon: fc.constant(70),
  country: fc.constantFrom('AF', 'PK', null),
  actorId: fc.constantFrom('PK.military', 'AF.forces', 'TTP', null),
  side: fc.constantFrom('PK', 'AF', null),
  status: fc.constantFrom('reported', 'corroborated', 'verified', 'disputed', 'refuted'),
  fatalitiesBest: fc.integer({ min: 0, max: 500 }),
});

describe('escalation index', () => {
  it('documents a non-negative weight for every incident type', () => {
    for (const type of INCIDENT_TYPES) expect(SEVERITY[type]).toBeGreaterThanOrEqual(0);
    expect(SEVERITY.airstrike).toBeGreaterThan(SEVERITY.shelling);
    expect(SEVERITY.crossing_closure).toBeGreaterThan(SEVERITY.crossing_reopening);
    expect(Object.values(WEIGHTS).every((w) => w > 0)).toBe(true);
  });

  it('scores one incident term by term', () => {
    // Afghan forces' attack on a Pakistani post, 23 killed, answering an earlier strike:
    const score = incidentScore(
      incident({ type: 'armed_clash', side: 'AF', actorId: 'AF.forces', country: 'PK', fatalitiesBest: 23 }),
      SIDES,
      true,
    );
    expect(score).toEqual({
      severity: 2,
      fatalities: Math.log1p(23),
      crossBorder: WEIGHTS.crossBorder,
      retaliation: WEIGHTS.retaliation,
    });
    // On its own side's territory, by nobody's side: no cross-border term.
    expect(incidentScore(incident({ country: 'PK' }), SIDES, false).crossBorder).toBe(0);
    expect(incidentScore(incident({ side: null, country: 'AF' }), SIDES, false).crossBorder).toBe(0);
    // A crossing coded to the other country is still not a cross-border attack.
    expect(
      incidentScore(incident({ type: 'crossing_closure', country: 'AF' }), SIDES, false).crossBorder,
    ).toBe(0);
  });

  it('fills every day of the period, and smooths over the 7 days up to each', () => {
    const days = escalationIndex(
      [incident({ day: '2025-10-01' }), incident({ id: 'i2', day: '2025-10-03', type: 'airstrike' })],
      [],
      SIDES,
      '2025-10-01',
      '2025-10-10',
    );
    expect(days).toHaveLength(10);
    expect(days[0]).toMatchObject({ day: '2025-10-01', index: 2, incidents: 1, smoothed: 2 / 7 });
    expect(days[2]).toMatchObject({ index: 3, smoothed: 5 / 7 });
    expect(days[7]!.smoothed).toBeCloseTo(3 / 7, 12); // the 1st has left the window
    expect(days[9]!.smoothed).toBe(0);
    expect(days[0]!.bySide).toEqual({ AF: 0, PK: 2 });
  });

  it('does not count refuted incidents', () => {
    const [day] = escalationIndex([incident({ status: 'refuted' })], [], SIDES, '2025-10-12', '2025-10-12');
    expect(day!.index).toBe(0);
  });

  it('is monotone: adding an incident never lowers any day, raw or smoothed', () => {
    fc.assert(
      fc.property(
        fc.array(incidentArb, { maxLength: 30 }),
        incidentArb,
        fc.boolean(),
        (base, extra, linked) => {
          const links = linked
            ? [{ incidentId: extra.id, answersId: 'earlier', basis: 'source', reason: 'r' }]
            : [];
          const before = escalationIndex(base, [], SIDES, '2025-10-01', '2025-10-25');
          const after = escalationIndex([...base, extra], links, SIDES, '2025-10-01', '2025-10-25');
          after.forEach((day, d) => {
            expect(day.index).toBeGreaterThanOrEqual(before[d]!.index);
            expect(day.smoothed).toBeGreaterThanOrEqual(before[d]!.smoothed);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
