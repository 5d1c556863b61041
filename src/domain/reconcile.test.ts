/** Tests the CODEBOOK § Reconciliation rules, the 12 Oct 2025 worked example and their invariants. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTruceError } from './errors.ts';
import {
  FIGURE_CATEGORIES,
  type Figure,
  MEASURES,
  type Qualifier,
  QualifierSchema,
  type SourceKind,
  SourceKindSchema,
} from './figure.ts';
import {
  type ClaimedFigure,
  ClaimedFigureSchema,
  classifyFigure,
  type GroupResult,
  reconcileFigures,
  reconcileGroup,
} from './reconcile.ts';

type Speaker = { sourceId: string; kind: SourceKind; affiliation: string | null };
const ISPR: Speaker = { sourceId: 'ispr', kind: 'party_official', affiliation: 'PK' };
const MUJAHID: Speaker = { sourceId: 'mujahid', kind: 'party_official', affiliation: 'AF' };
const REUTERS: Speaker = { sourceId: 'reuters', kind: 'wire', affiliation: null };
const src = (sourceId: string, kind: SourceKind, affiliation: string | null = null): Speaker => ({
  sourceId,
  kind,
  affiliation,
});

/** Factory: `who` says `value` of `side`'s military fatalities; `over` tweaks figure or timing. */
function said(
  who: Speaker,
  claimId: string,
  side: string | null,
  value: number,
  over: Partial<Figure> & { publishedAt?: string } = {},
): ClaimedFigure {
  const { publishedAt = '2025-10-12T12:00:00Z', ...figure } = over;
  return {
    claimId,
    sourceId: who.sourceId,
    publishedAt,
    source: { kind: who.kind, affiliation: who.affiliation },
    figure: { measure: 'fatalities', category: 'military', side, value, qualifier: 'exact', ...figure },
  };
}
const group = (r: { groups: GroupResult[] }, side: string | null) => r.groups.find((g) => g.side === side);
const range = (g: GroupResult | undefined) => g && { low: g.low, best: g.best, high: g.high };

// 12 Oct 2025 (CODEBOOK § Reconciliation example): each party's figures for its own and the other's losses.
const OCT12 = [
  said(ISPR, 'ispr-1', 'PK', 23),
  said(ISPR, 'ispr-1', 'AF', 200, { qualifier: 'more_than' }),
  said(MUJAHID, 'zm-1', 'PK', 58),
  said(MUJAHID, 'zm-1', 'AF', 9),
];

describe('classifyFigure', () => {
  it.each([
    [ISPR, 'PK', 'admission'],
    [ISPR, 'AF', 'boast'],
    [ISPR, null, 'boast'],
    [src('ap', 'wire'), 'PK', 'independent'],
    [src('mon', 'monitor'), null, 'independent'],
    [src('hrw', 'ngo'), 'AF', 'independent'],
    [src('dawn', 'national_media'), 'PK', 'other'],
    [src('x', 'social_media'), 'AF', 'other'],
    [src('think', 'analyst'), 'PK', 'other'],
    [src('radio', 'state_media'), 'PK', 'other'],
    [src('spox', 'party_official'), 'AF', 'other'],
  ] as const)('%o on %s losses is %s', (who, side, role) => {
    expect(classifyFigure(said(who, 'c', side, 1))).toBe(role);
  });
});

describe('the 12 Oct 2025 example', () => {
  it('takes admissions as low and best, boasts as high', () => {
    const r = reconcileFigures(OCT12);
    expect(range(group(r, 'PK'))).toEqual({ low: 23, best: 23, high: 58 });
    expect(range(group(r, 'AF'))).toEqual({ low: 9, best: 9, high: 200 });
    expect(group(r, 'PK')?.rule).toBe(
      "low 23 = PK's admission; best 23 = highest admission (no independent figure); high 58 = max of all figures (AF's boast)",
    );
    expect(group(r, 'AF')?.rule).toContain("high 200 (+) = max of all figures (PK's boast)");
    expect(group(r, 'PK')?.basis).toEqual({ low: ['ispr-1'], best: ['ispr-1'], high: ['zm-1'] });
    expect(group(r, 'AF')?.roles).toEqual({ 'ispr-1': 'boast', 'zm-1': 'admission' });
    expect(r.totals.fatalities.military).toEqual({ low: 32, best: 32, high: 258 });
    expect(r.disputed).toBe(false);
  });

  it('lets a Reuters figure of 30 raise PK low and best to 30', () => {
    const pk = group(reconcileFigures([...OCT12, said(REUTERS, 'rt-1', 'PK', 30)]), 'PK');
    expect(range(pk)).toEqual({ low: 30, best: 30, high: 58 });
    expect(pk?.basis).toEqual({ low: ['rt-1'], best: ['rt-1'], high: ['zm-1'] });
    expect(pk?.rule).toContain("low 30 = lowest independent figure (above PK's admission 23)");
  });
});

