/** Appends entries to the Merkle log inside a record/ transaction, and reads the log back for heads and proofs. */
import { randomBytes } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { insertRecordset } from '../store/recordset.ts';
import type { Database } from '../store/schema.ts';
import type { StatementQueue } from '../store/statementQueue.ts';
import { canonicalBytes, type EntryData, type EntryKind, type RowWrite } from './entry.ts';
import { Frontier, type FrontierJSON, leafHash } from './merkle.ts';

/** Every append, in every process sharing the database, serialises on this lock. */
export const LEDGER_LOCK = 7_300_002;
const FLUSH_EVERY = 250;
const ENTRY_COLUMNS = ['seq', 'kind', 'body', 'leaf_hash', 'created_at'];
const NODE_COLUMNS = ['level', 'idx', 'hash'];

/** Nonces are drawn from the CSPRNG in blocks: one call per entry was a visible share of a batch's time. */
const NONCE_BYTES = 16;
let noncePool = Buffer.alloc(0);
let nonceAt = 0;
function nonce(): string {
  if (nonceAt + NONCE_BYTES > noncePool.length) {
    noncePool = randomBytes(NONCE_BYTES * 4096);
    nonceAt = 0;
  }
  const hex = noncePool.toString('hex', nonceAt, nonceAt + NONCE_BYTES);
  nonceAt += NONCE_BYTES;
  return hex;
}

type Db = Kysely<Database> | Transaction<Database>;

/** bytea in the JSON of a multi-row insert. */
function byteaHex(bytes: Buffer): string {
  return `\\x${bytes.toString('hex')}`;
}

export type Appended = { seq: number; leafHash: Buffer; at: string };

/**
 * One transaction's view of the log: takes the ledger lock, numbers entries, and
 * writes them (with the subtree nodes they complete) before the transaction commits.
 */
export class LedgerAppender {
  readonly #trx: Transaction<Database>;
  readonly #frontier: Frontier;
  readonly #queue: StatementQueue;
  #entries: { seq: number; kind: string; body: string; leaf_hash: string; created_at: string }[] = [];
  #nodes: { level: number; idx: number; hash: string }[] = [];

  private constructor(trx: Transaction<Database>, frontier: Frontier, queue: StatementQueue) {
    this.#trx = trx;
    this.#frontier = frontier;
    this.#queue = queue;
  }

  /** Entries are written through `queue`, while the caller goes on; `finish` waits for them all. */
  static async open(trx: Transaction<Database>, queue: StatementQueue): Promise<LedgerAppender> {
    await sql`SELECT pg_advisory_xact_lock(${LEDGER_LOCK})`.execute(trx);
    const state = await trx
      .selectFrom('ledger_frontier')
      .select(['tree_size', 'frontier'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    const frontier = Frontier.fromJSON(state.frontier as FrontierJSON);
    return new LedgerAppender(trx, frontier, queue);
  }

  /** The sequence number the next entry will get; rows written for it carry this as ledger_seq. */
  get nextSeq(): number {
    return this.#frontier.size;
  }

  async append<K extends EntryKind>(
    kind: K,
    data: EntryData<K>,
    writes: RowWrite[],
    by: string,
    at: string = new Date().toISOString(),
  ): Promise<Appended> {
    const seq = this.#frontier.size;
    const body = canonicalBytes({
      v: 1,
      seq,
      kind,
      at,
      by,
      nonce: nonce(),
      data,
      writes,
    });
    const hash = leafHash(body);
    for (const node of this.#frontier.append(hash)) {
      if (node.level > 0) this.#nodes.push({ level: node.level, idx: node.index, hash: byteaHex(node.hash) });
    }
    this.#entries.push({ seq, kind, body: body.toString('utf8'), leaf_hash: byteaHex(hash), created_at: at });
    if (this.#entries.length >= FLUSH_EVERY) this.send();
    return { seq, leafHash: hash, at };
  }

  /** Queues the entries and nodes appended so far. */
  send(): void {
    const entries = this.#entries;
    const nodes = this.#nodes;
    this.#entries = [];
    this.#nodes = [];
    if (entries.length > 0)
      this.#queue.push(() => insertRecordset(this.#trx, 'ledger_entries', ENTRY_COLUMNS, entries));
    if (nodes.length > 0)
      this.#queue.push(() => insertRecordset(this.#trx, 'ledger_nodes', NODE_COLUMNS, nodes));
  }

  /** Called once, just before commit: everything queued is written, then the new frontier. */
  async finish(): Promise<void> {
    this.send();
    await this.#queue.drain();
    await this.#trx
      .updateTable('ledger_frontier')
      .set({ tree_size: this.#frontier.size, frontier: JSON.stringify(this.#frontier.toJSON()) })
      .where('id', '=', 1)
      .execute();
  }
}

export async function currentTree(db: Db): Promise<{ size: number; root: Buffer }> {
  const state = await db
    .selectFrom('ledger_frontier')
    .select(['tree_size', 'frontier'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const frontier = Frontier.fromJSON(state.frontier as FrontierJSON);
  return { size: frontier.size, root: frontier.root() };
}

export async function readEntry(db: Db, seq: number) {
  return db.selectFrom('ledger_entries').selectAll().where('seq', '=', seq).executeTakeFirst();
}
