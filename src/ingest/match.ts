/**
 * Matching a proposed incident to one already on the record, and storing how a claim was placed.
 *
 * A match needs all of: the same type family (triggers.ts TYPE_FAMILY); dates within ±1 day
 * (±7 for a week, ±31 for a month, on either side); the same place, ≤ 25 km apart, the same
 * district, or one a province/country containing the other; and compatible actors (equal, or
 * either not known). An unplaced proposal matches only the same type on the same day.
 * Score = 0.35·type + 0.30·date + 0.25·place + 0.10·actor, each in [0, 1]; the best score wins.
 */
import type { Kysely, Transaction } from 'kysely';
import { haversineKm } from '../gazetteer/geo.ts';
import { newId } from '../record/ids.ts';
import type { RecordTx } from '../record/transaction.ts';
import type { Database, IncidentRow } from '../store/schema.ts';
import { addDays, daysBetween } from './dates.ts';
import type { ProposedIncident } from './proposal.ts';
import { TYPE_FAMILY } from './triggers.ts';

export const MATCH_RADIUS_KM = 25;

export type Located = {
  lat: number;
  lon: number;
  country: string;
  admin1: string | null;
  admin2: string | null;
  geoPrecision: number;
  placeId: string;
};
export type Match = { incidentId: string; score: number; reason: string };

const WINDOW = { day: 1, week: 7, month: 31 } as const;

function windowOf(precision: string): number {
  return WINDOW[precision as keyof typeof WINDOW] ?? 1;
}

function placeFit(at: Located, row: IncidentRow): { score: number; reason: string } | null {
  if (row.place_id && row.place_id === at.placeId) return { score: 1, reason: `same place ${at.placeId}` };
  if (row.lat === null || row.lon === null) return null;
  const km = haversineKm(at.lat, at.lon, row.lat, row.lon);
  if (km <= MATCH_RADIUS_KM)
    return { score: 1 - (0.5 * km) / MATCH_RADIUS_KM, reason: `${km.toFixed(1)} km apart` };
  if (at.admin2 && row.admin2 === at.admin2 && row.admin1 === at.admin1)
    return { score: 0.5, reason: `same district ${at.admin2}` };
  // A province- or country-level record is compatible with anything inside it.
  const rowContains =
    row.geo_precision === 3 && (row.admin1 !== null ? row.admin1 === at.admin1 : row.country === at.country);
  const atContains =
    at.geoPrecision === 3 && (at.admin1 !== null ? at.admin1 === row.admin1 : at.country === row.country);
  if (rowContains || atContains) return { score: 0.4, reason: 'one place contains the other' };
  return null;
}

/** Scores one existing incident against a proposal; null when a gate fails. */
export function scoreMatch(proposal: ProposedIncident, at: Located | null, row: IncidentRow): Match | null {
  const type = proposal.type.value;
  if (TYPE_FAMILY[type] !== TYPE_FAMILY[row.type as keyof typeof TYPE_FAMILY]) return null;
  const days = Math.abs(daysBetween(proposal.date.value.day, row.occurred_on));
  const window = Math.max(windowOf(proposal.date.value.precision), windowOf(row.date_precision));
  if (days > window) return null;
  const actor = proposal.actor?.value ?? null;
  const known = (id: string | null) => id !== null && id !== 'unknown';
  if (known(actor) && known(row.actor_id) && actor !== row.actor_id) return null;
  let place: { score: number; reason: string } | null;
  if (at) place = placeFit(at, row);
  else
    place =
      type === row.type && days === 0 ? { score: 0.3, reason: 'no place read; same type and day' } : null;
  if (!place) return null;
  const typeScore = type === row.type ? 1 : 0.6;
  const dateScore = 1 - days / (window + 1);
  const actorScore = known(actor) && actor === row.actor_id ? 1 : 0.5;
  const score =
    Math.round((0.35 * typeScore + 0.3 * dateScore + 0.25 * place.score + 0.1 * actorScore) * 1000) / 1000;
  const reason = [
    type === row.type ? `same type ${type}` : `same family (${type} ~ ${row.type})`,
    days === 0
      ? `same day ${row.occurred_on}`
      : `${days} day(s) apart (${proposal.date.value.day} / ${row.occurred_on})`,
    place.reason,
    known(actor) && actor === row.actor_id ? `same actor ${actor}` : 'actor not contradicted',
  ].join('; ');
  return { incidentId: row.id, score, reason };
}

/** The best-scoring live incident that matches, if any. */
export async function findMatch(
  db: Kysely<Database> | Transaction<Database>,
  proposal: ProposedIncident,
  at: Located | null,
): Promise<Match | null> {
  const { day, precision } = proposal.date.value;
  const reach = Math.max(windowOf(precision), WINDOW.month);
  const family = TYPE_FAMILY[proposal.type.value];
  const types = Object.entries(TYPE_FAMILY)
    .filter(([, f]) => f === family)
    .map(([t]) => t);
  const rows = await db
    .selectFrom('incidents')
    .selectAll()
    .where('merged_into', 'is', null)
    .where('type', 'in', types)
    .where('occurred_on', '>=', addDays(day, -reach))
    .where('occurred_on', '<=', addDays(day, reach))
    .orderBy('id')
    .limit(500)
    .execute();
  let best: Match | null = null;
  for (const row of rows) {
    const match = scoreMatch(proposal, at, row);
    if (match && (!best || match.score > best.score)) best = match;
  }
  return best;
}

export type MatchRecord = {
  documentId: string;
  claimId: string;
  incidentId: string;
  decision: 'matched' | 'created';
  score: number | null;
  reason: string;
};

/** Stores how a claim was placed (matched with its score and reason, or a new incident), as its own ledger entry. */
export async function recordMatch(tx: RecordTx, match: MatchRecord): Promise<string> {
  const row = {
    id: newId('match'),
    document_id: match.documentId,
    claim_id: match.claimId,
    incident_id: match.incidentId,
    decision: match.decision,
    score: match.score,
    reason: match.reason,
    created_at: new Date().toISOString(),
  };
  await tx.commit(
    'ingest.matched',
    { matchId: row.id, claimId: match.claimId, incidentId: match.incidentId, documentId: match.documentId },
    [{ op: 'insert', table: 'ingest_matches', row }],
  );
  return row.id;
}
