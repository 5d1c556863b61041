/**
 * The batched write path of imports: an event is validated with the write path's own zod schemas
 * before any transaction opens, then written inside the batch's `recordTransaction` as one
 * `incident.imported` entry holding the rows `insertIncident` and `insertClaim` would have left
 * (the incident re-derived after each claim as they do, with reconciliation done in memory, and
 * each automatic status change) — one dataset row, one ledger entry.
 */
import { ClaimInputSchema } from '../domain/claim.ts';
import { TruceError } from '../domain/errors.ts';
import { IncidentInputSchema } from '../domain/incident.ts';
import { type ClaimFacts, figuresOf } from '../domain/incidentFigures.ts';
import type { Sharing } from '../domain/tlp.ts';
import { automaticMove, corroboration, type Status } from '../domain/verification.ts';
import type { EntryData } from '../ledger/entry.ts';
import { automaticStatusChange } from '../record/derive.ts';
import { newId } from '../record/ids.ts';
import { NO_FIGURES } from '../record/incident.ts';
import { parseInput } from '../record/parse.ts';
import type { RecordTx, Write } from '../record/transaction.ts';
import type { ClaimRow, IncidentRow, StatusChangeRow } from '../store/schema.ts';
import type { EventDraft } from './event.ts';

type ParsedClaim = ReturnType<typeof ClaimInputSchema.parse>;

export type ValidEvent = {
  line: number;
  draft: EventDraft;
  incident: ReturnType<typeof IncidentInputSchema.parse>;
  claims: ParsedClaim[];
};

/**
 * Checks an event as the write path would (IncidentInputSchema, ClaimInputSchema, no future day,
 * figures that reconcile), so that writing it cannot fail on its input. Throws a TruceError.
 */
export function validateEvent(line: number, draft: EventDraft, sharing: Sharing, today: string): ValidEvent {
  const incident = parseInput(
    IncidentInputSchema,
    {
      id: draft.id,
      type: draft.type,
      title: draft.title,
      occurredOn: draft.occurredOn,
      datePrecision: draft.datePrecision,
      lat: draft.lat,
      lon: draft.lon,
      geoPrecision: draft.geoPrecision,
      ...(draft.actor ? { actorId: draft.actor.id } : {}),
      ...(draft.target ? { targetId: draft.target.id } : {}),
      ...sharing,
    },
    'incident',
  );
  if (incident.occurredOn > today) {
    throw new TruceError('invalid_input', 'incident.occurredOn: must not be in the future', {
      field: 'incident.occurredOn',
    });
  }
  if (draft.claims.length === 0) {
    throw new TruceError('invalid_input', 'claims: a row gives at least one claim', { field: 'claims' });
  }
  const claims = draft.claims.map((claim, i) =>
    parseInput(
      ClaimInputSchema,
      {
        incidentId: draft.id,
        sourceId: claim.source.id,
        publishedAt: claim.publishedAt,
        quote: claim.quote,
        asserted: {
          type: draft.type,
          ...(draft.actor ? { actorId: draft.actor.id } : {}),
          ...(draft.target ? { targetId: draft.target.id } : {}),
        },
        figures: claim.figures,
        credibility: claim.credibility,
        ...sharing,
      },
      `claims[${i}]`,
    ),
  );
  try {
    figuresOf(claims.map((c, i) => facts(c, `claim${i}`, draft.claims[i]!.source)));
  } catch (error) {
    throw new TruceError('invalid_input', `figures: ${(error as Error).message}`, { field: 'figures' });
  }
  return { line, draft, incident, claims };
}

function facts(
  claim: ParsedClaim,
  id: string,
  source: { id: string; kind: string; affiliation: string | null },
) {
  return {
    id,
    source_id: source.id,
    published_at: claim.publishedAt,
    figures: claim.figures,
    asserted: claim.asserted,
    kind: source.kind,
    affiliation: source.affiliation,
  } satisfies ClaimFacts;
}

/** One validated event as the rows it leaves and the data of its `incident.imported` entry. */
export type EventWrites = { data: EntryData<'incident.imported'>; writes: Write[] };

/**
 * What the importer needs of a valid event once its rows are built: its line and incident id, the
 * actors and sources it points at (written first if new), and the rows. Kept this small because
 * it crosses from the worker thread, where copying costs by the field.
 */
