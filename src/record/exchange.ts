/**
 * The exchange on the write path: files, submissions, forwarded derivatives, responses and
 * verifications. Each is one ledger entry; who may do each is checked here against the viewer.
 */
import { createHash } from 'node:crypto';
import { canSee } from '../access/policy.ts';
import type { Viewer } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import {
  ActionVerificationInputSchema,
  ForwardInputSchema,
  ResponseInputSchema,
  SubmissionInputSchema,
} from '../domain/exchange.ts';
import { checkFile, type MediaType, stripMetadata } from '../exchange/media.ts';
import { enqueueEvent } from '../exchange/webhooks.ts';
import type {
  ActionVerificationRow,
  DerivativeRow,
  FileRow,
  ResponseRow,
  SubmissionRow,
} from '../store/schema.ts';
import { newId } from './ids.ts';
import { mustExist } from './lookup.ts';
import { insertCommitmentDecision } from './mechanism.ts';
import { parseInput } from './parse.ts';
import { mutation, type RecordTx, type Write } from './transaction.ts';

type Sharing = { tlp: string; recipients: string[] };

/** Who an upload is shared with: a delegate's own party and the mechanism; a monitor's, the mechanism only. */
export function uploadSharing(viewer: Viewer): Sharing {
  return viewer.partyId
    ? { tlp: 'AMBER+STRICT', recipients: [viewer.partyId] }
    : { tlp: 'AMBER', recipients: [] };
}

async function storeFile(
  tx: RecordTx,
  file: {
    bytes: Buffer;
    name: string | null;
    type: MediaType;
    sharing: Sharing;
    derivedFrom?: string;
    stripped?: boolean;
  },
): Promise<FileRow> {
  const id = createHash('sha256').update(file.bytes).digest('hex');
  const existing = await tx.trx.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
  if (existing) return existing;
  const row = {
    id,
    size: file.bytes.length,
    media_type: file.type,
    original_name: file.name,
    derived_from: file.derivedFrom ?? null,
    metadata_stripped: file.stripped ?? false,
    uploaded_by: tx.by,
    tlp: file.sharing.tlp,
    recipients: file.sharing.recipients,
    created_at: new Date().toISOString(),
  };
  const { seq } = await tx.commit('file.stored', { fileId: id, size: row.size, mediaType: file.type }, [
    { op: 'insert', table: 'files', row },
  ]);
  await tx.trx.insertInto('file_blobs').values({ id, bytes: file.bytes }).execute();
  return { ...row, ledger_seq: seq };
}

/** An upload: checked by content (a script named .jpg is refused), stored once by its SHA-256. */
export async function insertUpload(
  tx: RecordTx,
  input: { viewer: Viewer; bytes: Buffer; name: string | null },
): Promise<FileRow> {
  const type = checkFile(input.bytes, input.name);
  return storeFile(tx, { bytes: input.bytes, name: input.name, type, sharing: uploadSharing(input.viewer) });
}

async function visibleFiles(
  tx: RecordTx,
  viewer: Viewer,
  ids: readonly string[],
  field: string,
): Promise<FileRow[]> {
  const rows = ids.length
    ? await tx.trx.selectFrom('files').selectAll().where('id', 'in', ids).execute()
    : [];
  for (const [i, id] of ids.entries()) {
    const row = rows.find((r) => r.id === id);
    // A file the viewer cannot see is reported exactly like one that does not exist.
    if (!row || !canSee(viewer, row))
      throw new TruceError('not_found', `${field}[${i}]: no file ${id}`, { field: `${field}[${i}]` });
  }
  return ids.map((id) => rows.find((r) => r.id === id)!);
}

