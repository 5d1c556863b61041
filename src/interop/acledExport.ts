/** One incident as an ACLED row: the import's mapping read backwards (docs/interop.md § Exporting says what is lossy). */
import type { IncidentType } from '../domain/incident.ts';
import type { IncidentRow } from '../store/schema.ts';
import { ACLED_TYPES, type AcledColumn, actorKindOfInter, NO_NOTES } from './acled.ts';
import { countryName, numericOf } from './countries.ts';
import type { ExportClaim } from './read.ts';

export type ExportActor = { name: string; kind: string; party_id: string | null };
export type ExportContext = {
  actors: ReadonlyMap<string, ExportActor>;
  /** Gazetteer place names, for incidents entered with a place rather than from a dataset. */
  places: ReadonlyMap<string, string>;
};

/** The ACLED event and sub-event type each codebook type is written as when its title does not say. */
const CANONICAL: Record<IncidentType, [string, string]> = {
  airstrike: ['Explosions/Remote violence', 'Air/drone strike'],
  drone_strike: ['Explosions/Remote violence', 'Air/drone strike'],
  shelling: ['Explosions/Remote violence', 'Shelling/artillery/missile attack'],
  armed_clash: ['Battles', 'Armed clash'],
  militant_attack: ['Explosions/Remote violence', 'Remote explosive/landmine/IED'],
  crossing_closure: ['Strategic developments', 'Other'],
  crossing_reopening: ['Strategic developments', 'Other'],
  other: ['Strategic developments', 'Other'],
};

/** Sub-event types ACLED files under both political violence and demonstrations. */
const BOTH_DISORDERS = new Set(['Excessive force against protesters', 'Mob violence']);

const EVENT_OF_SUB = new Map<string, string>(
  Object.entries(ACLED_TYPES).flatMap(([eventType, t]) => Object.keys(t.subs).map((sub) => [sub, eventType])),
);

function compatible(eventType: string, sub: string, type: string): boolean {
  const mapped = ACLED_TYPES[eventType]?.subs[sub];
  if (mapped === undefined) return false;
  if (mapped !== null) return mapped === type;
  return sub === 'Air/drone strike'
    ? type === 'airstrike' || type === 'drone_strike'
    : type === 'militant_attack' || type === 'other';
}

/**
 * The ACLED type and location of an incident. Imported titles read "<sub-event type> in <location>"
 * and give both back; any other incident gets its type's canonical ACLED type and its place's name.
 */
export function acledTypeAndLocation(
  incident: IncidentRow,
  ctx: ExportContext,
  target: ExportActor | undefined,
): { eventType: string; sub: string; location: string } {
  const titled = /^(.+?) in (.+)$/s.exec(incident.title);
  if (titled) {
    const eventType = EVENT_OF_SUB.get(titled[1]!);
    if (eventType && compatible(eventType, titled[1]!, incident.type))
      return { eventType, sub: titled[1]!, location: titled[2]! };
  }
  let [eventType, sub] = CANONICAL[incident.type as IncidentType] ?? CANONICAL.other;
  if (incident.type === 'militant_attack' && target?.kind === 'civilians')
    [eventType, sub] = ['Violence against civilians', 'Attack'];
  const location =
    (incident.place_id ? ctx.places.get(incident.place_id) : undefined) ??
    incident.admin2 ??
    incident.admin1 ??
    '';
  return { eventType, sub, location };
}

/** ACLED inter code of a codebook actor kind (non-state groups written as rebel groups, 2). */
export function interOf(actor: ExportActor | undefined): number {
  if (!actor) return 0;
  return { state_force: 1, non_state: 2, civilians: 7, unknown: 3 }[actor.kind] ?? 0;
}

const SCALE_OF_KIND: Record<string, string> = {
  wire: 'International',
  national_media: 'National',
  state_media: 'National',
  ngo: 'Local partner',
  social_media: 'New media',
  party_official: 'Other',
  monitor: 'Other',
  analyst: 'Other',
};

/** A group's single figure for datasets that give one: best, or the high when no source sets a best. */
export function fatalityCount(incident: IncidentRow): number {
  const groups =
    (incident.fatalities as { groups?: { best: number | null; high: number | null }[] }).groups ?? [];
  return groups.reduce((sum, g) => sum + (g.best ?? g.high ?? 0), 0);
}

export function distinct(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))];
}

export function acledRow(
  incident: IncidentRow,
  claims: readonly ExportClaim[],
  ctx: ExportContext,
): Record<AcledColumn, string | number> {
  const actor = incident.actor_id ? ctx.actors.get(incident.actor_id) : undefined;
  const target = incident.target_id ? ctx.actors.get(incident.target_id) : undefined;
  const { eventType, sub, location } = acledTypeAndLocation(incident, ctx, target);
  const inter1 = interOf(actor);
  const inter2 = interOf(target);
  const [lo, hi] = [Math.min(inter1, inter2), Math.max(inter1, inter2)];
  const published = claims.map((c) => Date.parse(c.published_at));
  const precision = { day: 1, week: 2, month: 3 }[incident.date_precision] ?? 1;
  return {
    event_id_cnty: incident.id.startsWith('acled:') ? incident.id.slice('acled:'.length) : incident.id,
    event_date: incident.occurred_on,
    year: Number(incident.occurred_on.slice(0, 4)),
    time_precision: precision,
    disorder_type: BOTH_DISORDERS.has(sub)
      ? 'Political violence; Demonstrations'
      : (ACLED_TYPES[eventType]?.disorder ?? ''),
    event_type: eventType,
    sub_event_type: sub,
    actor1: actor?.name ?? '',
    assoc_actor_1: '',
    inter1: actor ? inter1 : '',
    actor2: target?.name ?? '',
    assoc_actor_2: '',
    inter2: target ? inter2 : '',
    interaction: actor ? (lo === 0 ? hi * 10 : lo * 10 + hi) : '',
    civilian_targeting:
      target && actorKindOfInter(String(inter2)) === 'civilians' ? 'Civilian targeting' : '',
    iso: incident.country ? numericOf(incident.country) : '',
    region: '',
    country: incident.country ? countryName(incident.country) : '',
    admin1: incident.admin1 ?? '',
    admin2: incident.admin2 ?? '',
    admin3: '',
    location,
    latitude: incident.lat ?? '',
    longitude: incident.lon ?? '',
    geo_precision: incident.geo_precision ?? '',
    source: distinct(claims.map((c) => c.source?.name ?? 'withheld')).join('; '),
    source_scale: distinct(claims.map((c) => SCALE_OF_KIND[c.source?.kind ?? ''] ?? '')).join('-'),
    notes: distinct(claims.map((c) => (c.quote === NO_NOTES ? '' : c.quote))).join(' | '),
    fatalities: fatalityCount(incident),
    timestamp: published.length > 0 ? Math.floor(Math.max(...published) / 1000) : '',
  };
}
