/** The shape of one gazetteer place (country, province, district, town, border post or crossing), as zod. */

import { z } from 'zod';

export const PLACE_KINDS = ['country', 'province', 'district', 'town', 'border_post', 'crossing'] as const;
export const CROSSING_KINDS = ['trade', 'pedestrian', 'both'] as const;

export const PlaceKindSchema = z.enum(PLACE_KINDS);
export type PlaceKind = z.infer<typeof PlaceKindSchema>;

export const CrossingKindSchema = z.enum(CROSSING_KINDS);
export type CrossingKind = z.infer<typeof CrossingKindSchema>;

/** Stable slugs: lower-case ASCII words joined by single hyphens, so ids survive URLs and file names. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const nativeName = z.string().trim().min(1);

export const PlaceSchema = z
  .strictObject({
    id: z.string().regex(SLUG, 'id must be a lower-case slug (a-z, 0-9, single hyphens)'),
    /** English name as the press commonly writes it. */
    name: z.string().trim().min(1),
    kind: PlaceKindSchema,
    /** ISO 3166-1 alpha-2. A crossing is filed under the side its source places it on: a filing rule, not a claim about the border. */
    country: z.enum(['AF', 'PK']),
    admin1: z.string().trim().min(1).nullable(),
    admin2: z.string().trim().min(1).nullable(),
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    /** Codebook geo_precision: 1 exact town/post/crossing, 2 district, 3 province (and country). */
    geoPrecision: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    /** Other English spellings and names (press variants, former names, the other side's name for a crossing). */
    aliases: z.array(z.string().trim().min(1)),
    names: z.strictObject({
      fa: nativeName.optional(),
      ps: nativeName.optional(),
      ur: nativeName.optional(),
    }),
    crossingKind: CrossingKindSchema.optional(),
    /** For a crossing: id of the district or town on the other side of the border. */
    counterpart: z.string().regex(SLUG).optional(),
    /** Key into data/SOURCES.md naming where the coordinate comes from. */
    source: z.string().trim().min(1),
  })
  .superRefine((place, ctx) => {
    // Kind-specific fields are checked here so that a bad row fails at load, not deep inside a query.
    if (place.kind !== 'crossing') {
      if (place.crossingKind !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['crossingKind'],
          message: 'only a crossing has a crossingKind',
        });
      }
      if (place.counterpart !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['counterpart'], message: 'only a crossing has a counterpart' });
      }
    } else if (place.counterpart === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['counterpart'],
        message: 'a crossing needs the id of the other side',
      });
    }
    if (place.kind === 'country' && (place.admin1 !== null || place.admin2 !== null)) {
      ctx.addIssue({ code: 'custom', path: ['admin1'], message: 'a country has no admin1/admin2' });
    }
    if (place.kind !== 'country' && place.admin1 === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['admin1'],
        message: 'every place below a country names its province',
      });
    }
    if (place.kind === 'province' && place.admin2 !== null) {
      ctx.addIssue({ code: 'custom', path: ['admin2'], message: 'a province has no admin2' });
    }
    if (place.kind === 'district' && place.admin2 === null) {
      ctx.addIssue({ code: 'custom', path: ['admin2'], message: 'a district names itself as admin2' });
    }
  });

export type Place = z.infer<typeof PlaceSchema>;

export const PlacesSchema = z.array(PlaceSchema);
