/**
 * UCDP GED: its columns and codes, and the mapping of one GED event to an incident whose claim is
 * UCDP's own count per side, with UCDP's low and high kept as claims of their own
 * (docs/interop.md § UCDP says why).
 */
import type { Figure } from '../domain/figure.ts';
import type { IncidentType } from '../domain/incident.ts';
import { bad, clip, count, day, number, oneOf, required, text } from './columns.ts';
import { countryCode } from './countries.ts';
import type { ActorKind, ClaimDraft, EventDraft, ImportFormat, ResolvedActor } from './event.ts';

/** The GED columns, in GED's order (version 23.1 and later). */
export const UCDP_COLUMNS = [
  'id',
  'relid',
  'year',
  'active_year',
  'code_status',
  'type_of_violence',
  'conflict_dset_id',
  'conflict_new_id',
  'conflict_name',
  'dyad_dset_id',
  'dyad_new_id',
  'dyad_name',
  'side_a_dset_id',
  'side_a_new_id',
  'side_a',
  'side_b_dset_id',
  'side_b_new_id',
  'side_b',
  'number_of_sources',
  'source_article',
  'source_office',
  'source_date',
  'source_headline',
  'source_original',
  'where_prec',
  'where_coordinates',
  'where_description',
  'adm_1',
  'adm_2',
  'latitude',
  'longitude',
  'geom_wkt',
  'priogrid_gid',
  'country',
  'country_id',
  'region',
  'event_clarity',
  'date_prec',
  'date_start',
  'date_end',
  'deaths_a',
  'deaths_b',
  'deaths_civilians',
  'deaths_unknown',
  'best',
  'high',
  'low',
  'gwnoa',
  'gwnob',
] as const;
export type UcdpColumn = (typeof UCDP_COLUMNS)[number];

const REQUIRED: readonly UcdpColumn[] = [
  'id',
  'type_of_violence',
  'side_a',
  'side_b',
  'source_article',
  'source_headline',
  'where_prec',
  'latitude',
  'longitude',
  'adm_1',
  'adm_2',
  'event_clarity',
  'date_prec',
  'date_start',
  'date_end',
  'deaths_a',
  'deaths_b',
  'deaths_civilians',
  'deaths_unknown',
  'best',
  'high',
  'low',
];

export const VIOLENCE_LABELS: Record<string, string> = {
  '1': 'State-based violence',
  '2': 'Non-state violence',
  '3': 'One-sided violence',
};

export const UCDP_SOURCE = {
  id: 'ucdp-ged',
  name: 'UCDP Georeferenced Event Dataset',
  kind: 'ngo',
  reliability: 'B',
} as const;
const UCDP_LOW = {
  id: 'ucdp-ged.low',
  name: 'UCDP GED, low estimate',
  kind: 'ngo',
  reliability: 'B',
} as const;
const UCDP_HIGH = {
  id: 'ucdp-ged.high',
  name: 'UCDP GED, high estimate',
  kind: 'ngo',
  reliability: 'B',
} as const;

/** UCDP where_prec 1–7 → codebook geo precision: 1–2 the place, 3 the district, 4–7 the province or wider. */
export function geoPrecisionOf(wherePrec: string): 1 | 2 | 3 {
  return wherePrec === '1' || wherePrec === '2' ? 1 : wherePrec === '3' ? 2 : 3;
}

/** UCDP date_prec 1 the day, 2–3 within a week, 4–5 within a month or more. */
export function datePrecisionOf(datePrec: string): 'day' | 'week' | 'month' {
  return datePrec === '1' ? 'day' : datePrec === '2' || datePrec === '3' ? 'week' : 'month';
}

/** State-based and non-state violence are fighting; one-sided violence by a non-state group is a militant attack. */
function incidentTypeOf(violence: string, sideA: ResolvedActor): IncidentType {
  if (violence === '3') return sideA.kind === 'state_force' ? 'other' : 'militant_attack';
  return 'armed_clash';
}

function sideKind(name: string, violence: string, which: 'a' | 'b'): ActorKind {
  if (/^Government of\b/i.test(name)) return 'state_force';
  if (which === 'b' && violence === '3') return 'civilians';
  return 'non_state';
}

/** Whose losses a side's deaths are: a party's forces (military), civilians, or a group's fighters (militant). */
function figureOf(actor: ResolvedActor, value: number): Figure {
  const category =
    actor.kind === 'state_force' ? 'military' : actor.kind === 'civilians' ? 'civilian' : 'militant';
  return { measure: 'fatalities', category, side: actor.partyId, value, qualifier: 'exact' };
}

/** One figure per (category, side): two sides of the same group add up (a claim gives one figure per group). */
function merged(figures: Figure[]): Figure[] {
  const out = new Map<string, Figure>();
  for (const f of figures) {
    const key = `${f.category}|${f.side ?? ''}`;
    const seen = out.get(key);
    out.set(key, seen ? { ...seen, value: seen.value + f.value } : f);
  }
  return [...out.values()];
}

