/**
 * A batch of record writes built before its transaction, against the log as it is expected to be
 * by then: rows stamped with their entries' sequence numbers, entries numbered, hashed and
 * Merkle-linked. A large import builds batch N+1 while batch N commits, instead of building every
 * batch inside its own transaction while the database waits.
 *
 * Applying a draft takes the ledger lock like any write and checks the log is exactly the one the
 * draft was built on (same size, same root). If anything else was appended in between, or the
 * caller's own check refuses, nothing is written and the draft is `stale`: the caller builds the
 * batch again inside a transaction, as recordTransaction always does.
 */
import type { Transaction } from 'kysely';
import type { EntryData, EntryKind } from '../ledger/entry.ts';
import { type Appended, LedgerBatch, lockedFrontier, storeFrontier } from '../ledger/log.ts';
import { Frontier } from '../ledger/merkle.ts';
import type { Store } from '../store/engine.ts';
import type { Database } from '../store/schema.ts';
import { StatementQueue } from '../store/statementQueue.ts';
import { StagedRows, type StagedTables, sendStaged } from './staged.ts';
import { type RecordTx, STAGED_ROWS, stampWrites, translateDbError, type Write } from './transaction.ts';

export class RecordDraft implements Pick<RecordTx, 'by' | 'commit'> {
  readonly by: string;
  /** The log the draft is built on. */
  readonly base: { size: number; root: Buffer };
  readonly #ledger: LedgerBatch;
  readonly #staged = new StagedRows();
  readonly #chunks: StagedTables[] = [];

  /** Built on `frontier` (copied: the caller's is left as it is). */
  constructor(frontier: Frontier, by: string) {
    this.by = by;
    this.base = { size: frontier.size, root: frontier.root() };
    this.#ledger = new LedgerBatch(Frontier.fromJSON(frontier.toJSON()));
  }

  /** As RecordTx.commit: the writes are staged, the entry appended. */
  async commit<K extends EntryKind>(kind: K, data: EntryData<K>, writes: Write[]): Promise<Appended> {
    const { stamped, images } = stampWrites(this.#ledger.nextSeq, writes);
    for (const write of stamped) this.#staged.stage(write.op, write.table, write.row);
    const appended = this.#ledger.append(kind, data, images, this.by);
    // In chunks, as a transaction sends them, so that no one statement holds a whole large batch.
    if (this.#staged.size >= STAGED_ROWS) this.#chunks.push(this.#staged.take()!);
    return appended;
  }

  /** The log once this draft is applied: what the next draft is built on. */
  get frontier(): Frontier {
    return this.#ledger.frontier;
  }

  /** Queues everything the draft writes on `trx`. */
  sendOn(trx: Transaction<Database>, queue: StatementQueue): void {
    const last = this.#staged.take();
    if (last) this.#chunks.push(last);
    for (const tables of this.#chunks.splice(0)) sendStaged(trx, queue, tables);
    this.#ledger.sendOn(trx, queue);
  }
}

/**
 * Writes `draft` in one transaction, or nothing. `check` runs under the ledger lock once the log
 * is known to be the draft's base; false makes the draft stale (an import's: none of its
 * incidents exists yet).
 */
export async function applyDraft(
  store: Store,
  draft: RecordDraft,
  check: (trx: Transaction<Database>) => Promise<boolean> = async () => true,
): Promise<'applied' | 'stale'> {
  try {
    return await store.db.transaction().execute(async (trx) => {
      const log = await lockedFrontier(trx);
      if (log.size !== draft.base.size || !log.root().equals(draft.base.root)) return 'stale';
      if (!(await check(trx))) return 'stale';
      const queue = new StatementQueue();
      draft.sendOn(trx, queue);
      await queue.drain();
      await storeFrontier(trx, draft.frontier);
      return 'applied';
    });
  } catch (error) {
    throw translateDbError(error);
  }
}
