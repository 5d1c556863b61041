/**
 * New America's "Drone Strikes: Pakistan" table (data/datasets/new-america-drone-strikes.csv):
 * one row per US drone strike with low and high counts of militants, civilians and unknown
 * killed; the low counts are New America's claim, the high counts a claim of their own.
 */
import { bad, count, day, number, required, text, titleCase } from './columns.ts';
import type { ClaimDraft, EventDraft, ImportFormat } from './event.ts';

const CATEGORIES = [
  ['militants', 'militant'],
  ['civilians', 'civilian'],
  ['unknown', 'unknown'],
] as const;

const REQUIRED = [
  '',
  'date',
  'village',
  'region',
  'province',
  'militants-killed-low',
  'militants-killed-high',
  'civilians-killed-low',
  'civilians-killed-high',
  'unknown-killed-low',
  'unknown-killed-high',
  'target-latitude',
  'target-longitude',
  'target-type',
  'target-organization',
] as const;

export const NEW_AMERICA_SOURCE = {
  id: 'new-america',
  name: 'New America, Drone Strikes: Pakistan',
  kind: 'ngo',
  reliability: 'B',
} as const;
const NEW_AMERICA_HIGH = {
  id: 'new-america.high',
  name: 'New America, Drone Strikes: Pakistan (highest reported counts)',
  kind: 'ngo',
  reliability: 'B',
} as const;

export const NEW_AMERICA: ImportFormat = {
  name: 'new-america',
  requiredColumns: REQUIRED,
  toEvent(values, refs, { today }): EventDraft {
    // The unnamed first column is the table's row number: the only key that tells apart two strikes
    // on the same day at the same place (2012-08-24, Darray Nashtar).
    const index = required(values, '');
    if (!/^\d{1,9}$/.test(index)) bad('(first column)', `"${index}" is not a row number`);
    const occurredOn = day(values, 'date', today);
    const lat = number(values, 'target-latitude', -90, 90);
    const lon = number(values, 'target-longitude', -180, 180);
    const low = CATEGORIES.map(([column]) => count(values, `${column}-killed-low`));
    const high = CATEGORIES.map(([column]) => count(values, `${column}-killed-high`));
    // A category's low may exceed its high (strike 139: unknown 1–0): low and high are two reports'
    // counts, each adding up to its total, so they are entered as two claims and reconciled as such.
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    for (const [column, counts] of [
      ['total-killed-low', low],
      ['total-killed-high', high],
    ] as const) {
      const total = text(values, column);
      if (total !== '' && Number(total) !== sum(counts))
        bad(
          column,
          `${total} is not the sum of the militants, civilians and unknown counts (${sum(counts)})`,
        );
    }
    const village = titleCase(required(values, 'village'));
    const region = titleCase(text(values, 'region'));
    const organization = text(values, 'target-organization');
    const targetType = text(values, 'target-type');
    const leaders = text(values, 'leader-names');
    const actor = refs.actor('United States', 'state_force', occurredOn);
    const target =
      organization === '' || organization.toLowerCase() === 'unclear'
        ? null
        : refs.actor(titleCase(organization), 'non_state', occurredOn);
    const figures = (counts: number[]) =>
      CATEGORIES.map(([, category], i) => ({
        measure: 'fatalities' as const,
        category,
        side: null,
        value: counts[i]!,
        qualifier: 'exact' as const,
      }));
    const deaths = (counts: number[]) =>
      `${counts[0]} militants, ${counts[1]} civilians, ${counts[2]} unknown (${sum(counts)} in all)`;
    const publishedAt = `${occurredOn}T00:00:00.000Z`;
    const claims: ClaimDraft[] = [
      {
        source: refs.datasetSource(NEW_AMERICA_SOURCE),
        publishedAt,
        quote:
          `New America, strike ${index}, ${occurredOn}, ${village}${region ? ` (${region})` : ''}: ` +
          `lowest reported deaths ${deaths(low)}; target: ${targetType || 'unclear'}, ${organization || 'unclear'}` +
          (leaders && leaders !== 'none' ? `; leaders killed: ${leaders}.` : '.'),
        figures: figures(low),
        credibility: 6,
      },
    ];
    if (high.some((h, i) => h !== low[i])) {
      claims.push({
        source: refs.datasetSource(NEW_AMERICA_HIGH),
        publishedAt,
        quote: `New America, strike ${index}: highest reported deaths ${deaths(high)}.`,
        figures: figures(high),
        credibility: 6,
      });
    }
    return {
      id: `new-america:pk-${Number(index)}`,
      type: 'drone_strike',
      title: `Drone strike in ${village}`.slice(0, 300),
      occurredOn,
      datePrecision: 'day',
      lat,
      lon,
      geoPrecision: 1,
      // The table covers strikes in Pakistan only.
      country: 'PK',
      admin1: titleCase(text(values, 'province')) || null,
      admin2: region || null,
      actor,
      target,
      claims,
    };
  },
};