export const UCDP: ImportFormat = {
  name: 'ucdp',
  requiredColumns: REQUIRED,
  toEvent(values, refs, { today }): EventDraft {
    const id = required(values, 'id');
    if (!/^\d{1,15}(\.0+)?$/.test(id)) bad('id', `"${id}" is not a UCDP event id (a number)`);
    const eventId = String(Number(id));
    const violence = oneOf(values, 'type_of_violence', ['1', '2', '3'] as const);
    const occurredOn = day(values, 'date_start', today);
    const endsOn = day(values, 'date_end', today);
    if (endsOn < occurredOn) bad('date_end', `${endsOn} is before date_start ${occurredOn}`);
    const datePrec = oneOf(values, 'date_prec', ['1', '2', '3', '4', '5'] as const);
    const wherePrec = oneOf(values, 'where_prec', ['1', '2', '3', '4', '5', '6', '7'] as const);
    const lat = number(values, 'latitude', -90, 90);
    const lon = number(values, 'longitude', -180, 180);
    const deaths = {
      a: count(values, 'deaths_a'),
      b: count(values, 'deaths_b'),
      civilians: count(values, 'deaths_civilians'),
      unknown: count(values, 'deaths_unknown'),
    };
    const best = count(values, 'best');
    const low = count(values, 'low');
    const high = count(values, 'high');
    const sum = deaths.a + deaths.b + deaths.civilians + deaths.unknown;
    if (best !== sum)
      bad('best', `${best} is not deaths_a + deaths_b + deaths_civilians + deaths_unknown (${sum})`);
    if (low > best) bad('low', `${low} is above best ${best}`);
    if (high < best) bad('high', `${high} is below best ${best}`);
    const clarity = text(values, 'event_clarity');

    const sideA = required(values, 'side_a');
    const sideB = required(values, 'side_b');
    const actor = refs.actor(sideA, sideKind(sideA, violence, 'a'), occurredOn);
    const target = refs.actor(sideB, sideKind(sideB, violence, 'b'), occurredOn);
    const where =
      text(values, 'where_coordinates') ||
      text(values, 'adm_2') ||
      text(values, 'adm_1') ||
      text(values, 'country') ||
      'an unknown place';
    const publishedAt = `${endsOn}T00:00:00.000Z`;
    // Admiralty credibility: UCDP's clarity 1 (clear, detailed reports) is "probably true", 2 "possibly true".
    const credibility = clarity === '1' ? 2 : clarity === '2' ? 3 : 6;
    const headline = text(values, 'source_headline');
    const claims: ClaimDraft[] = [
      {
        source: refs.datasetSource(UCDP_SOURCE),
        publishedAt,
        quote:
          headline !== ''
            ? clip(headline, 5000)
            : `UCDP GED event ${eventId}: ${best} deaths (best estimate).`,
        figures: merged([
          figureOf(actor, deaths.a),
          figureOf(target, deaths.b),
          {
            measure: 'fatalities',
            category: 'civilian',
            side: null,
            value: deaths.civilians,
            qualifier: 'exact',
          },
          {
            measure: 'fatalities',
            category: 'unknown',
            side: null,
            value: deaths.unknown,
            qualifier: 'exact',
          },
        ]),
        credibility,
      },
    ];
    if (low < best || high > best) {
      // UCDP gives low and high for the event only, not per side: the spread is put on the unknown
      // group, so that the three estimates reconcile to UCDP's own low / best / high in total.
      const range = `(low ${low}, best ${best}, high ${high})`;
      claims.push(
        {
          source: refs.datasetSource(UCDP_LOW),
          publishedAt,
          quote: `UCDP GED event ${eventId}: low estimate ${low} deaths in all ${range}.`,
          figures: [
            {
              measure: 'fatalities',
              category: 'unknown',
              side: null,
              value: Math.max(0, deaths.unknown - (best - low)),
              qualifier: 'exact',
            },
          ],
          credibility,
        },
        {
          source: refs.datasetSource(UCDP_HIGH),
          publishedAt,
          quote: `UCDP GED event ${eventId}: high estimate ${high} deaths in all ${range}.`,
          figures: [
            {
              measure: 'fatalities',
              category: 'unknown',
              side: null,
              value: deaths.unknown + (high - best),
              qualifier: 'exact',
            },
          ],
          credibility,
        },
      );
    }
    const countryName = text(values, 'country');
    return {
      id: `ucdp:${eventId}`,
      type: incidentTypeOf(violence, actor),
      title: clip(`${VIOLENCE_LABELS[violence]} in ${where}`, 300),
      occurredOn,
      datePrecision: datePrecisionOf(datePrec),
      lat,
      lon,
      geoPrecision: geoPrecisionOf(wherePrec),
      country: countryName === '' ? null : countryCode(countryName),
      admin1: text(values, 'adm_1') || null,
      admin2: text(values, 'adm_2') || null,
      actor,
      target,
      claims,
    };
  },
};
