/** A claim: what one source asserted about an incident, with its exact words (CODEBOOK § Claims). */
import { z } from 'zod';
import { FigureSchema } from './figure.ts';
import { IncidentTypeSchema } from './incident.ts';
import { IdSchema, InstantSchema, text, verbatim } from './text.ts';
import { SharingSchema } from './tlp.ts';

export const AssertedSchema = z
  .object({
    type: IncidentTypeSchema.optional(),
    actorId: IdSchema.optional(),
    targetId: IdSchema.optional(),
    placeId: IdSchema.optional(),
    /** Who the source holds responsible (may differ from the actor it names). */
    responsibleId: IdSchema.optional(),
    /** false when the source denies the event happened at all. */
    happened: z.boolean().optional(),
    /** The source calls this a reply to an earlier attack ("retaliatory operations"). */
    retaliation: z.boolean().optional(),
  })
  .strict();
export type Asserted = z.infer<typeof AssertedSchema>;

export const ClaimInputSchema = z
  .object({
    id: IdSchema.optional(),
    incidentId: IdSchema,
    sourceId: IdSchema,
    documentId: IdSchema.optional(),
    publishedAt: InstantSchema,
    quote: verbatim(5000),
    /** Character offsets of the quote in the stored document; found from the quote when omitted. */
    span: z
      .object({ start: z.number().int().min(0), end: z.number().int().min(1) })
      .refine((s) => s.end > s.start, { message: 'end must be after start', path: ['end'] })
      .optional(),
    asserted: AssertedSchema.default({}),
    figures: z.array(FigureSchema).max(50).default([]),
    /** Admiralty information credibility: 1 confirmed … 6 cannot be judged. */
    credibility: z.number().int().min(1).max(6).default(6),
  })
  .and(SharingSchema)
  .superRefine((value, ctx) => {
    if (value.span && !value.documentId) {
      ctx.addIssue({
        code: 'custom',
        path: ['span'],
        message: 'a span points into a document: give documentId',
      });
    }
  });
export type ClaimInput = z.input<typeof ClaimInputSchema>;

export const DocumentInputSchema = z
  .object({
    title: text(500).optional(),
    url: z.url().max(2000).optional(),
    outlet: text(200).optional(),
    publishedAt: InstantSchema.optional(),
    body: verbatim(5_000_000),
  })
  .and(SharingSchema);
export type DocumentInput = z.input<typeof DocumentInputSchema>;

export const ReasonSchema = text(2000);
