/** What an incident is: one event at one place on one day (CODEBOOK § Incidents). */
import { z } from 'zod';
import { DaySchema, IdSchema, text } from './text.ts';
import { SharingSchema } from './tlp.ts';

export const INCIDENT_TYPES = [
  'airstrike',
  'drone_strike',
  'shelling',
  'armed_clash',
  'militant_attack',
  'crossing_closure',
  'crossing_reopening',
  'other',
] as const;
export const IncidentTypeSchema = z.enum(INCIDENT_TYPES);
export type IncidentType = z.infer<typeof IncidentTypeSchema>;

export const DatePrecisionSchema = z.enum(['day', 'week', 'month']);
export const GeoPrecisionSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

export const IncidentInputSchema = z
  .object({
    id: IdSchema.optional(),
    type: IncidentTypeSchema,
    title: text(300),
    occurredOn: DaySchema,
    datePrecision: DatePrecisionSchema.default('day'),
    /** A gazetteer place; country, admin areas, point and precision are derived from it. */
    placeId: IdSchema.optional(),
    /** An explicit point, when no gazetteer place fits or to refine one. */
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    geoPrecision: GeoPrecisionSchema.optional(),
    actorId: IdSchema.optional(),
    targetId: IdSchema.optional(),
    chainId: IdSchema.optional(),
  })
  .and(SharingSchema)
  .superRefine((value, ctx) => {
    if ((value.lat === undefined) !== (value.lon === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['lon'], message: 'lat and lon go together' });
    }
    if (value.placeId === undefined && value.lat === undefined) {
      ctx.addIssue({ code: 'custom', path: ['placeId'], message: 'an incident needs a placeId or lat/lon' });
    }
  });
export type IncidentInput = z.input<typeof IncidentInputSchema>;

export const IncidentFilterSchema = z.object({
  from: DaySchema.optional(),
  to: DaySchema.optional(),
  /** west,south,east,north in degrees */
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'must be west,south,east,north')
    .transform((value) => value.split(',').map(Number) as [number, number, number, number])
    .refine(([w, s, e, n]) => w >= -180 && e <= 180 && s >= -90 && n <= 90 && s <= n, 'is out of range')
    .optional(),
  type: z.array(IncidentTypeSchema).optional(),
  actor: z.array(IdSchema).optional(),
  status: z.array(z.enum(['reported', 'corroborated', 'verified', 'disputed', 'refuted'])).optional(),
  includeMerged: z.boolean().default(false),
  limit: z.number().int().min(1).max(1000).default(100),
  /** Keyset cursor from the previous page. */
  after: z.string().max(200).optional(),
});
export type IncidentFilter = z.input<typeof IncidentFilterSchema>;
