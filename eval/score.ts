/** Scores extraction against gold annotations: precision, recall and F1 for incidents and for each field. */
import { daysBetween } from '../src/ingest/dates.ts';
import type { Extraction } from '../src/ingest/proposal.ts';
import { TYPE_FAMILY } from '../src/ingest/triggers.ts';

export type GoldFigure = [string, string, string | null, number, string, string];
export type GoldIncident = {
  type: keyof typeof TYPE_FAMILY;
  date: string;
  precision: 'day' | 'week' | 'month';
  place: string | null;
  actor: string | null;
  casualties: GoldFigure[];
  /** Sources that deny the incident happened at all (claims with asserted.happened = false). */
  denied_by?: string[];
};
export type GoldAccord = { kind: string; date: string; precision: string; venue: string | null };
export type GoldDocument = {
  file: string;
  published?: string;
  outlet?: string;
  incidents: GoldIncident[];
  accords: GoldAccord[];
};

export type Counts = { tp: number; fp: number; fn: number };
export const FIELDS = [
  'incidents',
  'type',
  'date',
  'place',
  'actor',
  'casualties+claimant',
  'denials',
  'accords',
] as const;
export type Field = (typeof FIELDS)[number];
export type Tally = Record<Field, Counts>;

export function emptyTally(): Tally {
  return Object.fromEntries(FIELDS.map((f) => [f, { tp: 0, fp: 0, fn: 0 }])) as Tally;
}

const TOLERANCE = { day: 1, week: 7, month: 31 } as const;

function dateOk(gold: { date: string; precision: keyof typeof TOLERANCE }, day: string): boolean {
  return Math.abs(daysBetween(gold.date, day)) <= (gold.precision === 'day' ? 0 : TOLERANCE[gold.precision]);
}

/** Gold and proposed incidents pair when the type family agrees, the date is within tolerance and the place does not contradict. */
function pairs(gold: GoldIncident[], found: Extraction['incidents']): [number, number][] {
  const out: [number, number][] = [];
  const used = new Set<number>();
  gold.forEach((g, gi) => {
    let best = -1;
    let bestScore = -1;
    found.forEach((p, pi) => {
      if (used.has(pi) || TYPE_FAMILY[g.type] !== TYPE_FAMILY[p.type.value]) return;
      if (
        Math.abs(daysBetween(g.date, p.date.value.day)) >
        Math.max(TOLERANCE[g.precision], TOLERANCE[p.date.value.precision])
      )
        return;
      const placeId = p.place?.value.placeId ?? null;
      const samePlace = g.place === placeId;
      if (g.place && placeId && !samePlace && g.place.slice(0, 2) !== placeId.slice(0, 2)) return;
      const score = (samePlace ? 2 : 0) + (g.type === p.type.value ? 1 : 0);
      if (score > bestScore) {
        best = pi;
        bestScore = score;
      }
    });
    if (best >= 0) {
      used.add(best);
      out.push([gi, best]);
    }
  });
  return out;
}

const key = (f: GoldFigure) => f.join('|');