export async function insertSubmission(
  tx: RecordTx,
  input: { viewer: Viewer; submission: unknown },
): Promise<SubmissionRow> {
  const { viewer } = input;
  if (viewer.role !== 'delegate' || !viewer.partyId)
    throw new TruceError('forbidden', "only a party's delegate files submissions");
  const parsed = parseInput(SubmissionInputSchema, input.submission);
  for (const [field, party] of [
    ['addressedTo', parsed.addressedTo],
    ['shareableWith', parsed.shareableWith],
  ] as const) {
    if (!party) continue;
    await mustExist(tx.trx, 'parties', party, field);
    if (party === viewer.partyId)
      throw new TruceError('invalid_input', `${field}: must be another party`, { field });
  }
  if (parsed.placeId) await mustExist(tx.trx, 'places', parsed.placeId, 'placeId');
  await visibleFiles(tx, viewer, parsed.files, 'files');
  const row = {
    id: newId('sub'),
    from_party: viewer.partyId,
    submitted_by: tx.by,
    kind: parsed.kind,
    subject: parsed.subject,
    title: parsed.title,
    body: parsed.body,
    place_id: parsed.placeId ?? null,
    lat: parsed.lat ?? null,
    lon: parsed.lon ?? null,
    addressed_to: parsed.addressedTo ?? null,
    requested_action: parsed.requestedAction ?? null,
    files: parsed.files,
    shareable_with: parsed.shareableWith,
    // The original stays with the mechanism and the party that filed it.
    tlp: 'AMBER+STRICT',
    recipients: [viewer.partyId],
    created_at: new Date().toISOString(),
  };
  const { seq } = await tx.commit('submission.filed', { submissionId: row.id, fromParty: viewer.partyId }, [
    { op: 'insert', table: 'submissions', row },
  ]);
  return { ...row, ledger_seq: seq };
}

export const WITHHELD_LABEL = 'a party to the mechanism (source withheld)';

/** A monitor forwards what the submitter allowed, to the party it allowed, with metadata stripped from every file. */
export async function insertDerivative(tx: RecordTx, input: unknown): Promise<DerivativeRow> {
  const parsed = parseInput(ForwardInputSchema, input);
  const submission = await mustExist(tx.trx, 'submissions', parsed.submissionId, 'submissionId');
  const to = submission.shareable_with;
  if (!to)
    throw new TruceError(
      'conflict',
      'submissionId: the submitter did not allow forwarding (mechanism only)',
      { field: 'submissionId' },
    );
  const sharing = { tlp: 'AMBER+STRICT', recipients: [to] };
  const files: string[] = [];
  for (const [i, id] of parsed.share.files.entries()) {
    if (!(submission.files as string[]).includes(id)) {
      throw new TruceError('invalid_input', `share.files[${i}]: not a file of this submission`, {
        field: `share.files[${i}]`,
      });
    }
    const original = await mustExist(tx.trx, 'files', id, `share.files[${i}]`);
    if (original.media_type === 'application/pdf' && !parsed.pdfMetadataReviewed) {
      throw new TruceError(
        'invalid_input',
        `share.files[${i}]: PDF metadata cannot be stripped; review it and set pdfMetadataReviewed`,
        {
          field: 'pdfMetadataReviewed',
        },
      );
    }
    const blob = await tx.trx
      .selectFrom('file_blobs')
      .select('bytes')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const copy = stripMetadata(blob.bytes, original.media_type as MediaType);
    const stored = await storeFile(tx, {
      bytes: copy.bytes,
      name: null,
      type: original.media_type as MediaType,
      sharing,
      derivedFrom: id,
      stripped: copy.stripped,
    });
    files.push(stored.id);
  }
  const row = {
    id: newId('drv'),
    submission_id: submission.id,
    addressed_to: to,
    title: parsed.share.title ?? submission.title,
    body: parsed.share.body ?? submission.body,
    place_id: parsed.share.place ? submission.place_id : null,
    lat: parsed.share.place ? submission.lat : null,
    lon: parsed.share.place ? submission.lon : null,
    requested_action: parsed.share.requestedAction ? submission.requested_action : null,
    files,
    source_withheld: parsed.withholdSource,
    source_label: parsed.withholdSource ? WITHHELD_LABEL : submission.from_party,
    deadline: parsed.deadline ?? null,
    forwarded_by: tx.by,
    ...sharing,
    created_at: new Date().toISOString(),
  };
  const { seq } = await tx.commit(
    'submission.forwarded',
    { derivativeId: row.id, submissionId: submission.id, to },
    [{ op: 'insert', table: 'derivatives', row }],
  );
  await enqueueEvent(tx.trx, to, 'request.forwarded', { type: 'derivative', id: row.id });
  return { ...row, ledger_seq: seq };
}

