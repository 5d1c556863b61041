/** A monitor's attribution of a candidate violation: attributed, unattributable or not a violation, with reasoning. */
import { z } from 'zod';
import { TruceError } from '../domain/errors.ts';
import { IdSchema, PartyCodeSchema, text } from '../domain/text.ts';
import { inForce } from '../domain/violation.ts';
import type { ViolationAttributionRow } from '../store/schema.ts';
import { newId } from './ids.ts';
import { mustExist } from './lookup.ts';
import { parseInput } from './parse.ts';
import { mutation, type RecordTx } from './transaction.ts';

export const AttributionInputSchema = z.object({
  incidentId: IdSchema,
  agreementId: IdSchema,
  decision: z.enum(['attributed', 'unattributable', 'not_a_violation']),
  /** Defaults to the party of the incident's actor; must be a party to the agreement. */
  partyId: PartyCodeSchema.optional(),
  reasoning: text(5000),
});

export async function insertAttribution(tx: RecordTx, input: unknown): Promise<ViolationAttributionRow> {
  const parsed = parseInput(AttributionInputSchema, input);
  const incident = await mustExist(tx.trx, 'incidents', parsed.incidentId, 'incidentId');
  if (incident.merged_into) {
    throw new TruceError('conflict', `incidentId: merged into ${incident.merged_into}; attribute that one`, {
      field: 'incidentId',
    });
  }
  const agreement = await mustExist(tx.trx, 'agreements', parsed.agreementId, 'agreementId');
  const parties = agreement.parties as string[];
  const window = { id: agreement.id, parties, startsAt: agreement.starts_at, endsAt: agreement.ends_at };
  if (inForce(window, incident.occurred_on, incident.date_precision) === 'not_in_force') {
    throw new TruceError(
      'conflict',
      `agreementId: ${agreement.name} was not in force on ${incident.occurred_on}`,
      { field: 'agreementId' },
    );
  }
  const actorParty = incident.actor_id
    ? ((
        await tx.trx
          .selectFrom('actors')
          .select('party_id')
          .where('id', '=', incident.actor_id)
          .executeTakeFirst()
      )?.party_id ?? null)
    : null;
  const partyId = parsed.partyId ?? actorParty;
  if (!partyId) {
    throw new TruceError(
      'invalid_input',
      'partyId: the actor belongs to no party; name the party you attribute to',
      { field: 'partyId' },
    );
  }
  if (!parties.includes(partyId)) {
    throw new TruceError('invalid_input', `partyId: ${partyId} is not a party to ${agreement.name}`, {
      field: 'partyId',
    });
  }
  const row = {
    id: newId('vat'),
    incident_id: incident.id,
    agreement_id: agreement.id,
    party_id: partyId,
    decision: parsed.decision,
    reasoning: parsed.reasoning,
    decided_by: tx.by,
    decided_at: new Date().toISOString(),
  };
  const { seq } = await tx.commit(
    'violation.attributed',
    { incidentId: incident.id, agreementId: agreement.id, partyId, decision: parsed.decision },
    [{ op: 'insert', table: 'violation_attributions', row }],
  );
  return { ...row, ledger_seq: seq };
}

export const attributeViolation = mutation(insertAttribution);
