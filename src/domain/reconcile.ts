/**
 * Reconciles contested casualty figures into low / best / high per (measure, category, side),
 * following CODEBOOK § Reconciliation. Pure: the same claims, in any order, give the same result.
 *
 * The codebook's four rules, made precise (keep this block and the code in step):
 *
 * Roles (CODEBOOK § Reconciliation 1–3, § Parties: `affiliation` is the party a source speaks for):
 *   - admission:   affiliation !== null && affiliation === figure.side — a party's figure for its
 *                  own losses, an admission against interest, hence a credible low.
 *   - boast:       affiliation !== null && affiliation !== figure.side (side null included) — a
 *                  party's figure for anyone else's losses; at most a high.
 *   - independent: affiliation === null && kind ∈ {wire, monitor, ngo} — these set best.
 *   - other:       affiliation === null, any other kind (national_media, analyst, social_media, and
 *                  state_media / party_official recorded without an affiliation). The codebook gives
 *                  them no low or best role, so they only ever count toward high.
 * Revisions (CODEBOOK § Claims: a revision is a new claim, nothing is edited): within a group only
 *   the LATEST figure per sourceId counts — latest by publishedAt as an instant, a tie broken by the
 *   greater claimId (code-unit order). Superseded claims appear in no basis.
 * Qualifiers: 'more_than N', 'at_least N', 'about N' and 'up_to N' all count as N. The lower bounds
 *   are still a number the source stood behind; inventing N+1 would be a figure nobody reported.
 *   The qualifier only shows in `rule` as a mark ("200 (+)").
 * high = max of all counted figures (CODEBOOK rule 4).
 * low  = max(highest admission, lowest independent) over those that exist (rule 4); null when
 *        neither exists — a boast or an 'other' figure is never a low on its own (rule 2).
 * best = median of the independent figures (rule 3); for an even count the LOWER of the two middle
 *        values, so best is always a figure some source actually reported. Without independents,
 *        best = highest admission; without admissions either, best = low (which is then null).
 * Ordering: low ≤ best ≤ high wherever non-null. high ≥ both holds by construction (both are counted
 *   figures). If the rules give best < low (an admission above the independent median), best is
 *   raised to low and the group is `disputed`: the sources conflict (CODEBOOK rule 4).
 * Totals: per measure and category, the sum over sides of low, best and high, a null counting as 0.
 *   low and best are null together, and high is never null in a group, so sums stay ordered.
 */

import { z } from 'zod';
import { TruceError } from './errors.ts';
import {
  FIGURE_CATEGORIES,
  type FigureCategory,
  FigureSchema,
  MEASURES,
  type Measure,
  type Qualifier,
  type SourceKind,
  SourceKindSchema,
} from './figure.ts';

/** One figure of one claim, with what reconciliation needs to know about its source. */
export const ClaimedFigureSchema = z.object({
  claimId: z.string().min(1),
  sourceId: z.string().min(1),
  publishedAt: z.iso.datetime({ offset: true }),
  source: z.object({ kind: SourceKindSchema, affiliation: z.string().min(1).nullable() }),
  figure: FigureSchema,
});
export type ClaimedFigure = z.infer<typeof ClaimedFigureSchema>;

export type Role = 'admission' | 'boast' | 'independent' | 'other';
export type Range = { low: number | null; best: number | null; high: number | null };
export type Triple = { low: number; best: number; high: number };

export type GroupResult = Range & {
  measure: Measure;
  category: FigureCategory;
  side: string | null;
  disputed: boolean;
  /** One line naming which rule and which sources' roles produced low, best and high. */
  rule: string;
  /** Claim ids that set each value (every counted claim that ties for it); sorted. */
  basis: { low: string[]; best: string[]; high: string[] };
  /** Role of every claim in the group, superseded ones included. */
  roles: Record<string, Role>;
  /** Claims replaced by a later claim of the same source; sorted. */
  superseded: string[];
};

export type Totals = Record<Measure, Record<FigureCategory, Triple>>;
export type Reconciled = { groups: GroupResult[]; totals: Totals; disputed: boolean };

const INDEPENDENT_KINDS: ReadonlySet<SourceKind> = new Set<SourceKind>(['wire', 'monitor', 'ngo']);

const QUALIFIER_MARK: Record<Qualifier, string> = {
  exact: '',
  at_least: ' (+)',
  more_than: ' (+)',
  about: ' (~)',
  up_to: ' (≤)',
};

