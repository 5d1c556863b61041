/** What the early-warning analyses need of an incident and of a retaliation link, independent of the database. */
import type { IncidentType } from '../domain/incident.ts';

export type WarningIncident = {
  id: string;
  title: string;
  type: IncidentType | string;
  /** occurred_on, YYYY-MM-DD */
  day: string;
  lat: number | null;
  lon: number | null;
  /** ISO country of the place, when known. */
  country: string | null;
  actorId: string | null;
  /** The actor's party when that party is a belligerent (a side); null otherwise (TTP, unknown, …). */
  side: string | null;
  status: string;
  /** Reconciled best fatalities, as the viewer may see them. */
  fatalitiesBest: number;
};

/** A retaliation link on the record (CODEBOOK: `retaliation_for`): incidentId answers answersId. */
export type ExplicitLink = {
  incidentId: string;
  answersId: string;
  basis: string;
  reason: string;
};

/**
 * The incident types that are violence by one side against another, the events the Hawkes model
 * counts and the chains connect. Crossing closures and reopenings are decisions, not attacks:
 * they enter the escalation index, not the model of who answers whom.
 */
export const VIOLENT_TYPES: readonly string[] = [
  'airstrike',
  'drone_strike',
  'shelling',
  'armed_clash',
  'militant_attack',
];

/** Refuted incidents did not happen as claimed (CODEBOOK § Verification); no analysis counts them. */
export function isCounted(incident: WarningIncident): boolean {
  return incident.status !== 'refuted';
}