export async function insertResponse(
  tx: RecordTx,
  input: { viewer: Viewer; response: unknown },
): Promise<ResponseRow> {
  const { viewer } = input;
  const parsed = parseInput(ResponseInputSchema, input.response);
  const derivative = await tx.trx
    .selectFrom('derivatives')
    .selectAll()
    .where('id', '=', parsed.derivativeId)
    .executeTakeFirst();
  // A request not addressed to you does not exist, as far as you can tell.
  if (!derivative || viewer.role !== 'delegate' || derivative.addressed_to !== viewer.partyId) {
    throw new TruceError(
      'not_found',
      `derivativeId: no request "${parsed.derivativeId}" addressed to your party`,
      { field: 'derivativeId' },
    );
  }
  await visibleFiles(tx, viewer, parsed.files, 'files');
  const submission = await mustExist(tx.trx, 'submissions', derivative.submission_id, 'derivativeId');
  const now = new Date().toISOString();
  const row = {
    id: newId('rsp'),
    derivative_id: derivative.id,
    party_id: derivative.addressed_to,
    responded_by: tx.by,
    kind: parsed.kind,
    text: parsed.text,
    files: parsed.files,
    on_time: derivative.deadline === null || now <= derivative.deadline,
    // With the source withheld, listing the submitter here would name it to the responder.
    tlp: derivative.source_withheld ? 'AMBER+STRICT' : 'AMBER',
    recipients: derivative.source_withheld
      ? [derivative.addressed_to]
      : [derivative.addressed_to, submission.from_party],
    created_at: now,
  };
  const { seq } = await tx.commit(
    'request.answered',
    { responseId: row.id, derivativeId: derivative.id, kind: parsed.kind },
    [{ op: 'insert', table: 'responses', row }],
  );
  if (!derivative.source_withheld)
    await enqueueEvent(tx.trx, submission.from_party, 'response.received', { type: 'response', id: row.id });
  return { ...row, ledger_seq: seq };
}

export async function insertActionVerification(tx: RecordTx, input: unknown): Promise<ActionVerificationRow> {
  const parsed = parseInput(ActionVerificationInputSchema, input);
  const response = await mustExist(tx.trx, 'responses', parsed.responseId, 'responseId');
  if (response.kind !== 'action_taken') {
    throw new TruceError('conflict', `responseId: a "${response.kind}" response claims no action to verify`, {
      field: 'responseId',
    });
  }
  const row = {
    id: newId('avf'),
    derivative_id: response.derivative_id,
    response_id: response.id,
    decision: parsed.decision,
    reasoning: parsed.reasoning,
    commitment_id: parsed.commitmentId ?? null,
    decided_by: tx.by,
    tlp: response.tlp,
    recipients: response.recipients,
    decided_at: new Date().toISOString(),
  };
  const writes: Write[] = [{ op: 'insert', table: 'action_verifications', row }];
  const { seq } = await tx.commit(
    'action.verified',
    { verificationId: row.id, responseId: response.id, decision: parsed.decision },
    writes,
  );
  if (parsed.commitmentId && parsed.decision !== 'not_verified') {
    await insertCommitmentDecision(tx, {
      commitmentId: parsed.commitmentId,
      to: parsed.decision === 'verified' ? 'met' : 'partly_met',
      reason: `Action ${parsed.decision} by the mechanism: ${parsed.reasoning}`,
      evidence: [{ kind: 'submission', ref: response.derivative_id }],
    });
  }
  await enqueueEvent(tx.trx, response.party_id, 'action.verified', { type: 'verification', id: row.id });
  return { ...row, ledger_seq: seq };
}

export const uploadFile = mutation(insertUpload);
export const fileSubmission = mutation(insertSubmission);
export const forwardSubmission = mutation(insertDerivative);
export const respondToRequest = mutation(insertResponse);
export const verifyAction = mutation(insertActionVerification);
