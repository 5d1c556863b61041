/** Boundary validation: zod issues become one TruceError that names the field and what was expected. */
import type { z } from 'zod';
import { TruceError } from '../domain/errors.ts';

export function fieldOf(path: readonly PropertyKey[]): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : String(part)))
    .join('.')
    .replace(/\.\[/g, '[');
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const field = fieldOf([...(prefix ? [prefix] : []), ...issue.path]) || '(body)';
    return { field, message: issue.message };
  });
  const first = issues[0]!;
  throw new TruceError('invalid_input', `${first.field}: ${first.message}`, {
    field: first.field,
    details: issues,
  });
}
