/** Writes the reference records other records point at: parties, actors, sources, gazetteer places. */

import type { SourceInput } from '../domain/party.ts';
import {
  type ActorInput,
  ActorInputSchema,
  type PartyInput,
  PartyInputSchema,
  SourceInputSchema,
} from '../domain/party.ts';
import type { Place } from '../gazetteer/place.ts';
import type { ActorRow, PartyRow, PlaceRow, SourceRow } from '../store/schema.ts';
import { mustBeNew, mustExist } from './lookup.ts';
import { parseInput } from './parse.ts';
import { mutation, type RecordTx } from './transaction.ts';

export async function insertParty(tx: RecordTx, input: unknown): Promise<PartyRow> {
  const party: PartyInput = parseInput(PartyInputSchema, input);
  await mustBeNew(tx.trx, 'parties', party.id);
  const row = { id: party.id, name: party.name, role: party.role };
  const { seq } = await tx.commit('party.created', { partyId: party.id }, [
    { op: 'insert', table: 'parties', row },
  ]);
  return { ...row, ledger_seq: seq };
}

export const createParty = mutation(insertParty);

export async function insertActor(tx: RecordTx, input: unknown): Promise<ActorRow> {
  const actor: ActorInput = parseInput(ActorInputSchema, input);
  await mustBeNew(tx.trx, 'actors', actor.id);
  if (actor.partyId) await mustExist(tx.trx, 'parties', actor.partyId, 'partyId');
  const row = { id: actor.id, name: actor.name, kind: actor.kind, party_id: actor.partyId };
  const { seq } = await tx.commit('actor.created', { actorId: actor.id }, [
    { op: 'insert', table: 'actors', row },
  ]);
  return { ...row, ledger_seq: seq };
}

export const createActor = mutation(insertActor);

export async function insertSource(tx: RecordTx, input: unknown): Promise<SourceRow> {
  const source: SourceInput = parseInput(SourceInputSchema, input);
  await mustBeNew(tx.trx, 'sources', source.id);
  if (source.affiliation) await mustExist(tx.trx, 'parties', source.affiliation, 'affiliation');
  const row = {
    id: source.id,
    name: source.name,
    kind: source.kind,
    affiliation: source.affiliation,
    reliability: source.reliability,
    protected: source.protected,
  };
  const { seq } = await tx.commit('source.created', { sourceId: source.id }, [
    { op: 'insert', table: 'sources', row },
  ]);
  return { ...row, ledger_seq: seq };
}

export const createSource = mutation(insertSource);

export type PlaceInput = Omit<PlaceRow, 'ledger_seq'>;

/** A gazetteer place as the row the places table holds. */
export function placeRow(place: Place): PlaceInput {
  return {
    id: place.id,
    name: place.name,
    kind: place.kind,
    country: place.country,
    admin1: place.admin1,
    admin2: place.admin2,
    lat: place.lat,
    lon: place.lon,
    geo_precision: place.geoPrecision,
    aliases: place.aliases,
    names: place.names,
    crossing_kind: place.crossingKind ?? null,
    coord_source: place.source,
  };
}

/** Gazetteer places, one entry each; places already present are left as they are. */
export async function insertPlaces(tx: RecordTx, places: readonly PlaceInput[]): Promise<number> {
  const existing = new Set((await tx.trx.selectFrom('places').select('id').execute()).map((r) => r.id));
  let added = 0;
  for (const place of places) {
    if (existing.has(place.id)) continue;
    await tx.commit('place.created', { placeId: place.id }, [
      { op: 'insert', table: 'places', row: { ...place } },
    ]);
    added += 1;
  }
  return added;
}

export const loadPlaces = mutation(insertPlaces);
