/** The shape of a ledger entry: one zod schema per kind, a common envelope, and its RFC 8785 canonical bytes. */
import { z } from 'zod';
import { RECORD_TABLES } from '../store/schema.ts';
import { canonicalJson } from './canonical.ts';

/** A row as record/ wrote it: the full after-image, so verify can compare the table with the ledger. */
export const RowWriteSchema = z.object({
  op: z.enum(['insert', 'update']),
  table: z.enum(RECORD_TABLES as [string, ...string[]]),
  id: z.string().min(1),
  row: z.record(z.string(), z.unknown()),
});
export type RowWrite = z.infer<typeof RowWriteSchema>;

const envelope = {
  v: z.literal(1),
  seq: z.number().int().nonnegative(),
  at: z.iso.datetime(),
  /** Who made the change: a user id, or `system` for seeding and imports. */
  by: z.string().min(1),
  /** 128 random bits, so that the leaf hash of an entry a viewer may not read reveals nothing of it. */
  nonce: z.string().regex(/^[0-9a-f]{32}$/),
  writes: z.array(RowWriteSchema),
};

const id = z.string().min(1);

function kind<K extends string, D extends z.ZodRawShape>(name: K, data: D) {
  return z.object({ ...envelope, kind: z.literal(name), data: z.object(data) });
}

export const LedgerEntrySchema = z.discriminatedUnion('kind', [
  kind('party.created', { partyId: id }),
  kind('actor.created', { actorId: id }),
  kind('source.created', { sourceId: id }),
  kind('place.created', { placeId: id }),
  kind('places.loaded', { count: z.number().int().positive() }),
  kind('document.stored', { documentId: id, contentHash: z.string() }),
  kind('incident.created', { incidentId: id }),
  kind('claim.added', { claimId: id, incidentId: id }),
  /** One dataset row (ACLED, UCDP GED, …) imported as an incident with its claims, in one entry. */
  kind('incident.imported', { incidentId: id, claimIds: z.array(id).min(1), format: z.string() }),
  kind('status.changed', { incidentId: id, from: z.string(), to: z.string(), reason: z.string() }),
  kind('retaliation.linked', { incidentId: id, answersId: id }),
  kind('incidents.merged', { keptId: id, mergedId: id, reason: z.string() }),
  kind('agreement.created', { agreementId: id }),
  kind('crossing.status_recorded', { placeId: id, status: z.string() }),
  kind('commitment.created', { commitmentId: id }),
  kind('commitment.decided', { commitmentId: id, from: z.string(), to: z.string(), reason: z.string() }),
  kind('violation.attributed', { incidentId: id, agreementId: id, partyId: id, decision: z.string() }),
  kind('reopening.planned', { planId: id, placeId: id }),
  kind('reopening.phase_began', { planId: id, phaseId: id, ordinal: z.number().int() }),
  kind('ingest.matched', { matchId: id, claimId: id, incidentId: id, documentId: id }),
  kind('file.stored', { fileId: id, size: z.number().int().positive(), mediaType: z.string() }),
  kind('submission.filed', { submissionId: id, fromParty: id }),
  kind('submission.forwarded', { derivativeId: id, submissionId: id, to: id }),
  kind('request.answered', { responseId: id, derivativeId: id, kind: z.string() }),
  kind('action.verified', { verificationId: id, responseId: id, decision: z.string() }),
  kind('user.created', { userId: id }),
  kind('user.disabled', { userId: id, reason: z.string() }),
]);
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;
export type EntryKind = LedgerEntry['kind'];
export type EntryData<K extends EntryKind> = Extract<LedgerEntry, { kind: K }>['data'];

/** RFC 8785: the bytes anyone can re-derive from the entry and re-hash. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
