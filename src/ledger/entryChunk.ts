/** Checks a run of consecutive stored entries — from a binary COPY chunk or from query rows — in one call a worker can make. */

import { CopyTuples } from './copyTuples.ts';
import { checkEntry, EntryFindings, type EntryProblem } from './entryCheck.ts';
import { HASH_BYTES, isPowerOfTwo } from './merkle.ts';
import { nodeHashInto } from './nodeHash.ts';
import type { RowKeys } from './rowKey.ts';

export type EntryChunkResult = {
  /** The seq column of each entry, in the order read. */
  seqs: Float64Array;
  /** The leaf hash of each entry over its stored bytes, 32 bytes each. */
  leafHashes: Uint8Array;
  /** The root over all the leaves, when their number is a power of two (a perfect subtree if aligned). */
  subtreeRoot: Uint8Array | null;
  problems: EntryProblem[];
  /** Per row image: its table (index in RECORD_TABLES), RowKeys key, entry, and 16-byte digest. */
  imageTables: Uint8Array;
  imageKeys: Int32Array;
  imageSeqs: Float64Array;
  imageDigests: Uint8Array;
};

/** Rows of `seq, kind, body, leaf_hash` as read by a query. */
export type EntryRow = { seq: number; kind: string; body: string; leaf_hash: Buffer | null };

/**
 * `COPY (SELECT seq, kind, body, leaf_hash FROM ledger_entries …) TO STDOUT (FORMAT binary)` output.
 * `keys`: how to key row images, or undefined to keep none (when only the log is checked); `form`
 * false: hash the entries only, without checking their form (EntryFindings).
 */
export function checkEntryCopy(
  bytes: Uint8Array,
  rows: number,
  keys: RowKeys | undefined,
  form = true,
): EntryChunkResult {
  const tuples = new CopyTuples(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const findings = new EntryFindings(keys, form);
  const seqs = new Float64Array(rows);
  const leafHashes = new Uint8Array(rows * HASH_BYTES);
  let n = 0;
  while (tuples.next()) {
    const seq = tuples.int64(0);
    const kind = buffer.toString('utf8', tuples.starts[1]!, tuples.ends[1]!);
    const leafHash = tuples.isNull(3) ? null : bytes.subarray(tuples.starts[3]!, tuples.ends[3]!);
    seqs[n] = seq;
    checkEntry(
      { seq, kind, buffer, start: tuples.starts[2]!, end: tuples.ends[2]!, leafHash },
      findings,
      leafHashes,
      n * HASH_BYTES,
    );
    n++;
  }
  if (n !== rows) throw new Error(`binary COPY held ${n} entries, the server said ${rows}`);
  return finish(seqs, leafHashes, findings);
}

/**
 * `COPY (SELECT seq, leaf_hash FROM ledger_entries …) TO STDOUT (FORMAT binary)` output: each
 * entry's stored leaf hash taken as it is, its bytes not read — the entries before a head the
 * verifier holds, which that head's root vouches for as hashes (`since`).
 */
export function storedLeafCopy(bytes: Uint8Array, rows: number): EntryChunkResult {
  const tuples = new CopyTuples(bytes);
  const findings = new EntryFindings(undefined, false);
  const seqs = new Float64Array(rows);
  const leafHashes = new Uint8Array(rows * HASH_BYTES);
  let n = 0;
  while (tuples.next()) {
    seqs[n] = tuples.int64(0);
    const hash = tuples.isNull(1) ? null : bytes.subarray(tuples.starts[1]!, tuples.ends[1]!);
    storedLeaf(seqs[n]!, hash, findings, leafHashes, n);
    n++;
  }
  if (n !== rows) throw new Error(`binary COPY held ${n} entries, the server said ${rows}`);
  return finish(seqs, leafHashes, findings);
}

/** The same from query rows of `seq, leaf_hash`. */
export function storedLeafRows(rows: readonly Pick<EntryRow, 'seq' | 'leaf_hash'>[]): EntryChunkResult {
  const findings = new EntryFindings(undefined, false);
  const seqs = new Float64Array(rows.length);
  const leafHashes = new Uint8Array(rows.length * HASH_BYTES);
  rows.forEach((row, n) => {
    seqs[n] = Number(row.seq);
    storedLeaf(seqs[n]!, row.leaf_hash, findings, leafHashes, n);
  });
  return finish(seqs, leafHashes, findings);
}

function storedLeaf(
  seq: number,
  hash: Uint8Array | null,
  findings: EntryFindings,
  leafHashes: Uint8Array,
  n: number,
): void {
  // Left as zeros, a missing hash also breaks the root, as a changed one would.
  if (hash?.length === HASH_BYTES) leafHashes.set(hash, n * HASH_BYTES);
  else findings.problems.push({ seq, message: `entry ${seq} has no stored leaf hash` });
}

export function checkEntryRows(
  rows: readonly EntryRow[],
  keys: RowKeys | undefined,
  form = true,
): EntryChunkResult {
  const findings = new EntryFindings(keys, form);
  const seqs = new Float64Array(rows.length);
  const leafHashes = new Uint8Array(rows.length * HASH_BYTES);
  rows.forEach((row, n) => {
    const buffer = Buffer.from(row.body, 'utf8');
    seqs[n] = row.seq;
    checkEntry(
      { seq: row.seq, kind: row.kind, buffer, start: 0, end: buffer.length, leafHash: row.leaf_hash },
      findings,
      leafHashes,
      n * HASH_BYTES,
    );
  });
  return finish(seqs, leafHashes, findings);
}

/**
 * The root of a perfect tree of `n` (a power of two) leaf hashes, level by level, in place. For such
 * a tree RFC 9162's split is always the middle, so this is MTH as merkle.ts computes it (tested
 * against rootFromLeaves), with each node hashed by nodeHashInto rather than a crypto call.
 */
export function perfectRoot(leafHashes: Uint8Array, n: number): Uint8Array {
  // A copy whatever `leafHashes` is: a Buffer's slice would be a view, and the leaves overwritten.
  const level = new Uint8Array(leafHashes.subarray(0, n * HASH_BYTES));
  for (let width = n; width > 1; width /= 2) {
    for (let i = 0; i < width / 2; i++) {
      nodeHashInto(level, 2 * i * HASH_BYTES, (2 * i + 1) * HASH_BYTES, level, i * HASH_BYTES);
    }
  }
  return level.slice(0, HASH_BYTES);
}

function finish(seqs: Float64Array, leafHashes: Uint8Array, findings: EntryFindings): EntryChunkResult {
  const n = seqs.length;
  let subtreeRoot: Uint8Array | null = null;
  if (n > 0 && isPowerOfTwo(n)) subtreeRoot = perfectRoot(leafHashes, n);
  return {
    seqs,
    leafHashes,
    subtreeRoot,
    problems: findings.problems,
    imageTables: Uint8Array.from(findings.imageTables),
    imageKeys: findings.imageKeys.take(),
    imageSeqs: Float64Array.from(findings.imageSeqs),
    imageDigests: findings.imageDigests.take(),
  };
}
