/**
 * The log half of `ledger verify`: every stored entry checked and hashed as stored, the tree
 * rebuilt from those hashes, every signed head and the stored frontier held against it. Entry
 * chunks are read ahead and checked on worker threads while this thread keeps the tree in order.
 */

import type { CopyChunk } from './copyOut.ts';
import { checkEntryRows, type EntryChunkResult, type EntryRow, storedLeafRows } from './entryChunk.ts';
import { DIGEST_BYTES, type ImageIndex } from './imageIndex.ts';
import type { LedgerReader } from './ledgerReader.ts';
import { Frontier, type FrontierJSON, HASH_BYTES, levelOfWidth, nodeHash } from './merkle.ts';
import { KEY_WORDS, type RowKeys } from './rowKey.ts';
import { type TreeHead, verifyTreeHead } from './treeHead.ts';
import type { Done, EntryTask, TaskRunner } from './verifyTasks.ts';

export type Problem = { seq?: number; table?: string; id?: string; message: string };

export type LogResult = { frontier: Frontier; headsChecked: number; complete: boolean };

/** Entries per chunk: a power of two, so a full chunk from an aligned start is one perfect subtree. */
export const ENTRY_CHUNK = 8192;
const QUERY_PAGE = 4096;

type Context = {
  reader: LedgerReader;
  runner: TaskRunner;
  report: (problem: Problem) => void;
  /** Where row images go for the state check, and how rows are keyed; undefined when only the log is checked. */
  images: ImageIndex | undefined;
  keys: RowKeys | undefined;
  trustedKeys: readonly string[] | undefined;
  /** False: hash the entries without checking their form (`hashesOnly`). */
  form: boolean;
  onProgress: ((done: number) => void) | undefined;
  /** Entries per COPY chunk, a power of two. */
  chunk: number;
  /**
   * A signed head the caller holds: the entries before its size are taken by their stored leaf
   * hashes, held to its root, without reading their bytes; the rest are checked as ever.
   */
  since: TreeHead | undefined;
};

export async function checkLog(ctx: Context): Promise<LogResult> {
  const heads = await Heads.load(ctx);
  const tree = new Tree();
  heads.checkAt(tree);
  const complete = ctx.reader.copy ? await readByCopy(ctx, tree, heads) : await readByQuery(ctx, tree, heads);
  if (!complete) return { frontier: tree.frontier, headsChecked: heads.checked, complete };
  heads.reportBeyond(tree.frontier.size);
  const state = (await ctx.reader.query('SELECT frontier FROM ledger_frontier WHERE id = 1')).rows[0];
  const stored = state?.frontier as FrontierJSON | undefined;
  const frontier = tree.frontier;
  if (
    !stored ||
    stored.size !== frontier.size ||
    JSON.stringify(stored) !== JSON.stringify(frontier.toJSON())
  ) {
    ctx.report({ message: 'the stored frontier differs from the one recomputed from the entries' });
  }
  return { frontier, headsChecked: heads.checked, complete };
}

/**
 * The entries `from` ≤ seq < `to`, in seq order: whole, or (`stored`) only their stored leaf
 * hashes, which the primary key carries (migration 012), so that on all-visible pages the entries
 * before a held head are read from the index alone. The LIMIT keeps the planner on the primary
 * key in seq order, whatever its row estimates.
 */
export function entryRange(from: number, to: number, stored: boolean): string {
  return `SELECT ${entryColumns(stored)} FROM ledger_entries WHERE seq >= ${from} AND seq < ${to} ORDER BY seq LIMIT ${to - from}`;
}

/** What is read of an entry: all of it, or (`stored`) only what the primary key carries. */
function entryColumns(stored: boolean): string {
  return stored ? 'seq, leaf_hash' : 'seq, kind, body, leaf_hash';
}

