/** Reading the exchange through the access policy: submissions, requests, inboxes, files, and the record of who acted. */
import type { Kysely } from 'kysely';
import { visibleTo } from '../access/policy.ts';
import { isMechanism, type Viewer } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import { SUBSTANTIVE } from '../domain/exchange.ts';
import type { Database, DerivativeRow, ResponseRow } from '../store/schema.ts';

type Db = Kysely<Database>;

export async function listSubmissions(db: Db, viewer: Viewer) {
  const submissions = await db
    .selectFrom('submissions')
    .selectAll()
    .where(visibleTo(viewer, 'submissions'))
    .orderBy('created_at', 'desc')
    .execute();
  if (submissions.length === 0) return [];
  // The filing party learns that and when its submission went on, and whether it was answered — not the answer.
  const forwarded = await db
    .selectFrom('derivatives')
    .leftJoin('responses', 'responses.derivative_id', 'derivatives.id')
    .select(['derivatives.submission_id', 'derivatives.created_at', 'derivatives.deadline', 'responses.kind'])
    .where(
      'derivatives.submission_id',
      'in',
      submissions.map((s) => s.id),
    )
    .execute();
  return submissions.map((submission) => {
    const mine = forwarded.filter((f) => f.submission_id === submission.id);
    return {
      ...submission,
      forwardedAt: mine[0]?.created_at ?? null,
      deadline: mine[0]?.deadline ?? null,
      answered: mine.some((f) => f.kind !== null && (SUBSTANTIVE as readonly string[]).includes(f.kind)),
    };
  });
}

export async function listRequests(db: Db, viewer: Viewer) {
  const requests = await db
    .selectFrom('derivatives')
    .selectAll()
    .where(visibleTo(viewer, 'derivatives'))
    .orderBy('created_at', 'desc')
    .execute();
  const responses = requests.length
    ? await db
        .selectFrom('responses')
        .selectAll()
        .where(
          'derivative_id',
          'in',
          requests.map((r) => r.id),
        )
        .where(visibleTo(viewer, 'responses'))
        .orderBy('created_at')
        .execute()
    : [];
  const verifications = responses.length
    ? await db
        .selectFrom('action_verifications')
        .selectAll()
        .where(
          'response_id',
          'in',
          responses.map((r) => r.id),
        )
        .where(visibleTo(viewer, 'action_verifications'))
        .execute()
    : [];
  const now = new Date().toISOString();
  return requests.map((request) => {
    const answers = responses.filter((r) => r.derivative_id === request.id);
    const answered = answers.some((r) => (SUBSTANTIVE as readonly string[]).includes(r.kind));
    return {
      // The mechanism's working link to the original is not the addressed party's business.
      ...(isMechanism(viewer) ? request : { ...request, submission_id: null }),
      responses: answers.map((r) => ({
        ...r,
        verifications: verifications.filter((v) => v.response_id === r.id),
      })),
      overdue: !answered && request.deadline !== null && request.deadline < now,
    };
  });
}

/** What awaits this viewer: for a delegate, requests to answer and news on its own submissions; for the mechanism, what to forward and verify. */
export async function inbox(db: Db, viewer: Viewer) {
  const requests = await listRequests(db, viewer);
  if (isMechanism(viewer)) {
    const toForward = await db
      .selectFrom('submissions')
      .selectAll()
      .where('shareable_with', 'is not', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('derivatives')
              .select('id')
              .whereRef('derivatives.submission_id', '=', 'submissions.id'),
          ),
        ),
      )
      .where(visibleTo(viewer, 'submissions'))
      .execute();
    return {
      toForward,
      toVerify: requests.flatMap((r) =>
        r.responses.filter((x) => x.kind === 'action_taken' && x.verifications.length === 0),
      ),
      overdue: requests.filter((r) => r.overdue),
    };
  }
  return {
    toAnswer: requests.filter(
      (r) =>
        r.addressed_to === viewer.partyId &&
        !r.responses.some((x) => (SUBSTANTIVE as readonly string[]).includes(x.kind)),
    ),
    overdue: requests.filter((r) => r.addressed_to === viewer.partyId && r.overdue),
    submissions: viewer.partyId
      ? (await listSubmissions(db, viewer)).filter((s) => s.from_party === viewer.partyId)
      : [],
  };
}

