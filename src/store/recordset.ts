/**
 * Multi-row writes in one statement. Rows of short values (incidents, claims) travel as one JSON
 * parameter that `json_populate_recordset` turns into the table's row type. Rows of long text (a
 * ledger entry's body, itself JSON) go as `INSERT … VALUES (…), (…)` with a bind parameter per
 * value instead: escaping that text into JSON and having the server parse it back cost twice as
 * much on PostgreSQL (46 against 20 µs per entry in isolation), while for short values the JSON
 * route was the cheaper. Updates always go as JSON. On PGlite and PostgreSQL alike.
 * Table and column names must come from code (a table union, the keys of rows code built), never from input.
 */
import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import { quotedIdentifier } from './identifier.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Rows per statement: large enough to amortise the round trip, small enough for a bounded parameter. */
export const ROWS_PER_STATEMENT = 2000;

/**
 * The rows as one JSON array. Values must be JSON already: a bytea value travels as a `\x…` hex
 * string (what the bytea input function reads), which the caller writes — a replacer function
 * here would cost a call per value of a million-row import.
 */
export function recordsetJson(rows: readonly object[]): string {
  return JSON.stringify(rows);
}

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) out.push(rows.slice(i, i + ROWS_PER_STATEMENT));
  return out;
}

/** Average characters per value past which a row goes as bind parameters (see the header). */
const WIDE_VALUE = 200;

/** Rows whose values are long text (a ledger entry's body): judged by the first row. */
function wideValues(columns: readonly string[], rows: readonly object[]): boolean {
  const first = rows[0] as Record<string, unknown> | undefined;
  if (!first) return false;
  let chars = 0;
  for (const column of columns) {
    const value = first[column];
    if (typeof value === 'string') chars += value.length;
  }
  return chars / columns.length > WIDE_VALUE;
}

/** PostgreSQL takes at most 65,535 bind parameters in one statement. */
const MAX_PARAMETERS = 60_000;

/**
 * A value as a bind parameter: objects and arrays (jsonb columns) as JSON text, since pg would send
 * a JS array as a PostgreSQL array; a Buffer (bytea) and everything else as pg sends it.
 */
export function parameter(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Buffer.isBuffer(value)
    ? JSON.stringify(value)
    : value;
}

export async function insertRecordset(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly object[],
): Promise<void> {
  if (!wideValues(columns, rows)) {
    const list = sql.join(columns.map((c) => sql.ref(c)));
    for (const chunk of chunks(rows)) {
      await sql`INSERT INTO ${sql.table(table)} (${list})
        SELECT ${list} FROM json_populate_recordset(NULL::${sql.table(table)}, ${recordsetJson(chunk)}::json)`.execute(
        db,
      );
    }
    return;
  }
  const perStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length)));
  const head = `INSERT INTO ${quotedIdentifier(table)} (${columns.map(quotedIdentifier).join(', ')}) VALUES `;
  for (let at = 0; at < rows.length; at += perStatement) {
    const chunk = rows.slice(at, at + perStatement);
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const record = row as Record<string, unknown>;
      const slots: string[] = [];
      for (const column of columns) {
        parameters.push(parameter(record[column]));
        slots.push(`$${parameters.length}`);
      }
      tuples.push(`(${slots.join(',')})`);
    }
    await db.executeQuery(CompiledQuery.raw(head + tuples.join(','), parameters));
  }
}

/** Updates rows by id; returns how many rows matched. */
export async function updateRecordset(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly ({ id: string } & object)[],
): Promise<number> {
  const set = sql.join(columns.filter((c) => c !== 'id').map((c) => sql`${sql.ref(c)} = x.${sql.ref(c)}`));
  let matched = 0;
  for (const chunk of chunks(rows)) {
    const result = await sql`UPDATE ${sql.table(table)} AS t SET ${set}
      FROM json_populate_recordset(NULL::${sql.table(table)}, ${recordsetJson(chunk)}::json) AS x
      WHERE t.id = x.id`.execute(db);
    matched += Number(result.numAffectedRows ?? 0);
  }
  return matched;
}
