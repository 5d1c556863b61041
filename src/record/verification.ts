/** Status changes, retaliation links and merges: a monitor's decisions on incidents, each with who and why. */
import { z } from 'zod';
import { ReasonSchema } from '../domain/claim.ts';
import { TruceError } from '../domain/errors.ts';
import { IdSchema } from '../domain/text.ts';
import { assertMove, type Status, StatusSchema } from '../domain/verification.ts';
import type { IncidentRow, MergeRow, RetaliationLinkRow, StatusChangeRow } from '../store/schema.ts';
import { corroborationOf, deriveIncident } from './derive.ts';
import { newId } from './ids.ts';
import { mustExist } from './lookup.ts';
import { parseInput } from './parse.ts';
import { mutation, type RecordTx, type Write } from './transaction.ts';

/** Evidence is a list of pointers: documents, claims, files by hash, or a URL with a note. */
export const EvidenceSchema = z
  .array(
    z.object({
      kind: z.enum(['document', 'claim', 'file', 'imagery', 'field_report', 'url']),
      ref: z.string().min(1).max(2000),
      note: z.string().max(2000).optional(),
    }),
  )
  .max(100)
  .default([]);

export const StatusChangeInputSchema = z.object({
  incidentId: IdSchema,
  to: StatusSchema,
  reason: ReasonSchema,
  evidence: EvidenceSchema,
});

export async function insertStatusChange(
  tx: RecordTx,
  input: unknown,
): Promise<{ incident: IncidentRow; change: StatusChangeRow }> {
  const parsed = parseInput(StatusChangeInputSchema, input);
  const incident = await mustExist(tx.trx, 'incidents', parsed.incidentId, 'incidentId');
  if (incident.merged_into) {
    throw new TruceError('conflict', `incidentId: merged into ${incident.merged_into}; decide on that one`, {
      field: 'incidentId',
    });
  }
  assertMove(incident.status as Status, parsed.to, { evidence: parsed.evidence.length });
  if (parsed.to === 'corroborated') {
    // Corroboration is computed from claims, not declared.
    const found = await corroborationOf(tx.trx, incident);
    if (!found.corroborated) {
      throw new TruceError(
        'conflict',
        `to: not corroborated by the claims (${found.sources} source(s), ${found.independentOfBeneficiary} not affiliated with the party that benefits)`,
        { field: 'to' },
      );
    }
  }
  const now = new Date().toISOString();
  const change = {
    id: newId('stc'),
    incident_id: incident.id,
    from_status: incident.status,
    to_status: parsed.to,
    reason: parsed.reason,
    evidence: parsed.evidence,
    changed_by: tx.by,
    changed_at: now,
  };
  const next = { ...incident, status: parsed.to, updated_at: now };
  const { seq } = await tx.commit(
    'status.changed',
    { incidentId: incident.id, from: incident.status, to: parsed.to, reason: parsed.reason },
    [
      { op: 'insert', table: 'status_changes', row: change },
      { op: 'update', table: 'incidents', row: next },
    ],
  );
  return { incident: { ...next, ledger_seq: seq }, change: { ...change, ledger_seq: seq } };
}

export const changeStatus = mutation(insertStatusChange);

export const RetaliationInputSchema = z.object({
  incidentId: IdSchema,
  answersId: IdSchema,
  basis: z.enum(['source', 'monitor']),
  reason: ReasonSchema,
});

