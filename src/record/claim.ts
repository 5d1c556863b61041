/** Adding claims: the quote is checked against its document, figures are reconciled, status follows the rules. */
import { createHash } from 'node:crypto';
import { ClaimInputSchema, DocumentInputSchema } from '../domain/claim.ts';
import { TruceError } from '../domain/errors.ts';
import type { ClaimRow, DocumentRow, IncidentRow } from '../store/schema.ts';
import { deriveIncident } from './derive.ts';
import { newId } from './ids.ts';
import { liveIncident, mustBeNew, mustExist } from './lookup.ts';
import { parseInput } from './parse.ts';
import { mutation, type RecordTx, type Write } from './transaction.ts';

export function contentHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** Stores a document once per content; storing the same text again returns the first copy. */
export async function insertDocument(
  tx: RecordTx,
  input: unknown,
): Promise<{ document: DocumentRow; created: boolean }> {
  const parsed = parseInput(DocumentInputSchema, input);
  const hash = contentHash(parsed.body);
  const existing = await tx.trx
    .selectFrom('documents')
    .selectAll()
    .where('content_hash', '=', hash)
    .executeTakeFirst();
  if (existing) return { document: existing, created: false };
  const row: Omit<DocumentRow, 'ledger_seq'> = {
    id: newId('doc'),
    content_hash: hash,
    title: parsed.title ?? null,
    url: parsed.url ?? null,
    outlet: parsed.outlet ?? null,
    published_at: parsed.publishedAt ?? null,
    body: parsed.body,
    tlp: parsed.tlp,
    recipients: parsed.recipients,
    created_at: new Date().toISOString(),
  };
  const { seq } = await tx.commit('document.stored', { documentId: row.id, contentHash: hash }, [
    { op: 'insert', table: 'documents', row },
  ]);
  return { document: { ...row, ledger_seq: seq }, created: true };
}

export const storeDocument = mutation(insertDocument);

/** The quote must be the document's own words: either at the given span, or found in it. */
function locateQuote(body: string, quote: string, span: { start: number; end: number } | undefined) {
  if (span) {
    if (span.end > body.length) {
      throw new TruceError(
        'invalid_input',
        `span.end: ${span.end} is past the document's end (${body.length})`,
        {
          field: 'span.end',
        },
      );
    }
    if (body.slice(span.start, span.end) !== quote) {
      throw new TruceError('invalid_input', 'span: the document text at this span is not the quote', {
        field: 'span',
      });
    }
    return span;
  }
  const start = body.indexOf(quote);
  if (start < 0)
    throw new TruceError('invalid_input', 'quote: not found in the document', { field: 'quote' });
  return { start, end: start + quote.length };
}

export type AddedClaim = { claim: ClaimRow; incident: IncidentRow };

/** Inserts a claim inside an open record transaction and re-derives its incident in the same entry. */
export async function insertClaim(tx: RecordTx, input: unknown): Promise<AddedClaim> {
  const parsed = parseInput(ClaimInputSchema, input);
  const incident = await liveIncident(tx.trx, parsed.incidentId, 'incidentId');
  const source = await mustExist(tx.trx, 'sources', parsed.sourceId, 'sourceId');
  const id = parsed.id ?? newId('clm');
  if (parsed.id) await mustBeNew(tx.trx, 'claims', id);
  const { actorId, targetId, responsibleId, placeId } = parsed.asserted;
  if (actorId) await mustExist(tx.trx, 'actors', actorId, 'asserted.actorId');
  if (targetId) await mustExist(tx.trx, 'actors', targetId, 'asserted.targetId');
  if (responsibleId) await mustExist(tx.trx, 'actors', responsibleId, 'asserted.responsibleId');
  if (placeId) await mustExist(tx.trx, 'places', placeId, 'asserted.placeId');
  for (const [i, figure] of parsed.figures.entries()) {
    if (figure.side) await mustExist(tx.trx, 'parties', figure.side, `figures[${i}].side`);
  }
  let span: { start: number; end: number } | null = null;
  if (parsed.documentId) {
    const document = await mustExist(tx.trx, 'documents', parsed.documentId, 'documentId');
    span = locateQuote(document.body, parsed.quote, parsed.span);
  }
  const now = new Date().toISOString();
  const claim: Omit<ClaimRow, 'ledger_seq'> = {
    id,
    incident_id: incident.id,
    source_id: parsed.sourceId,
    document_id: parsed.documentId ?? null,
    published_at: parsed.publishedAt,
    quote: parsed.quote,
    span_start: span?.start ?? null,
    span_end: span?.end ?? null,
    asserted: parsed.asserted,
    figures: parsed.figures,
    credibility: parsed.credibility,
    tlp: parsed.tlp,
    recipients: parsed.recipients,
    created_at: now,
  };
  const derived = await deriveIncident(tx.trx, incident, now, {
    ...claim,
    kind: source.kind,
    affiliation: source.affiliation,
  });
  const writes: Write[] = [
    { op: 'insert', table: 'claims', row: claim },
    { op: 'update', table: 'incidents', row: derived.incident },
  ];
  if (derived.statusChange) writes.push({ op: 'insert', table: 'status_changes', row: derived.statusChange });
  const { seq } = await tx.commit('claim.added', { claimId: id, incidentId: incident.id }, writes);
  return { claim: { ...claim, ledger_seq: seq }, incident: { ...derived.incident, ledger_seq: seq } };
}

export const addClaim = mutation(insertClaim);
