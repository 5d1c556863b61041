/**
 * Ingests one document: parse, extract, then in ONE record transaction store the document, the
 * reference rows it needs, new incidents, claims on new or matched incidents and how each was placed.
 * A crash or an error leaves nothing of the document written; a document already stored is skipped.
 */
import type { Kysely } from 'kysely';
import { TruceError } from '../domain/errors.ts';
import type { Tlp } from '../domain/tlp.ts';
import type { Gazetteer } from '../gazetteer/gazetteer.ts';
import type { Place } from '../gazetteer/place.ts';
import { contentHash, insertClaim, insertDocument } from '../record/claim.ts';
import { insertIncident } from '../record/incident.ts';
import { insertActor, insertParty, insertPlaces, insertSource, placeRow } from '../record/reference.ts';
import { type RecordTx, recordTransaction } from '../record/transaction.ts';
import type { Store } from '../store/engine.ts';
import type { Database } from '../store/schema.ts';
import { outletSource } from './attribution.ts';
import { type DocumentFormat, type DocumentMeta, type ParsedDocument, parseDocument } from './document.ts';
import { type Extractor, extract } from './extract.ts';
import { type SourceEntry, slugId } from './lexicon.ts';
import { findMatch, type Located, type Match, recordMatch } from './match.ts';
import type { Extraction, ProposedIncident } from './proposal.ts';

export type IngestRequest = {
  content: Uint8Array | string;
  /** File name, to tell the format by its extension. */
  name?: string;
  format?: DocumentFormat;
  /** Flags (--published, --outlet, …) that override the document's header. */
  meta?: DocumentMeta;
  tlp?: Tlp;
  recipients?: string[];
  /** Extract and match, write nothing. */
  dryRun?: boolean;
};

export type IncidentOutcome = {
  proposal: ProposedIncident;
  action: 'created' | 'matched' | 'unplaced' | 'would create' | 'would match' | 'skipped';
  incidentId: string | null;
  match: Match | null;
  claimIds: string[];
  note?: string;
};

export type IngestResult = {
  document: ParsedDocument & { id: string | null; contentHash: string };
  duplicate: boolean;
  extraction: Extraction;
  outcomes: IncidentOutcome[];
};

export type IngestDeps = {
  store: Store;
  gazetteer: Gazetteer;
  extractor: Extractor;
  by: string;
  today?: string;
};

function located(proposal: ProposedIncident, gazetteer: Gazetteer): { place: Place; at: Located } | null {
  const place = proposal.place ? gazetteer.byId(proposal.place.value.placeId) : undefined;
  if (!place) return null;
  return {
    place,
    at: {
      lat: place.lat,
      lon: place.lon,
      country: place.country,
      admin1: place.admin1 ?? (place.kind === 'province' ? place.name : null),
      admin2: place.admin2,
      geoPrecision: place.geoPrecision,
      placeId: place.id,
    },
  };
}

/** The source of a document's unattributed sentences: its outlet, as the lexicon knows it or as new press. */
export function sourceForOutlet(outlet: string | undefined, extractor: Extractor): SourceEntry {
  const { lexicon } = extractor;
  if (!outlet) return lexicon.lexicon.unattributed;
  const known = outletSource(outlet, lexicon, slugId);
  if (known) return known;
  // CODEBOOK: an outlet nobody classified yet is press with no affiliation and unjudged reliability.
  return {
    id: slugId(outlet),
    name: outlet,
    kind: 'national_media',
    affiliation: null,
    reliability: 'F',
    patterns: [],
  };
}

/** Reads and extracts without touching the database. */
export function read(
  request: IngestRequest,
  deps: IngestDeps,
): { parsed: ParsedDocument; extraction: Extraction } {
  const parsed = parseDocument(request.content, {
    ...(request.name ? { name: request.name } : {}),
    ...(request.format ? { format: request.format } : {}),
    ...(request.meta ? { meta: request.meta } : {}),
  });
  const today = deps.today ?? new Date().toISOString().slice(0, 10);
  const extraction = extract(
    parsed.body,
    {
      publishedOn: parsed.publishedAt?.slice(0, 10),
      today,
      outlet: sourceForOutlet(parsed.outlet, deps.extractor),
    },
    deps.extractor,
  );
  return { parsed, extraction };
}

