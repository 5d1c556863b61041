/** Creating incidents: validated against the codebook, placed from the gazetteer, entered on the ledger. */
import type { Transaction } from 'kysely';
import { TruceError } from '../domain/errors.ts';
import { IncidentInputSchema } from '../domain/incident.ts';
import { reconcileFigures } from '../domain/reconcile.ts';
import type { Database, IncidentRow } from '../store/schema.ts';
import { newId } from './ids.ts';
import { mustBeNew, mustExist } from './lookup.ts';
import { parseInput } from './parse.ts';
import { mutation, type RecordTx } from './transaction.ts';

const EMPTY = reconcileFigures([]);
export const NO_FIGURES = {
  fatalities: { totals: EMPTY.totals.fatalities, groups: [] },
  injuries: { totals: EMPTY.totals.injuries, groups: [] },
};

async function placement(
  trx: Transaction<Database>,
  input: {
    placeId?: string | undefined;
    lat?: number | undefined;
    lon?: number | undefined;
    geoPrecision?: 1 | 2 | 3 | undefined;
  },
) {
  if (input.placeId) {
    const place = await mustExist(trx, 'places', input.placeId, 'placeId');
    return {
      place_id: place.id,
      lat: input.lat ?? place.lat,
      lon: input.lon ?? place.lon,
      geo_precision: input.geoPrecision ?? place.geo_precision,
      country: place.country,
      // A province's own admin1 is itself; a country has neither.
      admin1: place.admin1 ?? (place.kind === 'province' ? place.name : null),
      admin2: place.admin2 ?? (place.kind === 'district' ? place.name : null),
    };
  }
  return {
    place_id: null,
    lat: input.lat ?? null,
    lon: input.lon ?? null,
    geo_precision: input.geoPrecision ?? 1,
    country: null,
    admin1: null,
    admin2: null,
  };
}

/** Builds and inserts an incident inside an open record transaction (ingest and imports reuse it). */
export async function insertIncident(tx: RecordTx, input: unknown): Promise<IncidentRow> {
  const parsed = parseInput(IncidentInputSchema, input);
  const id = parsed.id ?? newId('inc');
  if (parsed.id) await mustBeNew(tx.trx, 'incidents', id);
  if (parsed.actorId) await mustExist(tx.trx, 'actors', parsed.actorId, 'actorId');
  if (parsed.targetId) await mustExist(tx.trx, 'actors', parsed.targetId, 'targetId');
  if (parsed.occurredOn > new Date().toISOString().slice(0, 10)) {
    throw new TruceError('invalid_input', 'occurredOn: must not be in the future', { field: 'occurredOn' });
  }
  for (const recipient of parsed.recipients) {
    if (parsed.tlp === 'AMBER' || parsed.tlp === 'AMBER+STRICT')
      await mustExist(tx.trx, 'parties', recipient, 'recipients');
  }
  const now = new Date().toISOString();
  const row: Omit<IncidentRow, 'ledger_seq'> = {
    id,
    type: parsed.type,
    title: parsed.title,
    occurred_on: parsed.occurredOn,
    date_precision: parsed.datePrecision,
    ...(await placement(tx.trx, parsed)),
    actor_id: parsed.actorId ?? null,
    target_id: parsed.targetId ?? null,
    status: 'reported',
    fatalities: NO_FIGURES.fatalities,
    injuries: NO_FIGURES.injuries,
    figures_disputed: false,
    fatalities_best: 0,
    chain_id: parsed.chainId ?? null,
    merged_into: null,
    tlp: parsed.tlp,
    recipients: parsed.recipients,
    created_at: now,
    updated_at: now,
  };
  const { seq } = await tx.commit('incident.created', { incidentId: id }, [
    { op: 'insert', table: 'incidents', row },
  ]);
  return { ...row, ledger_seq: seq };
}

export const createIncident = mutation(insertIncident);