/** Chunks of seq ranges by binary COPY, read one ahead and checked `depth` at a time. */
async function readByCopy(ctx: Context, tree: Tree, heads: Heads): Promise<boolean> {
  const copy = ctx.reader.copy!;
  const points = ctx.keys?.points ?? null;
  const size = ctx.chunk;
  const held = ctx.since?.treeSize ?? 0;
  // Ranges end on multiples of the chunk size, and at the held head's size: a full range that
  // starts on a multiple is one perfect subtree, and the held head is checked between two ranges.
  const endOf = (from: number) => {
    const aligned = (Math.floor(from / size) + 1) * size;
    return from < held ? Math.min(aligned, held) : aligned;
  };
  const fetch = (from: number) =>
    copy(`COPY (${entryRange(from, endOf(from), from < held)}) TO STDOUT (FORMAT binary)`);
  const depth = Math.max(1, ctx.runner.threads * 2);
  const pending: Promise<Done<EntryTask>>[] = [];
  let from = 0;
  let fetching: ReturnType<typeof fetch> | undefined = fetch(0);
  try {
    for (;;) {
      if (fetching && pending.length < depth) {
        const chunk: CopyChunk = await fetching;
        const start = from;
        from = endOf(start);
        // Only a full range can be followed by more entries without a gap between.
        fetching = chunk.rows === from - start ? fetch(from) : undefined;
        if (chunk.rows > 0)
          pending.push(
            ctx.runner.run({
              type: 'entries',
              bytes: chunk.bytes,
              rows: chunk.rows,
              points,
              form: ctx.form,
              stored: start < held,
            }),
          );
        continue;
      }
      const next = pending.shift();
      if (!next) break;
      const { result, spare } = await next;
      ctx.reader.recycle(spare);
      if (!apply(ctx, tree, heads, result)) return false;
    }
    // The ranges ran out: either the log ends here, or entries were removed before later ones.
    const after = (
      await ctx.reader.query('SELECT seq FROM ledger_entries WHERE seq >= $1 ORDER BY seq LIMIT 1', [
        tree.frontier.size,
      ])
    ).rows[0];
    if (after) return missing(ctx, tree, Number(after.seq));
    return true;
  } finally {
    // Let nothing still in flight end as an unhandled rejection.
    await fetching?.catch(() => {});
    for (const p of pending) p.catch(() => {});
  }
}

/** Keyset pages through the query interface, checked on this thread. */
async function readByQuery(ctx: Context, tree: Tree, heads: Heads): Promise<boolean> {
  const held = ctx.since?.treeSize ?? 0;
  let after = -1;
  let stored = held > 0;
  for (;;) {
    const { rows } = await ctx.reader.query(
      `SELECT ${entryColumns(stored)} FROM ledger_entries WHERE seq > $1${stored ? ` AND seq < ${held}` : ''} ORDER BY seq LIMIT ${QUERY_PAGE}`,
      [after],
    );
    if (rows.length > 0) {
      const page = rows as EntryRow[];
      const result = stored ? storedLeafRows(page) : checkEntryRows(page, ctx.keys, ctx.form);
      if (!apply(ctx, tree, heads, result)) return false;
      after = Number(page[page.length - 1]!.seq);
    }
    if (rows.length < QUERY_PAGE) {
      if (!stored) return true;
      stored = false;
    }
  }
}

/**
 * Adds a checked chunk to the tree in log order, reporting its problems where the entry-by-entry
 * verifier would have: each entry's before it is appended, each head once the tree reaches its size.
 * False if an entry is missing, which ends the check as it always has.
 */
function apply(ctx: Context, tree: Tree, heads: Heads, result: EntryChunkResult): boolean {
  const start = tree.frontier.size;
  const n = result.seqs.length;
  let gap = -1;
  for (let i = 0; i < n; i++) {
    if (result.seqs[i] !== start + i) {
      gap = i;
      break;
    }
  }
  const count = gap < 0 ? n : gap;
  const next = heads.next;
  const headInside = next !== undefined && next > start && next < start + count;
  if (gap < 0 && !headInside && result.subtreeRoot && start % n === 0) {
    for (const problem of result.problems) ctx.report(problem);
    tree.appendSubtree(levelOfWidth(n), Buffer.from(result.subtreeRoot));
    heads.checkAt(tree);
  } else {
    let p = 0;
    for (let i = 0; i < count; i++) {
      const seq = start + i;
      while (p < result.problems.length && result.problems[p]!.seq === seq) ctx.report(result.problems[p++]!);
      tree.appendLeaf(result.leafHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES));
      heads.checkAt(tree);
    }
  }
  if (ctx.images) {
    const limit = start + count;
    for (let i = 0; i < result.imageSeqs.length && result.imageSeqs[i]! < limit; i++) {
      const table = result.imageTables[i]!;
      ctx.images.set(
        result.imageKeys,
        i * KEY_WORDS,
        table,
        result.imageSeqs[i]!,
        result.imageDigests,
        i * DIGEST_BYTES,
      );
    }
  }
  ctx.onProgress?.(tree.frontier.size);
  if (gap >= 0) return missing(ctx, tree, result.seqs[gap]!);
  return true;
}

