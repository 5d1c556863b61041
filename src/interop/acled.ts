/**
 * ACLED: its event and sub-event types, precision codes, inter codes and source scales, and the
 * mapping of one ACLED row to an incident with one claim (docs/interop.md § ACLED says why).
 */
import type { SourceKind } from '../domain/figure.ts';
import type { IncidentType } from '../domain/incident.ts';
import { bad, clip, count, day, number, oneOf, required, text } from './columns.ts';
import { countryCode, countryOfNumeric } from './countries.ts';
import type { ActorKind, EventDraft, ImportFormat, References, ResolvedActor } from './event.ts';

export const ACLED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'timestamp',
] as const;
export type AcledColumn = (typeof ACLED_COLUMNS)[number];

/** What the importer reads; the other columns may be absent (older and API exports differ). */
const REQUIRED: readonly AcledColumn[] = [
  'event_id_cnty',
  'event_date',
  'time_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'actor2',
  'country',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'notes',
  'fatalities',
];

type AcledType = {
  disorder: string;
  /** Sub-event type → codebook type; `null` where the actor decides (see typeOf). */
  subs: Record<string, IncidentType | null>;
};

/** ACLED codebook event types with their sub-event types, mapped to CODEBOOK § Incidents types. */
export const ACLED_TYPES: Record<string, AcledType> = {
  Battles: {
    disorder: 'Political violence',
    subs: {
      'Armed clash': 'armed_clash',
      'Government regains territory': 'armed_clash',
      'Non-state actor overtakes territory': 'armed_clash',
    },
  },
  'Explosions/Remote violence': {
    disorder: 'Political violence',
    subs: {
      // Air and drone strikes share one ACLED sub-event type; the notes tell them apart.
      'Air/drone strike': null,
      'Shelling/artillery/missile attack': 'shelling',
      'Remote explosive/landmine/IED': 'militant_attack',
      'Suicide bomb': 'militant_attack',
      Grenade: 'militant_attack',
      'Chemical weapon': 'other',
    },
  },
  'Violence against civilians': {
    disorder: 'Political violence',
    // An attack by a non-state group is a militant attack; by state forces it has no codebook type of its own.
    subs: { Attack: null, 'Abduction/forced disappearance': 'other', 'Sexual violence': 'other' },
  },
  Protests: {
    disorder: 'Demonstrations',
    subs: {
      'Peaceful protest': 'other',
      'Protest with intervention': 'other',
      'Excessive force against protesters': 'other',
    },
  },
  Riots: { disorder: 'Demonstrations', subs: { 'Violent demonstration': 'other', 'Mob violence': 'other' } },
  'Strategic developments': {
    disorder: 'Strategic developments',
    subs: {
      Agreement: 'other',
      Arrests: 'other',
      'Change to group/activity': 'other',
      'Disrupted weapons use': 'other',
      'Headquarters or base established': 'other',
      'Looting/property destruction': 'other',
      'Non-violent transfer of territory': 'other',
      Other: 'other',
    },
  },
};

/** ACLED inter codes, numeric (1–8) or as words (exports since 2024), → codebook actor kind. */
const INTER_WORDS: Record<string, string> = {
  'state forces': '1',
  'rebel group': '2',
  'rebel groups': '2',
  'political militia': '3',
  'political militias': '3',
  'identity militia': '4',
  'identity militias': '4',
  rioters: '5',
  protesters: '6',
  civilians: '7',
  'external/other forces': '8',
  'external/other force': '8',
};

export function actorKindOfInter(inter: string): ActorKind {
  const raw = inter.trim().toLowerCase().replace(/\.0+$/, '');
  const code = INTER_WORDS[raw] ?? raw;
  if (code === '1' || code === '8') return 'state_force';
  if (code === '7') return 'civilians';
  if (['2', '3', '4', '5', '6'].includes(code)) return 'non_state';
  return 'unknown';
}

/** ACLED `source_scale` → source kind: the most independent scale named wins ("National-International" is wire). */
export function sourceKindOfScale(scale: string): SourceKind {
  const s = scale.toLowerCase();
  if (s.includes('international')) return 'wire';
  if (s.includes('local partner')) return 'ngo';
  if (s.includes('national') || s.includes('regional') || s.includes('subnational')) return 'national_media';
  if (s.includes('new media')) return 'social_media';
  if (s.includes('other')) return 'analyst';
  return 'national_media';
}

const DRONE = /\b(drones?|UAVs?|unmanned (?:aerial|air))\b/i;

