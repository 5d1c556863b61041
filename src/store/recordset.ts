/**
 * Multi-row writes in one statement: the rows travel as one JSON parameter and
 * `json_populate_recordset` turns them into the table's row type, on PGlite and PostgreSQL alike.
 * Table and column names must come from code (a table union, the keys of rows code built), never from input.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
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

export async function insertRecordset(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly object[],
): Promise<void> {
  const list = sql.join(columns.map((c) => sql.ref(c)));
  for (const chunk of chunks(rows)) {
    await sql`INSERT INTO ${sql.table(table)} (${list})
      SELECT ${list} FROM json_populate_recordset(NULL::${sql.table(table)}, ${recordsetJson(chunk)}::json)`.execute(
      db,
    );
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