function missing(ctx: Context, tree: Tree, nextStored: number): false {
  const seq = tree.frontier.size;
  ctx.report({ seq, message: `entry ${seq} is missing (next stored is ${nextStored})` });
  return false;
}

/** The frontier, grown a leaf at a time or — for a full aligned chunk — a whole perfect subtree at once. */
class Tree {
  frontier = Frontier.empty();
  #root: string | undefined;

  appendLeaf(hash: Uint8Array): void {
    this.frontier.append(hash);
    this.#root = undefined;
  }

  /** Requires the size to be a multiple of the subtree's width, as an aligned chunk's start is. */
  appendSubtree(level: number, hash: Buffer): void {
    const nodes = this.frontier.subtrees().map(({ level, hash }) => ({ level, hash }));
    nodes.push({ level, hash });
    // Equal neighbours merge, exactly as leaf-by-leaf appends would have merged them.
    while (nodes.length >= 2 && nodes[nodes.length - 1]!.level === nodes[nodes.length - 2]!.level) {
      const right = nodes.pop()!;
      const left = nodes.pop()!;
      nodes.push({ level: left.level + 1, hash: nodeHash(left.hash, right.hash) });
    }
    this.frontier = Frontier.fromJSON({
      size: this.frontier.size + 2 ** level,
      subtrees: nodes.map((node) => node.hash.toString('hex')),
    });
    this.#root = undefined;
  }

  root(): string {
    this.#root ??= this.frontier.root().toString('hex');
    return this.#root;
  }
}

/** The signed heads in size order, each checked when the rebuilt tree reaches its size. */
class Heads {
  #heads: TreeHead[];
  #keys: Map<string, string>;
  #trusted: Set<string> | null;
  #report: (problem: Problem) => void;
  #next = 0;
  /** The head the caller holds, until the tree reaches its size. */
  #held: TreeHead | undefined;

  private constructor(heads: TreeHead[], keys: Map<string, string>, ctx: Context) {
    this.#heads = heads;
    this.#keys = keys;
    this.#trusted = ctx.trustedKeys ? new Set(ctx.trustedKeys) : null;
    this.#report = ctx.report;
    this.#held = ctx.since;
  }

  static async load(ctx: Context): Promise<Heads> {
    const keys = new Map<string, string>();
    for (const row of (await ctx.reader.query('SELECT key_id, public_pem FROM signing_keys')).rows)
      keys.set(row.key_id as string, row.public_pem as string);
    const heads = (
      await ctx.reader.query(
        'SELECT tree_size, root_hash, signed_at, key_id, signature FROM tree_heads ORDER BY tree_size',
      )
    ).rows.map(
      (row): TreeHead => ({
        treeSize: Number(row.tree_size),
        rootHash: row.root_hash as string,
        timestamp: row.signed_at as string,
        keyId: row.key_id as string,
        signature: row.signature as string,
      }),
    );
    return new Heads(heads, keys, ctx);
  }

  get checked(): number {
    return this.#next;
  }

  /** Size of the next head to check, if any. */
  get next(): number | undefined {
    return this.#heads[this.#next]?.treeSize;
  }

  checkAt(tree: Tree): void {
    const size = tree.frontier.size;
    if (this.#held?.treeSize === size) {
      this.#check(this.#held, 'the held head', tree.root());
      this.#held = undefined;
    }
    while (this.#next < this.#heads.length && this.#heads[this.#next]!.treeSize === size) {
      const head = this.#heads[this.#next++]!;
      this.#check(head, 'tree head', tree.root());
    }
  }

  #check(head: TreeHead, name: string, root: string): void {
    const pem = this.#keys.get(head.keyId);
    if (!pem || (this.#trusted && !this.#trusted.has(pem.trim()))) {
      this.#report({ message: `${name} at size ${head.treeSize} is signed by an unknown key ${head.keyId}` });
    } else if (!verifyTreeHead(pem, head)) {
      this.#report({ message: `${name} at size ${head.treeSize} has an invalid signature` });
    }
    if (head.rootHash !== root) {
      this.#report({
        message: `${name} at size ${head.treeSize} does not match the entries: an entry was changed or removed`,
      });
    }
  }

  reportBeyond(size: number): void {
    if (this.#held) {
      this.#report({
        message: `the held head at size ${this.#held.treeSize} is beyond the log's ${size} entries: entries were removed`,
      });
    }
    for (const head of this.#heads.slice(this.#next)) {
      this.#report({
        message: `tree head at size ${head.treeSize} is beyond the log's ${size} entries: entries were removed`,
      });
    }
  }
}
