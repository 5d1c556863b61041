/** Appends entries to the Merkle log inside a record/ transaction, and reads the log back for heads and proofs. */
import { type Kysely, sql, type Transaction } from 'kysely';
import { insertRecordset } from '../store/recordset.ts';
import type { Database } from '../store/schema.ts';
import type { StatementQueue } from '../store/statementQueue.ts';
import { randomHex } from '../support/randomHex.ts';
import { canonicalJson } from './canonical.ts';
import type { EntryData, EntryKind, RowWrite } from './entry.ts';
import { Frontier, type FrontierJSON, leafHashOfText } from './merkle.ts';

/** Every append, in every process sharing the database, serialises on this lock. */
export const LEDGER_LOCK = 7_300_002;
const FLUSH_EVERY = 250;
const ENTRY_COLUMNS = ['seq', 'kind', 'body', 'leaf_hash', 'created_at'];
const NODE_COLUMNS = ['level', 'idx', 'hash'];

/** Each entry's nonce: 16 random bytes, so that equal entries never hash alike. */
function nonce(): string {
  return randomHex(16);
}

type Db = Kysely<Database> | Transaction<Database>;

/** bytea in the JSON of a multi-row insert. */
function byteaHex(bytes: Buffer): string {
  return `\\x${bytes.toString('hex')}`;
}

export type Appended = { seq: number; leafHash: Buffer; at: string };

type EntryRow = { seq: number; kind: string; body: string; leaf_hash: string; created_at: string };
type NodeRow = { level: number; idx: number; hash: string };

/**
 * Entries numbered and hashed onto a frontier, with the subtree nodes they complete, held until
 * written: the part of an append that needs no database. A transaction's LedgerAppender writes
 * them as they come; a record/draft.ts draft builds them ahead, against the log it expects.
 */
export class LedgerBatch {
  readonly frontier: Frontier;
  #entries: EntryRow[] = [];
  #nodes: NodeRow[] = [];

  constructor(frontier: Frontier) {
    this.frontier = frontier;
  }

  /** The sequence number the next entry will get; rows written for it carry this as ledger_seq. */
  get nextSeq(): number {
    return this.frontier.size;
  }

  /** Entries appended and not yet taken. */
  get pending(): number {
    return this.#entries.length;
  }

  append<K extends EntryKind>(
    kind: K,
    data: EntryData<K>,
    writes: RowWrite[],
    by: string,
    at: string = new Date().toISOString(),
  ): Appended {
    const seq = this.frontier.size;
    const { hash, text: body } = leafHashOfText(
      canonicalJson({ v: 1, seq, kind, at, by, nonce: nonce(), data, writes }),
    );
    for (const node of this.frontier.append(hash)) {
      if (node.level > 0) this.#nodes.push({ level: node.level, idx: node.index, hash: byteaHex(node.hash) });
    }
    this.#entries.push({ seq, kind, body, leaf_hash: byteaHex(hash), created_at: at });
    return { seq, leafHash: hash, at };
  }

  /** Queues the entries and nodes appended since the last call on `trx`'s statement queue. */
  sendOn(trx: Transaction<Database>, queue: StatementQueue): void {
    const entries = this.#entries;
    const nodes = this.#nodes;
    this.#entries = [];
    this.#nodes = [];
    if (entries.length > 0) queue.push(() => insertRecordset(trx, 'ledger_entries', ENTRY_COLUMNS, entries));
    if (nodes.length > 0) queue.push(() => insertRecordset(trx, 'ledger_nodes', NODE_COLUMNS, nodes));
  }
}

/** Takes the ledger lock in `trx` and reads the frontier: from here until commit, no one else appends. */
export async function lockedFrontier(trx: Transaction<Database>): Promise<Frontier> {
  await sql`SELECT pg_advisory_xact_lock(${LEDGER_LOCK})`.execute(trx);
  return currentFrontier(trx);
}

/** Stores the frontier the entries written in `trx` have led to; the last step before commit. */
export async function storeFrontier(trx: Transaction<Database>, frontier: Frontier): Promise<void> {
  await trx
    .updateTable('ledger_frontier')
    .set({ tree_size: frontier.size, frontier: JSON.stringify(frontier.toJSON()) })
    .where('id', '=', 1)
    .execute();
}

/**
 * One transaction's view of the log: takes the ledger lock, numbers entries, and
 * writes them (with the subtree nodes they complete) before the transaction commits.
 */
export class LedgerAppender {
  readonly #trx: Transaction<Database>;
  readonly #batch: LedgerBatch;
  readonly #queue: StatementQueue;

  private constructor(trx: Transaction<Database>, frontier: Frontier, queue: StatementQueue) {
    this.#trx = trx;
    this.#batch = new LedgerBatch(frontier);
    this.#queue = queue;
  }

  /** Entries are written through `queue`, while the caller goes on; `finish` waits for them all. */
  static async open(trx: Transaction<Database>, queue: StatementQueue): Promise<LedgerAppender> {
    return new LedgerAppender(trx, await lockedFrontier(trx), queue);
  }

  /** The sequence number the next entry will get; rows written for it carry this as ledger_seq. */
  get nextSeq(): number {
    return this.#batch.nextSeq;
  }

  async append<K extends EntryKind>(
    kind: K,
    data: EntryData<K>,
    writes: RowWrite[],
    by: string,
    at?: string,
  ): Promise<Appended> {
    const appended = this.#batch.append(kind, data, writes, by, at);
    if (this.#batch.pending >= FLUSH_EVERY) this.send();
    return appended;
  }

  /** Queues the entries and nodes appended so far. */
  send(): void {
    this.#batch.sendOn(this.#trx, this.#queue);
  }

  /** Called once, just before commit: everything queued is written, then the new frontier. */
  async finish(): Promise<void> {
    this.send();
    await this.#queue.drain();
    await storeFrontier(this.#trx, this.#batch.frontier);
  }
}

/** The log's frontier as last committed. */
export async function currentFrontier(db: Db): Promise<Frontier> {
  const state = await db
    .selectFrom('ledger_frontier')
    .select(['tree_size', 'frontier'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return Frontier.fromJSON(state.frontier as FrontierJSON);
}

export async function currentTree(db: Db): Promise<{ size: number; root: Buffer }> {
  const frontier = await currentFrontier(db);
  return { size: frontier.size, root: frontier.root() };
}

export async function readEntry(db: Db, seq: number) {
  return db.selectFrom('ledger_entries').selectAll().where('seq', '=', seq).executeTakeFirst();
}
