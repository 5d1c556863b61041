/** The one write path: rows and their ledger entry are written in one transaction, or not at all. */
import type { Transaction } from 'kysely';
import { TruceError } from '../domain/errors.ts';
import type { EntryData, EntryKind, RowWrite } from '../ledger/entry.ts';
import { type Appended, LedgerAppender } from '../ledger/log.ts';
import type { Store } from '../store/engine.ts';
import { parameter } from '../store/recordset.ts';
import type { Database, RecordTable } from '../store/schema.ts';
import { StatementQueue } from '../store/statementQueue.ts';
import { storageErrorOf } from '../store/storage.ts';
import { StagedWrites } from './staged.ts';

export type Write = {
  op: 'insert' | 'update';
  table: RecordTable;
  row: { id: string } & Record<string, unknown>;
};

export type RecordTx = {
  trx: Transaction<Database>;
  /** Who is writing: a user id or `system`. */
  by: string;
  /** Writes the rows, stamps them with the entry's sequence number, and appends the entry. */
  commit<K extends EntryKind>(kind: K, data: EntryData<K>, writes: Write[]): Promise<Appended>;
};

/** jsonb values go over the wire as JSON text (pg would turn a JS array into a Postgres array). */
function toSqlRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = parameter(value);
  return out;
}

async function applyWrite(trx: Transaction<Database>, write: Write): Promise<void> {
  const row = toSqlRow(write.row);
  // Table names come from the RecordTable union, never from input.
  const table = write.table as 'incidents';
  if (write.op === 'insert') {
    await trx
      .insertInto(table)
      .values(row as never)
      .execute();
  } else {
    const { id, ...rest } = row;
    const result = await trx
      .updateTable(table)
      .set(rest as never)
      .where('id', '=', id as string)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n)
      throw new TruceError('not_found', `${write.table} ${String(id)} not found`);
  }
}

/** Postgres errors that reach here are bugs or races; give them a stable code rather than a stack. */
export function translateDbError(error: unknown): unknown {
  if (error instanceof TruceError) return error;
  // A full disk (53100, also PGlite's ENOSPC) or a read-only one: the transaction rolled back.
  const storage = storageErrorOf(error);
  if (storage) return storage;
  const code = (error as { code?: unknown })?.code;
  if (code === '23505') return new TruceError('conflict', 'a record with that id already exists');
  if (code === '23503') return new TruceError('invalid_input', 'a referenced record does not exist');
  if (code === '23514' || code === '22P02' || code === '22007' || code === '22008') {
    return new TruceError('invalid_input', `value rejected by the database: ${(error as Error).message}`);
  }
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === '57P01' ||
    code === '08006' ||
    code === '08001' ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(String((error as Error)?.message))
  ) {
    return new TruceError('unavailable', 'the database is unreachable; try again shortly');
  }
  return error;
}

/**
 * Staged rows are sent on once this many are waiting, so the database works while the batch goes
 * on. Not fewer: the dashboard's statement triggers cost per statement, and halving this (500)
 * cost the database a fifth more CPU per imported row at 20,000 rows on PostgreSQL.
 */
export const STAGED_ROWS = 1000;

/**
 * A step's writes stamped with the sequence number of the entry that records them, and the
 * images that entry holds: the rows as written.
 */
export function stampWrites(seq: number, writes: readonly Write[]): { stamped: Write[]; images: RowWrite[] } {
  const stamped: Write[] = [];
  const images: RowWrite[] = [];
  for (const write of writes) {
    const row = { ...write.row, ledger_seq: seq };
    stamped.push({ ...write, row });
    images.push({ op: write.op, table: write.table, id: write.row.id, row });
  }
  return { stamped, images };
}

export type RecordOptions = {
  /**
   * Stage row writes and send them in multi-row statements (see staged.ts), queued so the
   * database writes while `work` goes on. Only for batches whose steps never read back what
   * they wrote in the same transaction.
   */
  deferWrites?: boolean;
};

/**
 * Runs `work` in one transaction holding the ledger lock. Everything `work` commits is
 * applied together with its ledger entries when it returns, and nothing if it throws.
 */
export async function recordTransaction<T>(
  store: Store,
  by: string,
  work: (tx: RecordTx) => Promise<T>,
  options: RecordOptions = {},
): Promise<T> {
  try {
    return await store.db.transaction().execute(async (trx) => {
      const queue = new StatementQueue();
      const ledger = await LedgerAppender.open(trx, queue);
      const staged = options.deferWrites ? new StagedWrites(trx, queue) : null;
      const tx: RecordTx = {
        trx,
        by,
        async commit(kind, data, writes) {
          const { stamped, images } = stampWrites(ledger.nextSeq, writes);
          for (const write of stamped) {
            if (staged) staged.stage(write.op, write.table, write.row);
            else await applyWrite(trx, write);
          }
          const appended = await ledger.append(kind, data, images, by);
          if (staged && staged.size >= STAGED_ROWS) staged.send();
          return appended;
        },
      };
      try {
        const result = await work(tx);
        staged?.send();
        await ledger.finish();
        return result;
      } catch (error) {
        // Nothing queued may start once the transaction rolls back (it would run outside it).
        // A queued statement's failure aborted the transaction: it, not what failed after, is the cause.
        const queued = await queue.stop();
        throw queued ? queued.error : error;
      }
    });
  } catch (error) {
    throw translateDbError(error);
  }
}

/** Validates `input` with a zod schema, turning the first issue into an error naming its field. */
export { parseInput } from './parse.ts';

/**
 * Turns a step that writes inside an open transaction into a mutation that opens its own,
 * so the same step serves a single API call and a batch (seeding, imports, ingest).
 */
export function mutation<I, T>(step: (tx: RecordTx, input: I) => Promise<T>) {
  return (store: Store, by: string, input: I): Promise<T> =>
    recordTransaction(store, by, (tx) => step(tx, input));
}