describe('reconcileGroup rules', () => {
  const wire = (id: string, v: number) => said(src(id, 'wire'), id, 'PK', v);

  it('sets best to the independent median, the lower middle for an even count', () => {
    expect(range(reconcileGroup([wire('a', 10), wire('b', 40), wire('c', 20)]))).toMatchObject({ best: 20 });
    const even = reconcileGroup([wire('a', 10), wire('b', 40), wire('c', 20), wire('d', 30)]);
    expect(range(even)).toEqual({ low: 10, best: 20, high: 40 });
    expect(even.rule).toContain('best 20 = median of 4 independent figures, lower middle');
  });

  it('takes low as the max of the highest admission and the lowest independent', () => {
    const g = reconcileGroup([said(ISPR, 'i', 'PK', 10), wire('a', 20), wire('b', 30), wire('c', 40)]);
    expect(range(g)).toEqual({ low: 20, best: 30, high: 40 });
  });

  it('raises best to low and marks disputed when an admission exceeds the independent median', () => {
    const claims = [said(ISPR, 'i', 'PK', 40), wire('a', 20), wire('b', 50)];
    const g = reconcileGroup(claims);
    expect(range(g)).toEqual({ low: 40, best: 40, high: 50 });
    expect(g.disputed).toBe(true);
    expect(g.basis.best).toEqual(['i']);
    expect(g.rule).toContain('raised from independent median 20');
    expect(reconcileFigures(claims).disputed).toBe(true);
  });

  it('never takes a boast or an other figure as low or best', () => {
    const g = reconcileGroup([said(MUJAHID, 'b', 'PK', 58), said(src('d', 'national_media'), 'd', 'PK', 70)]);
    expect(range(g)).toEqual({ low: null, best: null, high: 70 });
    expect(g.rule).toBe(
      'low and best unknown (no admission or independent figure; a boast never sets them); high 70 = max of all figures (other: national_media)',
    );
  });

  it('treats a party figure for losses of no party (side null) as a boast', () => {
    const g = reconcileGroup([said(ISPR, 'i', null, 30), said(REUTERS, 'r', null, 12)]);
    expect(g.roles).toEqual({ i: 'boast', r: 'independent' });
    expect(range(g)).toEqual({ low: 12, best: 12, high: 30 });
  });

  it('counts every qualifier as its number and marks it in the rule', () => {
    const q = (id: string, v: number, qualifier: Qualifier) =>
      said(src(id, 'ngo'), id, 'PK', v, { qualifier });
    const g = reconcileGroup([q('a', 5, 'at_least'), q('b', 7, 'about'), q('c', 9, 'up_to')]);
    expect(range(g)).toEqual({ low: 5, best: 7, high: 9 });
    expect(g.rule).toMatch(/low 5 \(\+\).*best 7 \(~\).*high 9 \(≤\)/);
  });

  it('rejects an empty group, a mixed group and a claim id used twice', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isTruceError(e) ? e.code : 'other';
      }
    };
    expect(code(() => reconcileGroup([]))).toBe('invalid_input');
    expect(code(() => reconcileGroup([wire('a', 1), said(REUTERS, 'r', 'AF', 1)]))).toBe('invalid_input');
    expect(code(() => reconcileGroup([wire('a', 1), said(REUTERS, 'a', 'PK', 2)]))).toBe('invalid_input');
  });

  it('follows the codebook literally: a lower new independent figure lowers low when no admission exists', () => {
    expect(reconcileGroup([wire('a', 30)]).low).toBe(30);
    expect(reconcileGroup([wire('a', 30), wire('b', 10)]).low).toBe(10);
  });
});

