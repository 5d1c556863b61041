/**
 * Retaliation chains: the links on the record, plus inferred candidates — an incident by the other
 * side soon after and near another — each with a score and the reason, for a monitor to confirm.
 */
import { haversineKm } from '../gazetteer/geo.ts';
import { type ExplicitLink, isCounted, VIOLENT_TYPES, type WarningIncident } from './incident.ts';
import { dayIndex } from './timeline.ts';

export type ChainOptions = {
  /** B must fall within this many days after A (same day included); default 3. */
  maxDays?: number;
  /** …and within this distance of it; default 50 km. */
  maxKm?: number;
  /** Incident types that can be links of a chain; default the violent ones. */
  types?: readonly string[];
};

export const DEFAULT_CHAIN_OPTIONS = { maxDays: 3, maxKm: 50 } as const;

/** Words by which a source says an incident answers another; "retaliat" covers retaliation/retaliatory. */
export const RETALIATION_WORDING = /retaliat|in response|revenge/gi;

/** The retaliation wording a text contains, lower-cased and deduplicated. */
export function retaliationWords(text: string): string[] {
  return [...new Set([...text.matchAll(RETALIATION_WORDING)].map((m) => m[0].toLowerCase()))];
}

export type InferredLink = {
  /** B: the incident that may answer… */
  incidentId: string;
  /** …A, the earlier incident by the other side. */
  answersId: string;
  /** 0 … 1; candidates whose claims use retaliation wording score 0.4 … 1, others 0 … 0.6. */
  score: number;
  days: number;
  km: number;
  wording: string[];
  reason: string;
};

/**
 * Score = 0.6 × proximity + 0.4 × wording, proximity = the mean of (1 − days/(maxDays + 1)) and
 * (1 − km/maxKm). Proximity alone cannot reach the score of a candidate a source calls
 * retaliation: nearness in time and space is what any two incidents in a hot border sector
 * share, while a source saying "in response" is evidence about this pair. Same-day pairs are
 * considered in both directions, since the order within a day is not known; a pair already
 * linked on the record (either way) is not offered again.
 */
export function inferChains(
  incidents: readonly WarningIncident[],
  explicit: readonly ExplicitLink[],
  wording: ReadonlyMap<string, readonly string[]>,
  options: ChainOptions = {},
): InferredLink[] {
  const maxDays = options.maxDays ?? DEFAULT_CHAIN_OPTIONS.maxDays;
  const maxKm = options.maxKm ?? DEFAULT_CHAIN_OPTIONS.maxKm;
  const types = new Set(options.types ?? VIOLENT_TYPES);
  const linked = new Set(
    explicit.flatMap((l) => [`${l.incidentId}|${l.answersId}`, `${l.answersId}|${l.incidentId}`]),
  );
  const usable = incidents
    .filter((i) => isCounted(i) && i.side !== null && i.lat !== null && i.lon !== null && types.has(i.type))
    .map((i) => ({ incident: i, day: dayIndex(i.day) }))
    .sort((a, b) => a.day - b.day);
  const out: InferredLink[] = [];
  let sameDay = 0;
  for (let a = 0; a < usable.length; a++) {
    const first = usable[a]!;
    while (usable[sameDay]!.day < first.day) sameDay += 1;
    for (let b = sameDay; b < usable.length; b++) {
      const second = usable[b]!;
      const days = second.day - first.day;
      if (days > maxDays) break;
      const A = first.incident;
      const B = second.incident;
      if (A.side === B.side || linked.has(`${B.id}|${A.id}`)) continue;
      const km = haversineKm(A.lat!, A.lon!, B.lat!, B.lon!);
      if (km > maxKm) continue;
      const words = [...(wording.get(B.id) ?? [])];
      const proximity = (1 - days / (maxDays + 1) + (1 - km / maxKm)) / 2;
      const score = 0.6 * proximity + (words.length > 0 ? 0.4 : 0);
      out.push({
        incidentId: B.id,
        answersId: A.id,
        score: Math.round(score * 1000) / 1000,
        days,
        km: Math.round(km * 10) / 10,
        wording: words,
        reason:
          `${B.type} by ${B.actorId} (${B.side}) ${days === 0 ? 'the same day as' : `${days} day(s) after`} ` +
          `${A.type} by ${A.actorId} (${A.side}), ${km.toFixed(1)} km away` +
          (words.length > 0 ? `; its claims say "${words.join('", "')}"` : ''),
      });
    }
  }
  return out.sort((x, y) => y.score - x.score || x.incidentId.localeCompare(y.incidentId));
}
