/** Reading dataset columns: each value is checked and an error names the column, as the CSV's user knows it. */
import { TruceError } from '../domain/errors.ts';

export function bad(column: string, message: string): never {
  throw new TruceError('invalid_input', `${column}: ${message}`, { field: column });
}

export function text(values: Record<string, string>, column: string): string {
  const value = (values[column] ?? '').trim();
  // Postgres text cannot hold NUL; catching it here names the column instead of failing the batch.
  if (value.includes('\u0000')) bad(column, 'must not contain NUL characters');
  return value;
}

export function required(values: Record<string, string>, column: string): string {
  const value = text(values, column);
  if (value === '') bad(column, 'must not be empty');
  return value;
}

export function number(values: Record<string, string>, column: string, min: number, max: number): number {
  const raw = required(values, column);
  const value = Number(raw);
  if (!Number.isFinite(value)) bad(column, `"${raw}" is not a number`);
  if (value < min || value > max) bad(column, `${raw} is out of range (${min} to ${max})`);
  return value;
}

/** A count of people: a whole number ≥ 0 (datasets write "3" or "3.0"). */
export function count(values: Record<string, string>, column: string): number {
  const value = number(values, column, 0, 1_000_000);
  if (!Number.isInteger(value)) bad(column, `${value} is not a whole number`);
  return value;
}

export function oneOf<T extends string>(
  values: Record<string, string>,
  column: string,
  allowed: readonly T[],
): T {
  const value = required(values, column);
  // Numeric codes come as "1" or "1.0" depending on the tool that wrote the file.
  const normal = /^\d+\.0+$/.test(value) ? value.replace(/\.0+$/, '') : value;
  if (!(allowed as readonly string[]).includes(normal))
    bad(column, `"${value}" is not one of ${allowed.join(', ')}`);
  return normal as T;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function realDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** A calendar day as YYYY-MM-DD; also "19 June 2020" (ACLED's older exports) and "2020-06-19 00:00:00". */
export function day(values: Record<string, string>, column: string, today: string): string {
  const raw = required(values, column);
  let y: number;
  let m: number;
  let d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?Z?)?$/.exec(raw);
  const long = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(raw);
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (long && MONTHS.includes(long[2]!.toLowerCase())) {
    [y, m, d] = [Number(long[3]), MONTHS.indexOf(long[2]!.toLowerCase()) + 1, Number(long[1])];
  } else {
    bad(column, `"${raw}" is not a date (YYYY-MM-DD)`);
  }
  if (!realDay(y, m, d)) bad(column, `"${raw}" is not a calendar day`);
  const value = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (value > today) bad(column, `${value} is in the future`);
  return value;
}

/** Title-case for the lower-case names some datasets use ("north waziristan" → "North Waziristan"). */
export function titleCase(value: string): string {
  return value.replace(
    /(^|[\s(/-])(\p{Ll})/gu,
    (_, before: string, letter: string) => before + letter.toUpperCase(),
  );
}

/** Free text shortened to `max` characters on a word boundary. */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