describe('revisions', () => {
  it('counts only the latest claim per source; superseded claims are in no basis', () => {
    const g = reconcileGroup([
      said(ISPR, 'i1', 'PK', 23, { publishedAt: '2025-10-12T08:00:00Z' }),
      said(ISPR, 'i2', 'PK', 27, { publishedAt: '2025-10-13T08:00:00Z' }),
      said(MUJAHID, 'z1', 'PK', 58),
    ]);
    expect(range(g)).toEqual({ low: 27, best: 27, high: 58 });
    expect(g.superseded).toEqual(['i1']);
    expect(Object.values(g.basis).flat()).not.toContain('i1');
  });

  it('compares instants across offsets and breaks a tie by the greater claim id', () => {
    const at = (id: string, v: number, publishedAt: string) => said(REUTERS, id, 'PK', v, { publishedAt });
    expect(
      reconcileGroup([at('a', 5, '2025-10-12T10:00:00+05:00'), at('b', 9, '2025-10-12T06:00:00Z')]).best,
    ).toBe(9);
    expect(
      reconcileGroup([at('b', 9, '2025-10-12T06:00:00Z'), at('a', 5, '2025-10-12T06:00:00Z')]).best,
    ).toBe(9);
  });

  it('revises per group: a new PK figure leaves the same source earlier AF figure counted', () => {
    const r = reconcileFigures([
      ...OCT12,
      said(ISPR, 'ispr-2', 'PK', 25, { publishedAt: '2025-10-14T00:00:00Z' }),
    ]);
    expect(range(group(r, 'PK'))).toEqual({ low: 25, best: 25, high: 58 });
    expect(group(r, 'AF')?.high).toBe(200);
  });
});

describe('reconcileFigures', () => {
  it('returns no groups, zero totals and no dispute for no claims', () => {
    const r = reconcileFigures([]);
    expect(r.groups).toEqual([]);
    expect(r.disputed).toBe(false);
    for (const m of MEASURES)
      for (const k of FIGURE_CATEGORIES) expect(r.totals[m][k]).toEqual({ low: 0, best: 0, high: 0 });
  });

  it('sums sides per measure and category, a null low or best counting as 0', () => {
    const r = reconcileFigures([
      said(REUTERS, 'r', 'PK', 4, { category: 'civilian' }),
      said(ISPR, 'i', 'AF', 6, { category: 'civilian' }),
      said(REUTERS, 'r', 'PK', 2, { measure: 'injuries', category: 'civilian' }),
    ]);
    expect(r.totals.fatalities.civilian).toEqual({ low: 4, best: 4, high: 10 });
    expect(r.totals.injuries.civilian).toEqual({ low: 2, best: 2, high: 2 });
    expect(r.groups.map((g) => `${g.measure}/${g.side}`)).toEqual([
      'fatalities/AF',
      'fatalities/PK',
      'injuries/PK',
    ]);
  });

  it('validates claimed figures at the boundary', () => {
    const ok = said(REUTERS, 'r', 'PK', 4);
    expect(ClaimedFigureSchema.safeParse(ok).success).toBe(true);
    for (const value of [-1, 1.5, 1_000_001])
      expect(ClaimedFigureSchema.safeParse({ ...ok, figure: { ...ok.figure, value } }).success).toBe(false);
    expect(ClaimedFigureSchema.safeParse({ ...ok, publishedAt: '12 Oct' }).success).toBe(false);
  });
});

// Property tests: random groups from distinct sources (no revisions) unless stated.
const arbSpeaker = fc.record({
  kind: fc.constantFrom(...SourceKindSchema.options),
  affiliation: fc.constantFrom(null, 'PK', 'AF', 'TTP'),
});
const arbSide = fc.constantFrom('PK', 'AF', null);
const arbGroup = fc
  .tuple(
    arbSide,
    fc.array(
      fc.tuple(
        arbSpeaker,
        fc.oneof(fc.nat(60), fc.nat(1_000_000)),
        fc.constantFrom(...QualifierSchema.options),
      ),
      {
        minLength: 1,
        maxLength: 12,
      },
    ),
  )
  .map(([side, xs]) =>
    xs.map(([who, value, qualifier], i) =>
      said({ ...who, sourceId: `s${i}` }, `c${i}`, side, value, { qualifier }),
    ),
  );
const values = (cs: ClaimedFigure[], role: string) =>
  cs.filter((c) => classifyFigure(c) === role).map((c) => c.figure.value);
const sideOf = (cs: ClaimedFigure[]) => cs[0]?.figure.side ?? null;

