/** Writes agreements, crossing status reports, commitments and the monitors' decisions on commitments. */
import { z } from 'zod';
import {
  AgreementInputSchema,
  CommitmentInputSchema,
  CrossingStatusInputSchema,
} from '../domain/agreement.ts';
import { TruceError } from '../domain/errors.ts';
import { IdSchema, text } from '../domain/text.ts';
import type { AgreementRow, CommitmentRow, CrossingStatusRow } from '../store/schema.ts';
import { newId } from './ids.ts';
import { mustBeNew, mustExist } from './lookup.ts';
import { parseInput } from './parse.ts';
import { mutation, type RecordTx } from './transaction.ts';

export async function insertAgreement(tx: RecordTx, input: unknown): Promise<AgreementRow> {
  const parsed = parseInput(AgreementInputSchema, input);
  const id = parsed.id ?? newId('agr');
  if (parsed.id) await mustBeNew(tx.trx, 'agreements', id);
  for (const [i, party] of parsed.parties.entries())
    await mustExist(tx.trx, 'parties', party, `parties[${i}]`);
  const row = {
    id,
    name: parsed.name,
    parties: parsed.parties,
    terms: parsed.terms,
    starts_at: parsed.startsAt,
    ends_at: parsed.endsAt,
    tlp: parsed.tlp,
    recipients: parsed.recipients,
    created_at: new Date().toISOString(),
  };
  const { seq } = await tx.commit('agreement.created', { agreementId: id }, [
    { op: 'insert', table: 'agreements', row },
  ]);
  return { ...row, ledger_seq: seq };
}

export const createAgreement = mutation(insertAgreement);

export async function insertCrossingStatus(tx: RecordTx, input: unknown): Promise<CrossingStatusRow> {
  const parsed = parseInput(CrossingStatusInputSchema, input);
  const place = await mustExist(tx.trx, 'places', parsed.placeId, 'placeId');
  if (place.kind !== 'crossing') {
    throw new TruceError('invalid_input', `placeId: ${place.id} is a ${place.kind}, not a crossing`, {
      field: 'placeId',
    });
  }
  const row = {
    id: newId('xst'),
    place_id: place.id,
    status: parsed.status,
    moves: parsed.moves,
    since: parsed.since,
    reason: parsed.reason ?? null,
    stranded: parsed.stranded ?? null,
    trucks_queued: parsed.trucksQueued ?? null,
    observer_present: parsed.observerPresent ?? null,
    recorded_by: tx.by,
    created_at: new Date().toISOString(),
  };
  const { seq } = await tx.commit('crossing.status_recorded', { placeId: place.id, status: parsed.status }, [
    { op: 'insert', table: 'crossing_statuses', row },
  ]);
  return { ...row, ledger_seq: seq };
}

export const recordCrossingStatus = mutation(insertCrossingStatus);

export async function insertCommitment(tx: RecordTx, input: unknown): Promise<CommitmentRow> {
  const parsed = parseInput(CommitmentInputSchema, input);
  const id = parsed.id ?? newId('cmt');
  if (parsed.id) await mustBeNew(tx.trx, 'commitments', id);
  await mustExist(tx.trx, 'parties', parsed.partyId, 'partyId');
  const now = new Date().toISOString();
  const row = {
    id,
    party_id: parsed.partyId,
    text: parsed.text,
    due_on: parsed.dueOn ?? null,
    status: parsed.status,
    evidence: parsed.evidence,
    tlp: parsed.tlp,
    recipients: parsed.recipients,
    created_at: now,
    updated_at: now,
  };
  const { seq } = await tx.commit('commitment.created', { commitmentId: id }, [
    { op: 'insert', table: 'commitments', row },
  ]);
  return { ...row, ledger_seq: seq };
}

export const createCommitment = mutation(insertCommitment);

export const CommitmentDecisionInputSchema = z.object({
  commitmentId: IdSchema,
  to: z.enum(['open', 'met', 'partly_met', 'missed']),
  reason: text(5000),
  evidence: z
    .array(
      z.object({
        kind: z.enum(['incident', 'document', 'url', 'submission']),
        ref: z.string().min(1).max(2000),
      }),
    )
    .max(100)
    .default([]),
});

/** A monitor's decision on a commitment: its status moves, the evidence is added to it, both on one entry. */
export async function insertCommitmentDecision(tx: RecordTx, input: unknown): Promise<CommitmentRow> {
  const parsed = parseInput(CommitmentDecisionInputSchema, input);
  const commitment = await mustExist(tx.trx, 'commitments', parsed.commitmentId, 'commitmentId');
  if (commitment.status === parsed.to) {
    throw new TruceError('conflict', `to: the commitment is already ${parsed.to}`, { field: 'to' });
  }
  if ((parsed.to === 'met' || parsed.to === 'partly_met') && parsed.evidence.length === 0) {
    throw new TruceError('invalid_input', 'evidence: saying a commitment was met needs evidence', {
      field: 'evidence',
    });
  }
  const now = new Date().toISOString();
  const decision = {
    id: newId('cmd'),
    commitment_id: commitment.id,
    from_status: commitment.status,
    to_status: parsed.to,
    reason: parsed.reason,
    evidence: parsed.evidence,
    decided_by: tx.by,
    decided_at: now,
  };
  const next = {
    ...commitment,
    status: parsed.to,
    evidence: [...(commitment.evidence as unknown[]), ...parsed.evidence],
    updated_at: now,
  };
  const { seq } = await tx.commit(
    'commitment.decided',
    { commitmentId: commitment.id, from: commitment.status, to: parsed.to, reason: parsed.reason },
    [
      { op: 'insert', table: 'commitment_decisions', row: decision },
      { op: 'update', table: 'commitments', row: next },
    ],
  );
  return { ...next, ledger_seq: seq };
}

export const decideCommitment = mutation(insertCommitmentDecision);