export function scoreDocument(gold: GoldDocument, found: Extraction, tally: Tally): void {
  const matched = pairs(gold.incidents, found.incidents);
  const goldHit = new Set(matched.map(([g]) => g));
  const foundHit = new Set(matched.map(([, p]) => p));
  tally.incidents.tp += matched.length;
  tally.incidents.fn += gold.incidents.length - matched.length;
  tally.incidents.fp += found.incidents.length - matched.length;
  const field = (name: Field, goldValue: unknown, foundValue: unknown, ok: boolean) => {
    if (goldValue === null || goldValue === undefined) {
      return;
    }
    if (ok) tally[name].tp++;
    else {
      tally[name].fn++;
      if (foundValue !== null && foundValue !== undefined) tally[name].fp++;
    }
  };
  for (const [gi, pi] of matched) {
    const g = gold.incidents[gi]!;
    const p = found.incidents[pi]!;
    field('type', g.type, p.type.value, g.type === p.type.value);
    field('date', g.date, p.date.value.day, dateOk(g, p.date.value.day));
    field('place', g.place, p.place?.value.placeId, g.place === (p.place?.value.placeId ?? null));
    field('actor', g.actor, p.actor?.value, g.actor === (p.actor?.value ?? null));
  }
  // Unmatched gold incidents lose every field they have; unmatched proposals count as wrong fields.
  gold.incidents.forEach((g, gi) => {
    if (goldHit.has(gi)) return;
    for (const [name, v] of [
      ['type', g.type],
      ['date', g.date],
      ['place', g.place],
      ['actor', g.actor],
    ] as const)
      if (v) tally[name].fn++;
  });
  found.incidents.forEach((p, pi) => {
    if (foundHit.has(pi)) return;
    tally.type.fp++;
    tally.date.fp++;
    if (p.place) tally.place.fp++;
    if (p.actor) tally.actor.fp++;
  });
  // Casualties: (measure, category, side, value, qualifier, claimant) tuples on the paired incident.
  const figuresOf = (pi: number) =>
    found.incidents[pi]!.claims.flatMap((c) =>
      c.figures.map((f): GoldFigure => [f.measure, f.category, f.side, f.value, f.qualifier, c.source.id]),
    );
  const pairOf = new Map(matched);
  gold.incidents.forEach((g, gi) => {
    const pi = pairOf.get(gi);
    const mine = new Set(pi === undefined ? [] : figuresOf(pi).map(key));
    for (const f of g.casualties)
      if (mine.has(key(f))) tally['casualties+claimant'].tp++;
      else tally['casualties+claimant'].fn++;
  });
  found.incidents.forEach((_, pi) => {
    const gi = matched.find(([, p]) => p === pi)?.[0];
    const theirs = new Set(gi === undefined ? [] : gold.incidents[gi]!.casualties.map(key));
    for (const f of figuresOf(pi)) if (!theirs.has(key(f))) tally['casualties+claimant'].fp++;
  });
  // Denials: (incident, source) pairs where the source says the incident did not happen.
  const deniersOf = (pi: number) =>
    new Set(found.incidents[pi]!.claims.filter((c) => c.asserted.happened === false).map((c) => c.source.id));
  gold.incidents.forEach((g, gi) => {
    const pi = pairOf.get(gi);
    const mine = pi === undefined ? new Set<string>() : deniersOf(pi);
    for (const id of g.denied_by ?? [])
      if (mine.has(id)) tally.denials.tp++;
      else tally.denials.fn++;
  });
  found.incidents.forEach((_, pi) => {
    const gi = matched.find(([, p]) => p === pi)?.[0];
    const theirs = new Set(gi === undefined ? [] : (gold.incidents[gi]!.denied_by ?? []));
    for (const id of deniersOf(pi)) if (!theirs.has(id)) tally.denials.fp++;
  });
  // Accords: kind and date (within tolerance), venue when gold has one.
  const usedAccords = new Set<number>();
  for (const g of gold.accords) {
    const hit = found.accords.findIndex(
      (a, i) =>
        !usedAccords.has(i) &&
        a.kind === g.kind &&
        dateOk({ date: g.date, precision: g.precision as 'day' }, a.date.value.day) &&
        (g.venue === null || a.venue?.value === g.venue),
    );
    if (hit >= 0) {
      usedAccords.add(hit);
      tally.accords.tp++;
    } else tally.accords.fn++;
  }
  tally.accords.fp += found.accords.length - usedAccords.size;
}

export function addTally(into: Tally, from: Tally): void {
  for (const f of FIELDS) {
    into[f].tp += from[f].tp;
    into[f].fp += from[f].fp;
    into[f].fn += from[f].fn;
  }
}

export function prf(c: Counts): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
