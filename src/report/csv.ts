/** Small CSV tables for the mechanism's registers (RFC 4180 quoting via csv-stringify). */
import { stringify } from 'csv-stringify/sync';

export type Column<T> = [header: string, value: (row: T) => unknown];

export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cell = (value: unknown) =>
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return stringify([
    columns.map(([header]) => header),
    ...rows.map((row) => columns.map(([, get]) => cell(get(row)))),
  ]);
}
