/**
 * The daily escalation index: a documented weighted sum over each day's incidents, and its
 * 7-day trailing mean. Every term is non-negative, so an added incident never lowers a day.
 */
import type { IncidentType } from '../domain/incident.ts';
import { type ExplicitLink, isCounted, VIOLENT_TYPES, type WarningIncident } from './incident.ts';
import { dayIndex, dayString } from './timeline.ts';

/**
 * Severity of each incident type (CODEBOOK § Incidents). Air and drone strikes rank highest: they
 * reach deep into the other state and the 2025 escalations began with them; shelling, clashes and
 * militant attacks are the bulk of border violence; a crossing closure is not violence but is the
 * first economic step of escalation (civilians stranded, trade stopped). A reopening is
 * de-escalation and scores 0 rather than negative, so the index stays monotone: de-escalation
 * shows as the index falling back, not as a subtraction that could hide an attack the same day.
 */
export const SEVERITY: Readonly<Record<IncidentType, number>> = {
  airstrike: 3,
  drone_strike: 2.5,
  shelling: 2,
  armed_clash: 2,
  militant_attack: 2,
  crossing_closure: 1,
  crossing_reopening: 0,
  other: 0.5,
};

export const WEIGHTS = {
  /** × log1p(best fatalities): the tenth death adds far less than the first, and a boast cannot dominate. */
  fatalities: 1,
  /**
   * A violent incident by one side on the other side's territory (the place's country is the other
   * side's code). Crossing closures never get it: a crossing sits on the border and is coded to
   * one country or the other, which says nothing about who crossed what.
   */
  crossBorder: 1.5,
  /** An incident on the record as answering another (an explicit retaliation link): the spiral itself. */
  retaliation: 1,
} as const;

/** Days in the trailing mean. */
export const SMOOTHING_DAYS = 7;

export type Components = { severity: number; fatalities: number; crossBorder: number; retaliation: number };

export type EscalationDay = {
  day: string;
  index: number;
  /** Mean of the index over this day and the six before it. */
  smoothed: number;
  incidents: number;
  /** The index restricted to each side's incidents (incidents without a side count only in the total). */
  bySide: Record<string, number>;
  components: Components;
};

/** One incident's contribution, term by term (all ≥ 0). */
export function incidentScore(
  incident: WarningIncident,
  sides: readonly string[],
  answersAnother: boolean,
): Components {
  const other = incident.side === null ? [] : sides.filter((s) => s !== incident.side);
  return {
    severity: SEVERITY[incident.type as IncidentType] ?? SEVERITY.other,
    fatalities: WEIGHTS.fatalities * Math.log1p(Math.max(0, incident.fatalitiesBest)),
    crossBorder:
      VIOLENT_TYPES.includes(incident.type) && incident.country !== null && other.includes(incident.country)
        ? WEIGHTS.crossBorder
        : 0,
    retaliation: answersAnother ? WEIGHTS.retaliation : 0,
  };
}

const total = (c: Components) => c.severity + c.fatalities + c.crossBorder + c.retaliation;

/**
 * The index for every day from `from` to `to` inclusive (days without incidents are 0). Incidents
 * from the six days before `from` are used for the smoothed value when given. Refuted incidents
 * do not count. Incidents dated to a week or month count on their recorded day.
 */
export function escalationIndex(
  incidents: readonly WarningIncident[],
  links: readonly ExplicitLink[],
  sides: readonly string[],
  from: string,
  to: string,
): EscalationDay[] {
  const first = dayIndex(from);
  const last = dayIndex(to);
  if (last < first) return [];
  const lead = SMOOTHING_DAYS - 1;
  const length = last - first + 1 + lead;
  const answering = new Set(links.map((l) => l.incidentId));
  const days = Array.from({ length }, () => ({
    index: 0,
    incidents: 0,
    bySide: Object.fromEntries(sides.map((s) => [s, 0])) as Record<string, number>,
    components: { severity: 0, fatalities: 0, crossBorder: 0, retaliation: 0 } as Components,
  }));
  for (const incident of incidents) {
    if (!isCounted(incident)) continue;
    const d = dayIndex(incident.day) - first + lead;
    if (d < 0 || d >= length) continue;
    const score = incidentScore(incident, sides, answering.has(incident.id));
    const slot = days[d]!;
    const value = total(score);
    slot.index += value;
    slot.incidents += 1;
    if (incident.side !== null && incident.side in slot.bySide) slot.bySide[incident.side]! += value;
    for (const key of Object.keys(score) as (keyof Components)[]) slot.components[key] += score[key];
  }
  const out: EscalationDay[] = [];
  for (let d = lead; d < length; d++) {
    // Summed afresh rather than as a running sum, so rounding never makes a quiet week negative.
    let window = 0;
    for (let back = d - lead; back <= d; back++) window += days[back]!.index;
    out.push({ day: dayString(first + d - lead), smoothed: window / SMOOTHING_DAYS, ...days[d]! });
  }
  return out;
}