/** The role of a figure, from who said it and whose losses it counts (CODEBOOK rules 1–3). */
export function classifyFigure(claim: {
  source: { kind: SourceKind; affiliation: string | null };
  figure: { side: string | null };
}): Role {
  const { kind, affiliation } = claim.source;
  if (affiliation !== null) return affiliation === claim.figure.side ? 'admission' : 'boast';
  return INDEPENDENT_KINDS.has(kind) ? 'independent' : 'other';
}

/** Reconciles the figures of one group: all must share measure, category and side. */
export function reconcileGroup(figures: readonly ClaimedFigure[]): GroupResult {
  const first = figures[0];
  if (first === undefined) {
    throw new TruceError('invalid_input', 'reconcileGroup needs at least one figure', { field: 'figures' });
  }
  const { measure, category, side } = first.figure;
  const roles: Record<string, Role> = {};
  for (const [i, c] of figures.entries()) {
    if (c.figure.measure !== measure || c.figure.category !== category || c.figure.side !== side) {
      throw new TruceError('invalid_input', 'figures of one group must share measure, category and side', {
        field: `figures.${i}.figure`,
      });
    }
    if (c.claimId in roles) {
      throw new TruceError('invalid_input', `claim ${c.claimId} gives two figures for one group`, {
        field: `figures.${i}.claimId`,
      });
    }
    roles[c.claimId] = classifyFigure(c);
  }

  const { counted, superseded } = latestPerSource(figures);
  const admissions: ClaimedFigure[] = [];
  const independents: ClaimedFigure[] = [];
  for (const c of counted) {
    const role = roles[c.claimId];
    if (role === 'admission') admissions.push(c);
    else if (role === 'independent') independents.push(c);
  }
  independents.sort(byValue);

  const maxAdmission = maxValue(admissions);
  const minIndependent = independents[0]?.figure.value ?? null;
  // Lower middle for an even count: best stays a reported figure (see module comment).
  const median = independents[Math.floor((independents.length - 1) / 2)]?.figure.value ?? null;
  const high = maxValue(counted);
  const low = maxAdmission === null ? minIndependent : Math.max(maxAdmission, minIndependent ?? 0);
  const unraisedBest = median ?? maxAdmission ?? low;
  // CODEBOOK rule 4: low ≤ best must hold; when the rules break it, the sources conflict.
  const disputed = unraisedBest !== null && low !== null && unraisedBest < low;
  const best = disputed ? low : unraisedBest;

  const lowBasis = [
    ...(maxAdmission === low ? idsAt(admissions, low) : []),
    ...(minIndependent === low ? idsAt(independents, low) : []),
  ].sort(byCodeUnit);
  const bestBasis = disputed
    ? lowBasis
    : median !== null
      ? idsAt(independents, median)
      : maxAdmission !== null
        ? idsAt(admissions, maxAdmission)
        : lowBasis;
  const basis = { low: lowBasis, best: bestBasis, high: idsAt(counted, high) };

  const byId = new Map(counted.map((c) => [c.claimId, c]));
  const admitted = `${side ?? 'the party'}'s ${admissions.length > 1 ? 'highest admission' : 'admission'}`;

  const lowReason =
    maxAdmission === null
      ? 'lowest independent figure'
      : minIndependent === null
        ? admitted
        : maxAdmission === minIndependent
          ? `${admitted} = lowest independent figure`
          : maxAdmission > minIndependent
            ? `${admitted} (above lowest independent ${minIndependent})`
            : `lowest independent figure (above ${admitted} ${maxAdmission})`;
  const lowText =
    low === null
      ? 'low and best unknown (no admission or independent figure; a boast never sets them)'
      : `low ${shown(low, basis.low, byId)} = ${lowReason}`;

  let bestText: string | null = null;
  if (best !== null && disputed) {
    bestText = `best ${shown(best, basis.best, byId)} = low, raised from independent median ${median} (sources conflict: disputed)`;
  } else if (best !== null && median !== null) {
    const n = independents.length;
    const lower = n % 2 === 0 ? ', lower middle' : '';
    bestText = `best ${shown(best, basis.best, byId)} = median of ${n} independent figure${n === 1 ? '' : 's'}${lower}`;
  } else if (best !== null) {
    bestText = `best ${shown(best, basis.best, byId)} = highest admission (no independent figure)`;
  }

  const highRoles = [...new Set(basis.high.map((id) => describe(byId.get(id), roles[id])))].join(', ');
  const highText = `high ${shown(high ?? 0, basis.high, byId)} = max of all figures (${highRoles})`;
  const rule = [lowText, bestText, highText].filter((t) => t !== null).join('; ');

  return { measure, category, side, low, best, high, disputed, rule, basis, roles, superseded };
}

