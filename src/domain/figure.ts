/** A casualty figure as one source asserted it (CODEBOOK § Claims), validated with zod at the boundary. */

import { z } from 'zod';

/** CODEBOOK § Incidents: fatalities and injuries are kept per category. */
export const FigureCategorySchema = z.enum(['military', 'civilian', 'militant', 'unknown']);
export type FigureCategory = z.infer<typeof FigureCategorySchema>;
export const FIGURE_CATEGORIES = FigureCategorySchema.options;

export const MeasureSchema = z.enum(['fatalities', 'injuries']);
export type Measure = z.infer<typeof MeasureSchema>;
export const MEASURES = MeasureSchema.options;

/**
 * How the source worded the number ("over 200", "at least 23", "about 50", "up to 10").
 * Kept for the record and for display; reconciliation counts every qualifier as its number N
 * (see reconcile.ts), so the qualifier never moves a low, best or high.
 */
export const QualifierSchema = z.enum(['exact', 'at_least', 'more_than', 'about', 'up_to']);
export type Qualifier = z.infer<typeof QualifierSchema>;

/** A single number a source gave for one measure, one category and one side's losses. */
export const FigureSchema = z.object({
  measure: MeasureSchema,
  category: FigureCategorySchema,
  /**
   * Party code whose losses these are (`PK`, `AF`); null when they belong to no party
   * (a non-state group, or unknown). Compared with the source's affiliation to tell
   * an admission from a boast (CODEBOOK § Reconciliation 1–2).
   */
  side: z.string().min(1).nullable(),
  value: z.int().min(0).max(1_000_000),
  qualifier: QualifierSchema,
});
export type Figure = z.infer<typeof FigureSchema>;

/** CODEBOOK § Parties, actors, sources: the kinds of source that report. */
export const SourceKindSchema = z.enum([
  'wire',
  'national_media',
  'state_media',
  'party_official',
  'monitor',
  'ngo',
  'social_media',
  'analyst',
]);
export type SourceKind = z.infer<typeof SourceKindSchema>;
