/** One incident as a UCDP GED row: deaths per side from the reconciled groups, low / best / high from the totals. */
import type { IncidentRow } from '../store/schema.ts';
import { distinct, type ExportActor, type ExportContext } from './acledExport.ts';
import { countryName } from './countries.ts';
import type { ExportClaim } from './read.ts';
import { type UcdpColumn, VIOLENCE_LABELS } from './ucdp.ts';

type Group = {
  category: string;
  side: string | null;
  low: number | null;
  best: number | null;
  high: number | null;
};

/** UCDP's three kinds: one-sided when civilians are the target, state-based when a state force is involved. */
export function violenceOf(actor: ExportActor | undefined, target: ExportActor | undefined): 1 | 2 | 3 {
  if (target?.kind === 'civilians') return 3;
  if (actor?.kind === 'state_force' || target?.kind === 'state_force') return 1;
  return 2;
}

/** Which GED column a reconciled group's deaths go to. */
function columnOf(
  group: Group,
  a: ExportActor | undefined,
  b: ExportActor | undefined,
): 'a' | 'b' | 'civilians' | 'unknown' {
  if (group.category === 'civilian') return 'civilians';
  if (group.category === 'unknown') return 'unknown';
  const matches = (actor: ExportActor | undefined) =>
    actor !== undefined &&
    actor.party_id === group.side &&
    (group.category === 'military') === (actor.kind === 'state_force');
  if (matches(a)) return 'a';
  if (matches(b)) return 'b';
  return 'unknown';
}

export function ucdpRow(
  incident: IncidentRow,
  claims: readonly ExportClaim[],
  ctx: ExportContext,
): Record<UcdpColumn, string | number> {
  const a = incident.actor_id ? ctx.actors.get(incident.actor_id) : undefined;
  const b = incident.target_id ? ctx.actors.get(incident.target_id) : undefined;
  const violence = violenceOf(a, b);
  const deaths = { a: 0, b: 0, civilians: 0, unknown: 0 };
  let [low, best, high] = [0, 0, 0];
  const groups = ((incident.fatalities as { groups?: Group[] }).groups ?? []) as Group[];
  for (const g of groups) {
    // A group no source sets a best for (only boasts or national media) counts its high, as in the ACLED export.
    const value = g.best ?? g.high ?? 0;
    deaths[columnOf(g, a, b)] += value;
    best += value;
    low += g.low ?? 0;
    high += g.high ?? value;
  }
  const label = VIOLENCE_LABELS[String(violence)]!;
  const titled = incident.title.startsWith(`${label} in `) ? incident.title.slice(label.length + 4) : null;
  const where =
    titled ??
    (incident.place_id ? ctx.places.get(incident.place_id) : undefined) ??
    incident.admin2 ??
    incident.admin1 ??
    '';
  const geoPrec = { 1: 1, 2: 3, 3: 4 }[incident.geo_precision ?? 3] ?? 4;
  const datePrec = { day: 1, week: 3, month: 4 }[incident.date_precision] ?? 1;
  const credibility = Math.min(6, ...claims.map((c) => c.credibility));
  // Imported GED events carry their end day as the claims' publication day; others end the day they happened.
  const ended = incident.id.startsWith('ucdp:')
    ? claims
        .map((c) => c.published_at.slice(0, 10))
        .filter((d) => d >= incident.occurred_on)
        .sort()
        .pop()
    : undefined;
  return {
    id: incident.id.startsWith('ucdp:') ? incident.id.slice('ucdp:'.length) : incident.id,
    relid: '',
    year: Number(incident.occurred_on.slice(0, 4)),
    active_year: '',
    code_status: '',
    type_of_violence: violence,
    conflict_dset_id: '',
    conflict_new_id: '',
    conflict_name: '',
    dyad_dset_id: '',
    dyad_new_id: '',
    dyad_name: a && b ? `${a.name} - ${b.name}` : '',
    side_a_dset_id: '',
    side_a_new_id: '',
    side_a: a?.name ?? '',
    side_b_dset_id: '',
    side_b_new_id: '',
    side_b: b?.name ?? '',
    number_of_sources: distinct(claims.map((c) => c.source_id)).length,
    source_article: distinct(claims.map((c) => c.source?.name ?? 'withheld')).join(';'),
    source_office: '',
    source_date: distinct(claims.map((c) => c.published_at.slice(0, 10))).join(';'),
    source_headline: distinct(claims.map((c) => c.quote)).join(';'),
    source_original: '',
    where_prec: geoPrec,
    where_coordinates: where,
    where_description: '',
    adm_1: incident.admin1 ?? '',
    adm_2: incident.admin2 ?? '',
    latitude: incident.lat ?? '',
    longitude: incident.lon ?? '',
    geom_wkt: incident.lat !== null && incident.lon !== null ? `POINT (${incident.lon} ${incident.lat})` : '',
    priogrid_gid: '',
    country: incident.country ? countryName(incident.country) : '',
    country_id: '',
    region: '',
    // UCDP clarity 1 is a clear, detailed event; Admiralty credibility 1–2 is as close as Truce has.
    event_clarity: credibility <= 2 ? 1 : 2,
    date_prec: datePrec,
    date_start: incident.occurred_on,
    date_end: ended ?? incident.occurred_on,
    deaths_a: deaths.a,
    deaths_b: deaths.b,
    deaths_civilians: deaths.civilians,
    deaths_unknown: deaths.unknown,
    best,
    high,
    low,
    gwnoa: '',
    gwnob: '',
  };
}
