/** Limited intelligence-sharing: submissions, forwarded derivatives, responses and verification of claimed action. */
import { z } from 'zod';
import { DaySchema, IdSchema, InstantSchema, PartyCodeSchema, text } from './text.ts';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex');

export const SubmissionInputSchema = z
  .object({
    kind: z.enum(['allegation', 'request', 'allegation_and_request']),
    subject: z.enum(['militant_presence', 'attack_origin', 'violation', 'other']),
    title: text(300),
    body: text(20_000),
    placeId: IdSchema.optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    addressedTo: PartyCodeSchema.optional(),
    requestedAction: text(5000).optional(),
    files: z.array(Sha256).max(20).default([]),
    /** `null`: mechanism only; a party code: the mechanism may forward a derivative to it. */
    shareableWith: PartyCodeSchema.nullable().default(null),
  })
  .superRefine((s, ctx) => {
    if ((s.lat === undefined) !== (s.lon === undefined))
      ctx.addIssue({ code: 'custom', path: ['lon'], message: 'lat and lon go together' });
    if (s.kind !== 'allegation' && (!s.addressedTo || !s.requestedAction)) {
      ctx.addIssue({
        code: 'custom',
        path: ['requestedAction'],
        message: 'a request names addressedTo and requestedAction',
      });
    }
  });

export const ForwardInputSchema = z.object({
  submissionId: IdSchema,
  /** Which fields go to the addressed party; the rest stay with the mechanism. */
  share: z
    .object({
      title: text(300).optional(),
      body: text(20_000).optional(),
      place: z.boolean().default(false),
      requestedAction: z.boolean().default(true),
      files: z.array(Sha256).max(20).default([]),
    })
    .default({ place: false, requestedAction: true, files: [] }),
  /** CODEBOOK § Sharing: the identity of a protected source can be withheld; default withheld. */
  withholdSource: z.boolean().default(true),
  deadline: InstantSchema.optional(),
  /** PDFs keep their metadata; forwarding one needs a monitor's explicit review. */
  pdfMetadataReviewed: z.boolean().default(false),
});

export const ResponseInputSchema = z.object({
  derivativeId: IdSchema,
  kind: z.enum(['acknowledged', 'action_taken', 'disputed', 'more_information']),
  text: text(20_000),
  files: z.array(Sha256).max(20).default([]),
});

export const ActionVerificationInputSchema = z.object({
  responseId: IdSchema,
  decision: z.enum(['verified', 'not_verified', 'partially']),
  reasoning: text(5000),
  /** A commitment this action satisfies (fully or partly). */
  commitmentId: IdSchema.optional(),
});

export const PeriodSchema = z.object({ from: DaySchema, to: DaySchema });

/** Answers that count as answering a request: an acknowledgement alone does not. */
export const SUBSTANTIVE = ['action_taken', 'disputed', 'more_information'] as const;
