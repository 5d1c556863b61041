/** Presenters: the one place that shapes what a client sees (camelCase, places nested, internals dropped). */

import type { IncidentRow } from '../store/schema.ts';
import type { IncidentRecord } from './incidents.ts';

type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
export type Presented<T> = { [K in keyof T as Camel<K & string>]: T[K] };

export function camelize<T extends object>(row: T): Presented<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row))
    out[key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = value;
  return out as Presented<T>;
}

export function presentIncident(row: IncidentRow) {
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    occurredOn: row.occurred_on,
    datePrecision: row.date_precision,
    place: {
      id: row.place_id,
      lat: row.lat,
      lon: row.lon,
      geoPrecision: row.geo_precision,
      country: row.country,
      admin1: row.admin1,
      admin2: row.admin2,
    },
    actorId: row.actor_id,
    targetId: row.target_id,
    status: row.status,
    fatalities: row.fatalities,
    injuries: row.injuries,
    fatalitiesBest: row.fatalities_best,
    figuresDisputed: row.figures_disputed,
    chainId: row.chain_id,
    mergedInto: row.merged_into,
    tlp: row.tlp,
    recipients: row.recipients,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ledgerSeq: row.ledger_seq,
  };
}

export function presentIncidentRecord(record: IncidentRecord) {
  return {
    ...presentIncident(record.incident),
    claims: record.claims.map((claim) => ({
      ...camelize(claim),
      span: claim.span_start === null ? null : { start: claim.span_start, end: claim.span_end },
    })),
    statusHistory: record.statusHistory.map(camelize),
    answers: record.answers.map(camelize),
    answeredBy: record.answeredBy.map(camelize),
    merged: record.merged.map((m) => ({ id: m.id, title: m.title, occurredOn: m.occurred_on })),
  };
}