async function exists(db: Kysely<Database>, table: 'parties' | 'actors' | 'sources' | 'places', id: string) {
  return (await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Parties, actors, sources and places the proposals point at, created when this instance lacks them. */
async function ensureReferences(tx: RecordTx, extraction: Extraction, deps: IngestDeps, places: Place[]) {
  const db = tx.trx as unknown as Kysely<Database>;
  const { lexicon } = deps.extractor;
  const ensureParty = async (id: string | null) => {
    if (!id || (await exists(db, 'parties', id))) return;
    const party = lexicon.partyById.get(id);
    if (!party)
      throw new TruceError('not_found', `party ${id} is neither recorded nor in the lexicon`, {
        field: 'party',
      });
    await insertParty(tx, { id: party.id, name: party.name, role: party.role });
  };
  const actorIds = new Set<string>();
  const sources = new Map<string, SourceEntry>();
  for (const incident of extraction.incidents) {
    for (const a of [incident.actor?.value, incident.target?.value]) if (a) actorIds.add(a);
    for (const claim of incident.claims) {
      sources.set(claim.source.id, claim.source);
      for (const f of claim.figures) if (f.side) await ensureParty(f.side);
    }
  }
  for (const id of actorIds) {
    if (await exists(db, 'actors', id)) continue;
    const actor = lexicon.actorById.get(id);
    if (!actor) continue;
    await ensureParty(actor.partyId);
    await insertActor(tx, { id: actor.id, name: actor.name, kind: actor.kind, partyId: actor.partyId });
  }
  for (const source of sources.values()) {
    if (await exists(db, 'sources', source.id)) continue;
    await ensureParty(source.affiliation);
    const { patterns: _patterns, ...row } = source;
    await insertSource(tx, row);
  }
  const missing: Place[] = [];
  for (const place of places)
    if (!missing.includes(place) && !(await exists(db, 'places', place.id))) missing.push(place);
  if (missing.length > 0) await insertPlaces(tx, missing.map(placeRow));
}

export async function ingestDocument(request: IngestRequest, deps: IngestDeps): Promise<IngestResult> {
  const { parsed, extraction } = read(request, deps);
  const hash = contentHash(parsed.body);
  const today = deps.today ?? new Date().toISOString().slice(0, 10);
  const sharing = { tlp: request.tlp ?? 'GREEN', recipients: request.recipients ?? [] };
  const base = { document: { ...parsed, id: null, contentHash: hash }, extraction };

  if (request.dryRun) {
    const stored = await deps.store.db
      .selectFrom('documents')
      .select('id')
      .where('content_hash', '=', hash)
      .executeTakeFirst();
    const outcomes: IncidentOutcome[] = [];
    for (const proposal of extraction.incidents) {
      const where = located(proposal, deps.gazetteer);
      const match = await findMatch(deps.store.db, proposal, where?.at ?? null);
      const action = match ? 'would match' : where ? 'would create' : 'unplaced';
      outcomes.push({ proposal, action, incidentId: match?.incidentId ?? null, match, claimIds: [] });
    }
    return {
      ...base,
      document: { ...base.document, id: stored?.id ?? null },
      duplicate: stored !== undefined,
      outcomes,
    };
  }

  return recordTransaction(deps.store, deps.by, async (tx) => {
    const { document, created } = await insertDocument(tx, {
      body: parsed.body,
      ...(parsed.title ? { title: parsed.title } : {}),
      ...(parsed.url ? { url: parsed.url } : {}),
      ...(parsed.outlet ? { outlet: parsed.outlet } : {}),
      ...(parsed.publishedAt ? { publishedAt: parsed.publishedAt } : {}),
      ...sharing,
    });
    const result: IngestResult = {
      ...base,
      document: { ...base.document, id: document.id },
      duplicate: !created,
      outcomes: [],
    };
    // Its claims are already on the record: reading it again would only duplicate them.
    if (!created) return result;
    const places = extraction.incidents.flatMap((p) => located(p, deps.gazetteer)?.place ?? []);
    await ensureReferences(tx, extraction, deps, places);
    const publishedAt = parsed.publishedAt ?? new Date().toISOString();
    const db = tx.trx as unknown as Kysely<Database>;
    for (const proposal of extraction.incidents) {
      const where = located(proposal, deps.gazetteer);
      const outcome: IncidentOutcome = {
        proposal,
        action: 'unplaced',
        incidentId: null,
        match: null,
        claimIds: [],
      };
      result.outcomes.push(outcome);
      if (proposal.date.value.day > today) {
        outcome.action = 'skipped';
        outcome.note = `date ${proposal.date.value.day} is in the future`;
        continue;
      }
      const match = await findMatch(db, proposal, where?.at ?? null);
      if (match) {
        outcome.action = 'matched';
        outcome.match = match;
        outcome.incidentId = match.incidentId;
      } else if (where) {
        const incident = await insertIncident(tx, {
          type: proposal.type.value,
          title: proposal.title,
          occurredOn: proposal.date.value.day,
          datePrecision: proposal.date.value.precision,
          placeId: where.place.id,
          ...(proposal.actor ? { actorId: proposal.actor.value } : {}),
          ...(proposal.target ? { targetId: proposal.target.value } : {}),
          ...sharing,
        });
        outcome.action = 'created';
        outcome.incidentId = incident.id;
      } else {
        outcome.note = 'no place could be read and no recorded incident matches';
        continue;
      }
      for (const claim of proposal.claims) {
        const { claim: row } = await insertClaim(tx, {
          incidentId: outcome.incidentId,
          sourceId: claim.source.id,
          documentId: document.id,
          quote: claim.quote,
          span: claim.span,
          publishedAt,
          asserted: claim.asserted,
          figures: claim.figures.map(({ evidence: _e, ...figure }) => figure),
          // CODEBOOK: credibility 6 = "cannot be judged" until a monitor reads the claim.
          credibility: 6,
          ...sharing,
        });
        outcome.claimIds.push(row.id);
        await recordMatch(tx, {
          documentId: document.id,
          claimId: row.id,
          incidentId: outcome.incidentId!,
          decision: match ? 'matched' : 'created',
          score: match?.score ?? null,
          reason: match?.reason ?? `no recorded incident matched; created ${outcome.incidentId}`,
        });
      }
    }
    return result;
  });
}