export type PreparedEvent = {
  line: number;
  id: string;
  actorIds: string[];
  sourceIds: string[];
  built: EventWrites;
};

/** A validated event with its rows built at `now` (see `eventWrites`). */
export function prepareEvent(event: ValidEvent, format: string, now: string): PreparedEvent {
  const { draft } = event;
  return {
    line: event.line,
    id: draft.id,
    actorIds: [draft.actor?.id, draft.target?.id].filter((id): id is string => !!id),
    sourceIds: draft.claims.map((c) => c.source.id),
    built: eventWrites(event, format, now),
  };
}

/**
 * The rows of one validated event — its incident, its claims and any status changes — as
 * `insertIncident` and `insertClaim` would leave them, created at `now`. Pure but for the new ids, so
 * they are built with the validation (on the worker thread, see validatedRows.ts), leaving the
 * batch's transaction only the entries to write.
 */
export function eventWrites(event: ValidEvent, format: string, now: string): EventWrites {
  const { draft, incident: input } = event;
  let incident: Omit<IncidentRow, 'ledger_seq'> = {
    id: draft.id,
    type: input.type,
    title: input.title,
    occurred_on: input.occurredOn,
    date_precision: input.datePrecision,
    place_id: null,
    lat: input.lat ?? null,
    lon: input.lon ?? null,
    geo_precision: input.geoPrecision ?? 1,
    country: draft.country,
    admin1: draft.admin1,
    admin2: draft.admin2,
    actor_id: input.actorId ?? null,
    target_id: input.targetId ?? null,
    status: 'reported',
    fatalities: NO_FIGURES.fatalities,
    injuries: NO_FIGURES.injuries,
    figures_disputed: false,
    fatalities_best: 0,
    chain_id: null,
    merged_into: null,
    tlp: input.tlp,
    recipients: input.recipients,
    created_at: now,
    updated_at: now,
  };
  const claimWrites: Write[] = [];
  const statusWrites: Write[] = [];

  // CODEBOOK § Verification: the beneficiary of an allegation is the target's party.
  const beneficiary = draft.target?.partyId ?? null;
  const known: ClaimFacts[] = [];
  for (const [i, parsed] of event.claims.entries()) {
    const source = draft.claims[i]!.source;
    const claim: Omit<ClaimRow, 'ledger_seq'> = {
      id: newId('clm'),
      incident_id: incident.id,
      source_id: source.id,
      document_id: null,
      published_at: parsed.publishedAt,
      quote: parsed.quote,
      span_start: null,
      span_end: null,
      asserted: parsed.asserted,
      figures: parsed.figures,
      credibility: parsed.credibility,
      tlp: parsed.tlp,
      recipients: parsed.recipients,
      created_at: now,
    };
    known.push(facts(parsed, claim.id, source));
    const figures = figuresOf(known);
    const corroborated = corroboration(
      known.map((c) => ({ id: c.source_id, affiliation: c.affiliation })),
      beneficiary,
    );
    // The same rule as record/derive.ts, from domain/verification.ts.
    const move = automaticMove(incident.status as Status, {
      figuresDisputed: figures.figures_disputed,
      asserted: known.map((c) => c.asserted as { type?: string; actorId?: string; happened?: boolean }),
      corroboration: corroborated,
    });
    const to = move?.to ?? null;
    const reason = move?.reason ?? '';
    const statusChange: Omit<StatusChangeRow, 'ledger_seq'> | null = to
      ? automaticStatusChange(incident.id, incident.status, to, reason, now)
      : null;
    incident = { ...incident, ...figures, status: to ?? incident.status, updated_at: now };
    claimWrites.push({ op: 'insert', table: 'claims', row: claim });
    if (statusChange) statusWrites.push({ op: 'insert', table: 'status_changes', row: statusChange });
  }
  return {
    data: { incidentId: incident.id, claimIds: claimWrites.map((w) => w.row.id), format },
    writes: [{ op: 'insert', table: 'incidents', row: incident }, ...claimWrites, ...statusWrites],
  };
}

/** Writes one event's rows as one entry: one dataset row, one ledger entry. */
export async function writeEvent(tx: Pick<RecordTx, 'commit'>, built: EventWrites): Promise<void> {
  await tx.commit('incident.imported', built.data, built.writes);
}