/** Reconciles every (measure, category, side) group and sums the groups per measure and category. */
export function reconcileFigures(figures: readonly ClaimedFigure[]): Reconciled {
  const byGroup = new Map<string, ClaimedFigure[]>();
  for (const c of figures) {
    const key = JSON.stringify([c.figure.measure, c.figure.category, c.figure.side]);
    const group = byGroup.get(key);
    if (group === undefined) byGroup.set(key, [c]);
    else group.push(c);
  }
  const groups = [...byGroup.values()].map(reconcileGroup).sort(compareGroups);

  const totals: Totals = { fatalities: zeroTotals(), injuries: zeroTotals() };
  for (const g of groups) {
    const t = totals[g.measure][g.category];
    // A null counts as 0: low and best are null together and high is never null in a group.
    t.low += g.low ?? 0;
    t.best += g.best ?? 0;
    t.high += g.high ?? 0;
  }
  return { groups, totals, disputed: groups.some((g) => g.disputed) };
}

function zeroTotals(): Record<FigureCategory, Triple> {
  return {
    military: { low: 0, best: 0, high: 0 },
    civilian: { low: 0, best: 0, high: 0 },
    militant: { low: 0, best: 0, high: 0 },
    unknown: { low: 0, best: 0, high: 0 },
  };
}

/** CODEBOOK § Claims: a revision is a new claim; only each source's latest one counts. */
function latestPerSource(figures: readonly ClaimedFigure[]): {
  counted: ClaimedFigure[];
  superseded: string[];
} {
  const latest = new Map<string, ClaimedFigure>();
  for (const c of figures) {
    const current = latest.get(c.sourceId);
    if (current === undefined || isLater(c, current)) latest.set(c.sourceId, c);
  }
  const counted = [...latest.values()].sort((a, b) => byCodeUnit(a.claimId, b.claimId));
  const kept = new Set(counted.map((c) => c.claimId));
  const superseded = figures
    .map((c) => c.claimId)
    .filter((id) => !kept.has(id))
    .sort(byCodeUnit);
  return { counted, superseded };
}

function isLater(a: ClaimedFigure, b: ClaimedFigure): boolean {
  // Compare instants, not strings: "+05:00" and "Z" timestamps do not sort lexically.
  const ta = Date.parse(a.publishedAt);
  const tb = Date.parse(b.publishedAt);
  return ta !== tb ? ta > tb : a.claimId > b.claimId;
}

/** The claims among `cs` whose figure is `value`, by id (code-unit order). */
function idsAt(cs: readonly ClaimedFigure[], value: number | null): string[] {
  const out: string[] = [];
  for (const c of cs) if (c.figure.value === value) out.push(c.claimId);
  return out.sort(byCodeUnit);
}

/** A value as the rule shows it: with its qualifier's mark when every claim behind it has the same one. */
function shown(value: number, basisIds: readonly string[], byId: ReadonlyMap<string, ClaimedFigure>): string {
  let only: Qualifier | undefined;
  for (const id of basisIds) {
    const qualifier = byId.get(id)?.figure.qualifier ?? 'exact';
    if (only === undefined) only = qualifier;
    else if (only !== qualifier) return `${value}`;
  }
  return `${value}${only !== undefined ? QUALIFIER_MARK[only] : ''}`;
}

function byValue(a: ClaimedFigure, b: ClaimedFigure): number {
  return a.figure.value - b.figure.value;
}

function maxValue(cs: readonly ClaimedFigure[]): number | null {
  return cs.length === 0 ? null : Math.max(...cs.map((c) => c.figure.value));
}

function describe(c: ClaimedFigure | undefined, role: Role | undefined): string {
  if (c === undefined || role === undefined) return 'unknown';
  if (role === 'admission') return `${c.figure.side}'s admission`;
  if (role === 'boast') return `${c.source.affiliation}'s boast`;
  return role === 'independent' ? `independent ${c.source.kind}` : `other: ${c.source.kind}`;
}

/** Locale-free order, so results do not depend on the machine's collation. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareGroups(a: GroupResult, b: GroupResult): number {
  return (
    MEASURES.indexOf(a.measure) - MEASURES.indexOf(b.measure) ||
    FIGURE_CATEGORIES.indexOf(a.category) - FIGURE_CATEGORIES.indexOf(b.category) ||
    (a.side === b.side ? 0 : a.side === null ? -1 : b.side === null ? 1 : byCodeUnit(a.side, b.side))
  );
}