describe('properties', () => {
  it('keeps low ≤ best ≤ high, high = max figure, basis = counted claims at each value, rule naming each value', () => {
    fc.assert(
      fc.property(arbGroup, (cs) => {
        const g = reconcileGroup(cs);
        expect(g.high).toBe(Math.max(...cs.map((c) => c.figure.value)));
        expect(g.low === null).toBe(g.best === null);
        if (g.low !== null && g.best !== null && g.high !== null)
          expect(g.low <= g.best && g.best <= g.high).toBe(true);
        for (const key of ['low', 'best', 'high'] as const) {
          const v = g[key];
          if (v !== null) expect(g.rule).toContain(`${key} ${v}`);
          expect(g.basis[key].length > 0).toBe(v !== null);
          for (const id of g.basis[key]) expect(cs.find((c) => c.claimId === id)?.figure.value).toBe(v);
        }
      }),
    );
  });

  it('never puts low below an admission', () => {
    fc.assert(
      fc.property(arbGroup, (cs) =>
        values(cs, 'admission').every((v) => (reconcileGroup(cs).low ?? -1) >= v),
      ),
    );
  });

  it('never lets boasts or other figures set low or best', () => {
    const isWeak = (c: ClaimedFigure) => ['boast', 'other'].includes(classifyFigure(c));
    fc.assert(
      fc.property(arbGroup, arbGroup, (base, extra) => {
        const weak = extra
          .map((c) => ({
            ...c,
            claimId: `w${c.claimId}`,
            sourceId: `w${c.sourceId}`,
            figure: { ...c.figure, side: sideOf(base) },
          }))
          .filter(isWeak);
        if (weak.length > 0) expect(range(reconcileGroup(weak))).toMatchObject({ low: null, best: null });
        const before = reconcileGroup(base);
        const after = reconcileGroup([...base, ...weak]);
        expect([after.low, after.best, after.disputed]).toEqual([before.low, before.best, before.disputed]);
      }),
    );
  });

  it('never lowers low by adding an independent figure, if none existed or it is not below the lowest', () => {
    fc.assert(
      fc.property(arbGroup, fc.nat(1_000_000), (cs, v) => {
        const independents = values(cs, 'independent');
        fc.pre(independents.length === 0 || v >= Math.min(...independents));
        const after = reconcileGroup([...cs, said(src('new', 'monitor'), 'new', sideOf(cs), v)]);
        expect(after.low ?? -1).toBeGreaterThanOrEqual(reconcileGroup(cs).low ?? 0);
      }),
    );
  });

  it('ignores a claim that the same source later revised', () => {
    fc.assert(
      fc.property(arbGroup, fc.nat(), fc.nat(1_000_000), (cs, pick, v) => {
        const revised = cs[pick % cs.length]!;
        const old = {
          ...revised,
          claimId: 'old',
          publishedAt: '2025-10-11T00:00:00Z',
          figure: { ...revised.figure, value: v },
        };
        const { superseded, ...withOld } = reconcileGroup([old, ...cs]);
        const { superseded: none, ...without } = reconcileGroup(cs);
        expect([superseded, none]).toEqual([['old'], []]);
        expect(withOld).toEqual({
          ...without,
          roles: { ...without.roles, old: without.roles[revised.claimId] },
        });
      }),
    );
  });

  it('ignores input order, with revisions and timestamp ties across many groups; totals sum the groups', () => {
    const arbClaims = fc
      .array(
        fc.tuple(
          fc.nat(4),
          arbSpeaker,
          fc.nat(3),
          fc.constantFrom(...MEASURES),
          fc.constantFrom(...FIGURE_CATEGORIES),
          arbSide,
          fc.nat(100),
        ),
        { maxLength: 25 },
      )
      .map((xs) =>
        xs.map(([source, who, hour, measure, category, side, value], i) =>
          said({ ...who, sourceId: `s${source}` }, `k${i}`, side, value, {
            measure,
            category,
            publishedAt: `2025-10-12T0${hour}:00:00Z`,
          }),
        ),
      );
    fc.assert(
      fc.property(
        arbClaims.chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length }))),
        ([cs, shuffled]) => {
          const r = reconcileFigures(cs);
          expect(reconcileFigures(shuffled)).toEqual(r);
          for (const m of MEASURES)
            for (const k of FIGURE_CATEGORIES) {
              const gs = r.groups.filter((g) => g.measure === m && g.category === k);
              const sum = (f: (g: GroupResult) => number | null) => gs.reduce((t, g) => t + (f(g) ?? 0), 0);
              const t = r.totals[m][k];
              expect(t).toEqual({
                low: sum((g) => g.low),
                best: sum((g) => g.best),
                high: sum((g) => g.high),
              });
              expect(t.low <= t.best && t.best <= t.high).toBe(true);
            }
          for (const g of r.groups)
            expect(
              Object.values(g.basis)
                .flat()
                .filter((id) => g.superseded.includes(id)),
            ).toEqual([]);
        },
      ),
    );
  });
});
