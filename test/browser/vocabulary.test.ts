/** The console's copy of the codebook's vocabulary (web/src/domain/vocabulary.ts) must stay equal to src/domain. */
import { describe, expect, it } from 'vitest';
import { INCIDENT_TYPES } from '../../src/domain/incident.ts';
import { TLP_LEVELS } from '../../src/domain/tlp.ts';
import { canMove, STATUSES } from '../../src/domain/verification.ts';
import * as web from '../../web/src/domain/vocabulary.ts';

describe('console vocabulary', () => {
  it('names the same incident types, statuses and TLP levels as the codebook', () => {
    expect(web.INCIDENT_TYPES).toEqual(INCIDENT_TYPES);
    expect(web.STATUSES).toEqual(STATUSES);
    expect(web.TLP_LEVELS).toEqual(TLP_LEVELS);
    for (const type of INCIDENT_TYPES) expect(web.TYPE_STYLE[type].color).toMatch(/^#[0-9A-F]{6}$/i);
    expect(new Set(Object.values(web.TYPE_STYLE).map((s) => s.color)).size).toBe(INCIDENT_TYPES.length);
  });

  it('offers exactly the status moves the domain allows', () => {
    for (const from of STATUSES)
      for (const to of STATUSES)
        expect(web.ALLOWED_MOVES[from].includes(to), `${from} → ${to}`).toBe(canMove(from, to));
  });
});