export function incidentTypeOf(
  eventType: string,
  subEventType: string,
  notes: string,
  actor: ActorKind,
): IncidentType {
  const mapped = ACLED_TYPES[eventType]!.subs[subEventType];
  if (mapped !== undefined && mapped !== null) return mapped;
  if (subEventType === 'Air/drone strike') return DRONE.test(notes) ? 'drone_strike' : 'airstrike';
  if (subEventType === 'Attack')
    return actor === 'non_state' || actor === 'unknown' ? 'militant_attack' : 'other';
  // A sub-event type this table does not know yet: the event type's violent default, else other.
  return eventType === 'Battles' ? 'armed_clash' : 'other';
}

/** Titles read "Air/drone strike in Datta Khel": the export gets the sub-event type and location back from them. */
export function acledTitle(subEventType: string, location: string): string {
  return clip(`${subEventType} in ${location}`, 300);
}

/** The quote of a row without notes: the claim needs words, and the export turns this back into an empty cell. */
export const NO_NOTES = '(ACLED row without notes)';

function actorOf(
  refs: References,
  values: Record<string, string>,
  which: 1 | 2,
  on: string,
): ResolvedActor | null {
  const name = text(values, `actor${which}`);
  if (name === '') {
    if (which === 1) bad('actor1', 'must not be empty');
    return null;
  }
  return refs.actor(name, actorKindOfInter(text(values, `inter${which}`)), on);
}

function publishedAt(values: Record<string, string>, occurredOn: string): string {
  // ACLED's timestamp is when it recorded the row (Unix seconds); the claim cannot predate the event.
  const raw = text(values, 'timestamp');
  if (raw !== '' && /^\d{9,11}(\.0+)?$/.test(raw)) {
    const at = new Date(Number(raw) * 1000).toISOString();
    if (at.slice(0, 10) >= occurredOn) return at;
  }
  return `${occurredOn}T00:00:00.000Z`;
}

export const ACLED: ImportFormat = {
  name: 'acled',
  requiredColumns: REQUIRED,
  toEvent(values, refs, { today }): EventDraft {
    const eventId = required(values, 'event_id_cnty');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,90}$/.test(eventId))
      bad('event_id_cnty', `"${eventId}" is not an ACLED event id (letters and digits, such as PAK12345)`);
    const occurredOn = day(values, 'event_date', today);
    const year = text(values, 'year');
    if (year !== '' && Number(year) !== Number(occurredOn.slice(0, 4)))
      bad('year', `${year} is not the year of event_date ${occurredOn}`);
    const timePrecision = oneOf(values, 'time_precision', ['1', '2', '3'] as const);
    const eventType = required(values, 'event_type');
    if (!ACLED_TYPES[eventType])
      bad('event_type', `"${eventType}" is not an ACLED event type (${Object.keys(ACLED_TYPES).join(', ')})`);
    const subEventType = required(values, 'sub_event_type');
    const lat = number(values, 'latitude', -90, 90);
    const lon = number(values, 'longitude', -180, 180);
    const geoPrecision = Number(oneOf(values, 'geo_precision', ['1', '2', '3'] as const)) as 1 | 2 | 3;
    const fatalities = count(values, 'fatalities');
    const notes = text(values, 'notes');
    const location = required(values, 'location');
    const actor = actorOf(refs, values, 1, occurredOn);
    const target = actorOf(refs, values, 2, occurredOn);
    const sourceName = text(values, 'source');
    const source =
      sourceName === ''
        ? refs.datasetSource({ id: 'acled', name: 'ACLED', kind: 'ngo', reliability: 'B' })
        : refs.outlet(sourceName, sourceKindOfScale(text(values, 'source_scale')));
    const country = countryOfNumeric(text(values, 'iso')) ?? countryCode(required(values, 'country')) ?? null;
    return {
      id: `acled:${eventId}`,
      type: incidentTypeOf(eventType, subEventType, notes, (actor?.kind ?? 'unknown') as ActorKind),
      title: acledTitle(subEventType, location),
      occurredOn,
      // ACLED time_precision: 1 the day, 2 within a week, 3 within a month.
      datePrecision: timePrecision === '1' ? 'day' : timePrecision === '2' ? 'week' : 'month',
      lat,
      lon,
      // ACLED geo_precision 1/2/3 has the codebook's meaning: town, district (near), province.
      geoPrecision,
      country,
      admin1: text(values, 'admin1') || null,
      admin2: text(values, 'admin2') || null,
      actor,
      target,
      claims: [
        {
          source,
          publishedAt: publishedAt(values, occurredOn),
          quote: notes === '' ? NO_NOTES : notes,
          // ACLED's count covers everyone killed, whoever they were: one figure, category unknown, no side.
          figures: [
            { measure: 'fatalities', category: 'unknown', side: null, value: fatalities, qualifier: 'exact' },
          ],
          credibility: 6,
        },
      ],
    };
  },
};