/** Links an incident to the one it answers; both join one chain (chains that meet become one). */
export async function insertRetaliationLink(tx: RecordTx, input: unknown): Promise<RetaliationLinkRow> {
  const parsed = parseInput(RetaliationInputSchema, input);
  if (parsed.incidentId === parsed.answersId) {
    throw new TruceError('invalid_input', 'answersId: an incident cannot answer itself', {
      field: 'answersId',
    });
  }
  const incident = await mustExist(tx.trx, 'incidents', parsed.incidentId, 'incidentId');
  const answers = await mustExist(tx.trx, 'incidents', parsed.answersId, 'answersId');
  if (answers.occurred_on > incident.occurred_on) {
    throw new TruceError('invalid_input', 'answersId: a retaliation cannot answer a later incident', {
      field: 'answersId',
    });
  }
  const duplicate = await tx.trx
    .selectFrom('retaliation_links')
    .select('id')
    .where('incident_id', '=', incident.id)
    .where('answers_id', '=', answers.id)
    .executeTakeFirst();
  if (duplicate)
    throw new TruceError('conflict', 'answersId: this link already exists', { field: 'answersId' });
  const now = new Date().toISOString();
  const link = {
    id: newId('rtl'),
    incident_id: incident.id,
    answers_id: answers.id,
    basis: parsed.basis,
    reason: parsed.reason,
    linked_by: tx.by,
    linked_at: now,
  };
  const chain = answers.chain_id ?? incident.chain_id ?? `chain_${answers.id}`;
  const writes: Write[] = [{ op: 'insert', table: 'retaliation_links', row: link }];
  // Every incident of either chain now belongs to one.
  const members = await tx.trx
    .selectFrom('incidents')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('id', 'in', [incident.id, answers.id]),
        ...[incident.chain_id, answers.chain_id]
          .filter((c): c is string => c !== null)
          .map((c) => eb('chain_id', '=', c)),
      ]),
    )
    .execute();
  for (const member of members) {
    if (member.chain_id !== chain)
      writes.push({
        op: 'update',
        table: 'incidents',
        row: { ...member, chain_id: chain, updated_at: now },
      });
  }
  const { seq } = await tx.commit(
    'retaliation.linked',
    { incidentId: incident.id, answersId: answers.id },
    writes,
  );
  return { ...link, ledger_seq: seq };
}

export const linkRetaliation = mutation(insertRetaliationLink);

export const MergeInputSchema = z.object({ keptId: IdSchema, mergedId: IdSchema, reason: ReasonSchema });

/** Merges a duplicate into the incident kept: both rows stay; the kept one's figures count every claim. */
export async function insertMerge(
  tx: RecordTx,
  input: unknown,
): Promise<{ merge: MergeRow; kept: IncidentRow }> {
  const parsed = parseInput(MergeInputSchema, input);
  if (parsed.keptId === parsed.mergedId) {
    throw new TruceError('invalid_input', 'mergedId: an incident cannot be merged into itself', {
      field: 'mergedId',
    });
  }
  const kept = await mustExist(tx.trx, 'incidents', parsed.keptId, 'keptId');
  const merged = await mustExist(tx.trx, 'incidents', parsed.mergedId, 'mergedId');
  if (kept.merged_into) {
    throw new TruceError('conflict', `keptId: already merged into ${kept.merged_into}`, {
      field: 'keptId',
    });
  }
  if (merged.merged_into) {
    throw new TruceError('conflict', `mergedId: already merged into ${merged.merged_into}`, {
      field: 'mergedId',
    });
  }
  const now = new Date().toISOString();
  const merge = {
    id: newId('mrg'),
    kept_id: kept.id,
    merged_id: merged.id,
    reason: parsed.reason,
    merged_by: tx.by,
    merged_at: now,
  };
  const writes: Write[] = [{ op: 'insert', table: 'merges', row: merge }];
  // Incidents earlier merged into the duplicate follow it, so merges never nest.
  const followers = await tx.trx
    .selectFrom('incidents')
    .selectAll()
    .where('merged_into', '=', merged.id)
    .execute();
  for (const row of [merged, ...followers]) {
    const next = { ...row, merged_into: kept.id, updated_at: now };
    writes.push({ op: 'update', table: 'incidents', row: next });
    await tx.trx.updateTable('incidents').set({ merged_into: kept.id }).where('id', '=', row.id).execute();
  }
  const derived = await deriveIncident(tx.trx, kept, now);
  writes.push({ op: 'update', table: 'incidents', row: derived.incident });
  if (derived.statusChange) writes.push({ op: 'insert', table: 'status_changes', row: derived.statusChange });
  const { seq } = await tx.commit(
    'incidents.merged',
    { keptId: kept.id, mergedId: merged.id, reason: parsed.reason },
    writes,
  );
  return { merge: { ...merge, ledger_seq: seq }, kept: { ...derived.incident, ledger_seq: seq } };
}

export const mergeIncidents = mutation(insertMerge);
