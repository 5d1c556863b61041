import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysClosed, statusAt } from './crossing.ts';
import { priorityOf } from './queue.ts';
import { inForce, isCandidate, isoWeek, violationRegister } from './violation.ts';

const truce = {
  id: 'truce',
  parties: ['PK', 'AF'],
  startsAt: '2025-10-15T13:00:00Z',
  endsAt: '2025-10-17T13:00:00Z',
};
const doha = { id: 'doha', parties: ['PK', 'AF'], startsAt: '2025-10-19T00:00:00Z', endsAt: null };

describe('agreements in force', () => {
  it('places the October 2025 incidents against the 48-hour truce and the Doha ceasefire', () => {
    expect(inForce(truce, '2025-10-12')).toBe('not_in_force');
    expect(inForce(truce, '2025-10-15')).toBe('boundary'); // began at 18:00 PKT that day
    expect(inForce(truce, '2025-10-16')).toBe('in_force');
    expect(inForce(truce, '2025-10-17')).toBe('boundary'); // the Paktika strikes: expired at 13:00 UTC that day
    expect(inForce(truce, '2025-10-18')).toBe('not_in_force');
    expect(inForce(doha, '2025-10-18')).toBe('not_in_force');
    expect(inForce(doha, '2025-10-19')).toBe('in_force');
    expect(inForce(doha, '2026-03-01')).toBe('in_force');
    // Known only to the week: the truce falls inside it, so a monitor must decide.
    expect(inForce(truce, '2025-10-13', 'week')).toBe('boundary');
    // The Kabul strike, known to the week of 6–12 October: before the truce.
    expect(inForce(truce, '2025-10-09', 'week')).toBe('not_in_force');
    expect(inForce(doha, '2025-10-02', 'month')).toBe('boundary');
  });

  it('makes a candidate only of a party to the agreement', () => {
    const incident = { occurredOn: '2025-10-16', datePrecision: 'day' };
    expect(isCandidate(truce, { ...incident, actorParty: 'AF' })).toBe(true);
    expect(isCandidate(truce, { ...incident, actorParty: null })).toBe(false);
    expect(isCandidate(truce, { ...incident, actorParty: 'QA' })).toBe(false);
  });

  it('numbers ISO weeks across year ends', () => {
    expect(isoWeek('2025-10-17')).toBe('2025-W42');
    expect(isoWeek('2025-10-19')).toBe('2025-W42');
    expect(isoWeek('2025-10-20')).toBe('2025-W43');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
  });

  it('counts attributed violations per party per week, each incident once', () => {
    const rows = violationRegister([
      { partyId: 'AF', incidentId: 'a', occurredOn: '2025-10-16' },
      { partyId: 'AF', incidentId: 'a', occurredOn: '2025-10-16' },
      { partyId: 'AF', incidentId: 'b', occurredOn: '2025-10-19' },
      { partyId: 'PK', incidentId: 'c', occurredOn: '2025-10-21' },
    ]);
    expect(rows).toEqual([
      { partyId: 'AF', week: '2025-W42', count: 2, incidentIds: ['a', 'b'] },
      { partyId: 'PK', week: '2025-W43', count: 1, incidentIds: ['c'] },
    ]);
  });

  it('a day inside an agreement is in force, and one outside never is (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: -500, max: 3500 }),
        (start, length, day) => {
          const base = Date.UTC(2020, 0, 1);
          const agreement = {
            id: 'x',
            parties: ['A'],
            startsAt: new Date(base + start * 86_400_000).toISOString(),
            endsAt: new Date(base + (start + length) * 86_400_000).toISOString(),
          };
          const occurredOn = new Date(base + day * 86_400_000).toISOString().slice(0, 10);
          const state = inForce(agreement, occurredOn);
          if (day >= start && day < start + length) expect(state).toBe('in_force');
          else expect(state).toBe('not_in_force');
        },
      ),
    );
  });
});

describe('crossing timelines', () => {
  const torkham = [
    { status: 'closed', since: '2025-10-12T00:00:00.000Z' },
    { status: 'restricted', since: '2025-11-01T00:00:00.000Z' },
    { status: 'closed', since: '2025-11-05T00:00:00.000Z' },
  ];
  it('sums days closed over every closure up to a date', () => {
    expect(daysClosed(torkham, '2025-10-20T00:00:00.000Z')).toBe(8);
    expect(daysClosed(torkham, '2025-11-03T00:00:00.000Z')).toBe(20);
    expect(daysClosed(torkham, '2025-11-10T00:00:00.000Z')).toBe(25);
    expect(daysClosed([], '2025-11-10T00:00:00.000Z')).toBe(0);
  });
  it('reports the status in force at a date', () => {
    expect(statusAt(torkham, '2025-10-11T00:00:00.000Z')).toBeNull();
    expect(statusAt(torkham, '2025-11-02T00:00:00.000Z')?.status).toBe('restricted');
  });
});

describe('queue priority', () => {
  it('puts an unattributed candidate violation above a contested incident above a new one', () => {
    const base = {
      status: 'corroborated',
      figuresDisputed: false,
      fatalitiesBest: 0,
      sources: 2,
      pendingAgreements: 0,
    };
    const candidate = priorityOf({ ...base, pendingAgreements: 1 });
    const contested = priorityOf({ ...base, status: 'disputed' });
    const fresh = priorityOf({ ...base, status: 'reported', sources: 1 });
    expect(candidate.score).toBeGreaterThan(contested.score);
    expect(contested.score).toBeGreaterThan(fresh.score);
    expect(fresh.reasons).toContain('new: one source');
    expect(priorityOf({ ...base, fatalitiesBest: 58 }).score).toBeGreaterThan(
      priorityOf({ ...base, fatalitiesBest: 3 }).score,
    );
  });
});
