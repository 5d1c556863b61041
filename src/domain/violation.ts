/** When an incident is a candidate violation of an agreement, and how attributed violations are counted (CODEBOOK § Agreements and violations). */

export type AgreementWindow = {
  id: string;
  parties: readonly string[];
  startsAt: string;
  endsAt: string | null;
};
export type InForce = 'in_force' | 'boundary' | 'not_in_force';
export type Decision = 'attributed' | 'unattributable' | 'not_a_violation';

const DAY_MS = 86_400_000;
/**
 * The span of time an incident's date can mean: its day; for week precision the ISO week
 * (Monday–Sunday) containing it; for month precision its calendar month.
 */
export function incidentSpan(occurredOn: string, datePrecision: string): { start: number; end: number } {
  const day = new Date(`${occurredOn}T00:00:00Z`);
  if (datePrecision === 'week') {
    const start = day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS;
    return { start, end: start + 7 * DAY_MS };
  }
  if (datePrecision === 'month') {
    return {
      start: Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1),
      end: Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1),
    };
  }
  return { start: day.getTime(), end: day.getTime() + DAY_MS };
}

/**
 * `in_force` when the agreement covers the whole span of the incident's date; `boundary` when it
 * began or ended inside that span (a strike "as the 48-hour truce expired": the monitor decides
 * and records why); `not_in_force` otherwise.
 */
export function inForce(agreement: AgreementWindow, occurredOn: string, datePrecision = 'day'): InForce {
  const span = incidentSpan(occurredOn, datePrecision);
  const starts = Date.parse(agreement.startsAt);
  const ends = agreement.endsAt === null ? Number.POSITIVE_INFINITY : Date.parse(agreement.endsAt);
  if (ends <= span.start || starts >= span.end) return 'not_in_force';
  return starts <= span.start && ends >= span.end ? 'in_force' : 'boundary';
}

/** CODEBOOK: an incident during an agreement in force, whose actor belongs to a party to it, is a candidate violation by that party. */
export function isCandidate(
  agreement: AgreementWindow,
  incident: { occurredOn: string; datePrecision: string; actorParty: string | null },
): boolean {
  return (
    incident.actorParty !== null &&
    agreement.parties.includes(incident.actorParty) &&
    inForce(agreement, incident.occurredOn, incident.datePrecision) !== 'not_in_force'
  );
}

/** ISO-8601 week of a day, e.g. 2025-W42: the unit penalty decisions count in. */
export function isoWeek(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  // The ISO week belongs to the year of its Thursday.
  date.setUTCDate(date.getUTCDate() + 4 - (date.getUTCDay() || 7));
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export type RegisterRow = { partyId: string; week: string; count: number; incidentIds: string[] };

/** Counts of attributed violations per party per ISO week, with the incidents behind each count. */
export function violationRegister(
  attributed: readonly { partyId: string; incidentId: string; occurredOn: string }[],
): RegisterRow[] {
  const rows = new Map<string, RegisterRow>();
  for (const a of attributed) {
    const week = isoWeek(a.occurredOn);
    const key = `${a.partyId}|${week}`;
    const row = rows.get(key) ?? { partyId: a.partyId, week, count: 0, incidentIds: [] };
    if (!row.incidentIds.includes(a.incidentId)) {
      row.incidentIds.push(a.incidentId);
      row.count += 1;
    }
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (x, y) => x.week.localeCompare(y.week) || x.partyId.localeCompare(y.partyId),
  );
}
