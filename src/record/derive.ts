/** Recomputes what an incident derives from its claims: reconciled figures and automatic status moves. */
import type { Transaction } from 'kysely';
import { type ClaimFacts, figuresOf } from '../domain/incidentFigures.ts';
import { automaticMove, type Corroboration, corroboration, type Status } from '../domain/verification.ts';
import type { Database, IncidentRow, StatusChangeRow } from '../store/schema.ts';
import { newId } from './ids.ts';

/** The columns of a claim and its source that reconciling an incident's figures reads (ClaimFacts). */
export const CLAIM_FACTS = [
  'claims.id',
  'claims.source_id',
  'claims.published_at',
  'claims.figures',
  'claims.asserted',
  'sources.kind',
  'sources.affiliation',
] as const;

/** Claims on the incident and on every incident merged into it (merges keep both; the kept one speaks for all). */
async function claimFacts(trx: Transaction<Database>, incidentId: string): Promise<ClaimFacts[]> {
  return (
    trx
      .selectFrom('claims')
      .innerJoin('sources', 'sources.id', 'claims.source_id')
      .select(CLAIM_FACTS)
      // An IN over the (indexed) family of incidents, not an OR across a join: that one scans every claim.
      .where('claims.incident_id', 'in', (eb) =>
        eb
          .selectFrom('incidents')
          .select('id')
          .where((w) => w.or([w('id', '=', incidentId), w('merged_into', '=', incidentId)])),
      )
      .orderBy('claims.id')
      .execute()
  );
}

/** CODEBOOK § Verification, computed from the claims: the beneficiary is the target's party. */
export async function corroborationOf(
  trx: Transaction<Database>,
  incident: IncidentRow,
  claims?: readonly ClaimFacts[],
): Promise<Corroboration> {
  const facts = claims ?? (await claimFacts(trx, incident.id));
  const beneficiary = incident.target_id
    ? ((
        await trx
          .selectFrom('actors')
          .select('party_id')
          .where('id', '=', incident.target_id)
          .executeTakeFirst()
      )?.party_id ?? null)
    : null;
  return corroboration(
    facts.map((c) => ({ id: c.source_id, affiliation: c.affiliation })),
    beneficiary,
  );
}

export type Derived = { incident: IncidentRow; statusChange: Omit<StatusChangeRow, 'ledger_seq'> | null };

export async function deriveIncident(
  trx: Transaction<Database>,
  incident: IncidentRow,
  now: string,
  /** A claim being added in this same entry, not yet written. */
  pending?: ClaimFacts,
): Promise<Derived> {
  const claims = await claimFacts(trx, incident.id);
  if (pending) claims.push(pending);
  const figures = figuresOf(claims);

  const corroborated = await corroborationOf(trx, incident, claims);

  const move = automaticMove(incident.status as Status, {
    figuresDisputed: figures.figures_disputed,
    asserted: claims.map((c) => c.asserted as { type?: string; actorId?: string; happened?: boolean }),
    corroboration: corroborated,
  });
  const to = move?.to ?? null;
  const reason = move?.reason ?? '';

  const next: IncidentRow = {
    ...incident,
    ...figures,
    status: to ?? incident.status,
    updated_at: now,
  };
  const statusChange = to ? automaticStatusChange(incident.id, incident.status, to, reason, now) : null;
  return { incident: next, statusChange };
}

/** The status_changes row of a move the rules made (not a monitor): by `system`, without evidence. */
export function automaticStatusChange(
  incidentId: string,
  from: string,
  to: string,
  reason: string,
  at: string,
) {
  return {
    id: newId('stc'),
    incident_id: incidentId,
    from_status: from,
    to_status: to,
    reason,
    evidence: [],
    changed_by: 'system',
    changed_at: at,
  };
}
