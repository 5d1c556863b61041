/** Parties, actors and sources: who is monitored, who acted, who reported (CODEBOOK § Parties, actors, sources). */
import { z } from 'zod';
import { SourceKindSchema } from './figure.ts';
import { IdSchema, PartyCodeSchema, text } from './text.ts';

export const PartyInputSchema = z.object({
  id: PartyCodeSchema,
  name: text(200),
  role: z.enum(['belligerent', 'mediator', 'monitor']),
});
export type PartyInput = z.infer<typeof PartyInputSchema>;

export const ActorInputSchema = z.object({
  id: IdSchema,
  name: text(200),
  kind: z.enum(['state_force', 'non_state', 'civilians', 'unknown']),
  /** The party it belongs to or is alleged to be sheltered by (the allegation is itself a claim). */
  partyId: PartyCodeSchema.nullable().default(null),
});
export type ActorInput = z.infer<typeof ActorInputSchema>;

/** NATO Admiralty scale, source half: A completely reliable … F cannot be judged. */
export const ReliabilitySchema = z.enum(['A', 'B', 'C', 'D', 'E', 'F']);

export const SourceInputSchema = z.object({
  id: IdSchema,
  name: text(200),
  kind: SourceKindSchema,
  /** The party code it speaks for; null when independent. */
  affiliation: PartyCodeSchema.nullable().default(null),
  reliability: ReliabilitySchema.default('F'),
  /** A protected source's identity is withheld outside the mechanism; its claims stay visible. */
  protected: z.boolean().default(false),
});
export type SourceInput = z.infer<typeof SourceInputSchema>;
