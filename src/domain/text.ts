/** Shared zod building blocks for text, ids and dates that come from outside. */
import { z } from 'zod';

/** Postgres text cannot hold NUL, and control characters in names are never intended. */
export function text(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');
}

/** Free text from documents keeps its whitespace exactly (spans point into it). */
export function verbatim(max: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');
}

export const IdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'must be letters, digits, and _ . : - only');

export const PartyCodeSchema = z
  .string()
  .min(2)
  .max(12)
  .regex(/^[A-Z][A-Z0-9_]*$/, 'must be an upper-case party code such as PK');

/** A calendar day, checked to exist (2025-02-30 is rejected). */
export const DaySchema = z.iso.date();

/** An instant; a bare day is accepted as midnight UTC. Stored as ISO-8601 UTC with milliseconds. */
export const InstantSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString());

export function toInstant(value: Date | string): string {
  return new Date(value).toISOString();
}