export async function readFile(db: Db, viewer: Viewer, id: string) {
  const file = await db
    .selectFrom('files')
    .innerJoin('file_blobs', 'file_blobs.id', 'files.id')
    .select(['files.id', 'files.media_type', 'files.tlp', 'file_blobs.bytes'])
    .where('files.id', '=', id)
    .where(visibleTo(viewer, 'files'))
    .executeTakeFirst();
  if (!file) throw new TruceError('not_found', `no file "${id}"`, { field: 'id' });
  return file;
}

export type ActedRow = {
  partyId: string;
  requestsReceived: number;
  answered: number;
  answeredOnTime: number;
  actionsClaimed: number;
  actionsVerified: number;
  actionsPartlyVerified: number;
  overdue: number;
  medianResponseHours: number | null;
};

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * "Demonstrable action", per party: requests forwarded to it in the period, how many it answered
 * (an acknowledgement is not an answer), on time, actions it claimed, and what the mechanism verified.
 */
export function whoActed(
  requests: readonly Pick<DerivativeRow, 'id' | 'addressed_to' | 'created_at' | 'deadline'>[],
  responses: readonly Pick<ResponseRow, 'id' | 'derivative_id' | 'kind' | 'created_at' | 'on_time'>[],
  verifications: readonly { response_id: string; decision: string }[],
  now: string,
): ActedRow[] {
  const parties = [...new Set(requests.map((r) => r.addressed_to))].sort();
  return parties.map((partyId) => {
    const mine = requests.filter((r) => r.addressed_to === partyId);
    let answered = 0;
    let onTime = 0;
    let overdue = 0;
    const hours: number[] = [];
    for (const request of mine) {
      const first = responses
        .filter((r) => r.derivative_id === request.id && (SUBSTANTIVE as readonly string[]).includes(r.kind))
        .sort((a, b) => a.created_at.localeCompare(b.created_at))[0];
      if (first) {
        answered += 1;
        if (first.on_time) onTime += 1;
        hours.push((Date.parse(first.created_at) - Date.parse(request.created_at)) / 3_600_000);
      } else if (request.deadline && request.deadline < now) overdue += 1;
    }
    const claimed = responses.filter(
      (r) => mine.some((m) => m.id === r.derivative_id) && r.kind === 'action_taken',
    );
    const decisionsOf = (decision: string) =>
      claimed.filter((c) => verifications.some((v) => v.response_id === c.id && v.decision === decision))
        .length;
    return {
      partyId,
      requestsReceived: mine.length,
      answered,
      answeredOnTime: onTime,
      actionsClaimed: claimed.length,
      actionsVerified: decisionsOf('verified'),
      actionsPartlyVerified: decisionsOf('partially'),
      overdue,
      medianResponseHours: median(hours) === null ? null : Math.round(median(hours)! * 10) / 10,
    };
  });
}

/** The record of who acted over a period, as the mechanism (or a viewer, within what they may see) can show it. */
export async function actionRecord(db: Db, viewer: Viewer, period: { from: string; to: string }) {
  const requests = await db
    .selectFrom('derivatives')
    .select(['id', 'addressed_to', 'created_at', 'deadline'])
    .where(visibleTo(viewer, 'derivatives'))
    .where('created_at', '>=', `${period.from}T00:00:00.000Z`)
    .where('created_at', '<', new Date(Date.parse(`${period.to}T00:00:00Z`) + 86_400_000).toISOString())
    .execute();
  const ids = requests.map((r) => r.id);
  const responses = ids.length
    ? await db
        .selectFrom('responses')
        .select(['id', 'derivative_id', 'kind', 'created_at', 'on_time'])
        .where('derivative_id', 'in', ids)
        .where(visibleTo(viewer, 'responses'))
        .execute()
    : [];
  const verifications = responses.length
    ? await db
        .selectFrom('action_verifications')
        .select(['response_id', 'decision'])
        .where(
          'response_id',
          'in',
          responses.map((r) => r.id),
        )
        .where(visibleTo(viewer, 'action_verifications'))
        .execute()
    : [];
  return whoActed(requests, responses, verifications, new Date().toISOString());
}
