/** Agreements, crossing statuses and commitments as the codebook defines them. */
import { z } from 'zod';
import { DaySchema, IdSchema, InstantSchema, PartyCodeSchema, text } from './text.ts';
import { SharingSchema } from './tlp.ts';

export const AgreementInputSchema = z
  .object({
    id: IdSchema.optional(),
    name: text(300),
    parties: z.array(PartyCodeSchema).min(2, 'an agreement binds at least two parties').max(20),
    terms: text(20_000),
    startsAt: InstantSchema,
    endsAt: InstantSchema.nullable().default(null),
  })
  .and(SharingSchema)
  .refine((a) => a.endsAt === null || a.endsAt > a.startsAt, {
    message: 'must be after startsAt',
    path: ['endsAt'],
  });

export const MOVES = ['pedestrians', 'trade', 'returnees', 'humanitarian'] as const;

export const CrossingStatusInputSchema = z
  .object({
    placeId: IdSchema,
    status: z.enum(['open', 'restricted', 'closed']),
    /** What still moves when restricted. */
    moves: z.array(z.enum(MOVES)).max(4).default([]),
    since: InstantSchema,
    reason: text(2000).optional(),
    stranded: z.number().int().min(0).max(10_000_000).optional(),
    trucksQueued: z.number().int().min(0).max(1_000_000).optional(),
    observerPresent: z.boolean().optional(),
  })
  .refine((s) => s.status === 'restricted' || s.moves.length === 0, {
    message: 'only a restricted crossing lists what moves',
    path: ['moves'],
  });

export const CommitmentInputSchema = z
  .object({
    id: IdSchema.optional(),
    partyId: PartyCodeSchema,
    text: text(5000),
    dueOn: DaySchema.optional(),
    status: z.enum(['open', 'met', 'partly_met', 'missed']).default('open'),
    evidence: z
      .array(z.object({ kind: z.enum(['incident', 'document', 'url']), ref: z.string().min(1).max(2000) }))
      .max(100)
      .default([]),
  })
  .and(SharingSchema);
