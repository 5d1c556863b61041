/**
 * Staged row writes for large batches: rows are kept until the transaction's end and then written
 * with one multi-row statement per table and column set, instead of one statement per row.
 *
 * A row written twice in the batch (an incident inserted, then updated by each of its claims) is
 * written once, as its last image — the one the ledger's last entry for it holds, stamped with that
 * entry's sequence number — so the tables end exactly as if every write had been applied in turn.
 */
import type { Transaction } from 'kysely';
import { TruceError } from '../domain/errors.ts';
import { insertRecordset, updateRecordset } from '../store/recordset.ts';
import { type Database, RECORD_TABLES, type RecordTable } from '../store/schema.ts';
import type { StatementQueue } from '../store/statementQueue.ts';

type Row = { id: string } & Record<string, unknown>;
type Staged = { op: 'insert' | 'update'; row: Row };

/** What is staged, per table (written in RECORD_TABLES order) and row id. */
export type StagedTables = Map<RecordTable, Map<string, Staged>>;

/** Rows staged for one multi-row write, the last image of each row (see the module comment). */
export class StagedRows {
  #tables: StagedTables = new Map();

  stage(op: 'insert' | 'update', table: RecordTable, row: Row): void {
    let rows = this.#tables.get(table);
    if (!rows) {
      rows = new Map();
      this.#tables.set(table, rows);
    }
    const earlier = rows.get(row.id);
    // An insert later updated in the same batch is still an insert, of the later image.
    rows.set(row.id, { op: earlier?.op === 'insert' ? 'insert' : op, row });
  }

  get size(): number {
    let n = 0;
    for (const rows of this.#tables.values()) n += rows.size;
    return n;
  }

  /** What is staged so far, leaving nothing staged; null when nothing is. */
  take(): StagedTables | null {
    if (this.#tables.size === 0) return null;
    const tables = this.#tables;
    this.#tables = new Map();
    return tables;
  }
}

/** Queues the write of `tables` on `trx`'s statement queue. */
export function sendStaged(trx: Transaction<Database>, queue: StatementQueue, tables: StagedTables): void {
  queue.push(() => write(trx, tables));
}

export class StagedWrites extends StagedRows {
  readonly #trx: Transaction<Database>;
  readonly #queue: StatementQueue;

  constructor(trx: Transaction<Database>, queue: StatementQueue) {
    super();
    this.#trx = trx;
    this.#queue = queue;
  }

  /**
   * Queues what is staged so far, to be written while the caller goes on. A row written again
   * afterwards is staged anew (an update), which the queue applies after its insert.
   */
  send(): void {
    const tables = this.take();
    if (tables) sendStaged(this.#trx, this.#queue, tables);
  }
}

async function write(trx: Transaction<Database>, tables: StagedTables) {
  // In the schema's order (RECORD_TABLES follows the migrations), so a referenced row always goes
  // in first, whichever table a send happened to stage first.
  for (const table of RECORD_TABLES) {
    const rows = tables.get(table);
    if (!rows) continue;
    const inserts = new Map<string, Row[]>();
    const updates = new Map<string, Row[]>();
    for (const { op, row } of rows.values()) {
      // Rows built by the same code list their columns in the same order: no sort needed to group them.
      const columns = Object.keys(row).join(',');
      const group = op === 'insert' ? inserts : updates;
      const list = group.get(columns);
      if (list) list.push(row);
      else group.set(columns, [row]);
    }
    for (const [columns, list] of inserts) await insertRecordset(trx, table, columns.split(','), list);
    for (const [columns, list] of updates) {
      const matched = await updateRecordset(trx, table, columns.split(','), list);
      if (matched !== list.length)
        throw new TruceError(
          'not_found',
          `${table}: ${list.length - matched} of the rows to update do not exist`,
        );
    }
  }
}
