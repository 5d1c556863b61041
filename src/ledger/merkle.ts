/** RFC 9162 Merkle tree hashing for the ledger: entry and node hashes, whole-tree roots, and the frontier that lets the log grow one entry at a time. */

import { createHash } from 'node:crypto';
import { TruceError } from '../domain/errors.ts';
import { sha256 } from './sha256.ts';

export const HASH_BYTES = 32;

/** What a frontier persists as: its size and subtree hashes in lowercase hex, largest subtree first. */
export type FrontierJSON = { size: number; subtrees: string[] };

/** A perfect aligned subtree: at `level` L, `index` i covers leaves [i * 2^L, (i + 1) * 2^L). */
export type TreeNode = { level: number; index: number; hash: Buffer };

// The one-byte domain separators — 0x00 before an entry (leafHash), 0x01 before two child hashes —
// are what stop an interior node being passed off as an entry (RFC 9162 §2.1.1).
const NODE_PREFIX = Buffer.from([0x01]);
const HEX_HASH = /^[0-9a-f]{64}$/;

let scratch = new Uint8Array(64 * 1024);

/** RFC 9162 leaf hash, SHA-256(0x00 || entry), in one call: a Hash object per entry costs more than the copy. */
export function leafHash(entry: Uint8Array): Buffer {
  if (entry.length + 1 > scratch.length) scratch = new Uint8Array(2 * (entry.length + 1));
  scratch[0] = 0x00;
  scratch.set(entry, 1);
  return sha256(scratch.subarray(0, entry.length + 1));
}

/**
 * leafHash of an entry's UTF-8 bytes, given its text (well-formed: no lone surrogates, as
 * canonical text never has), in one call: U+0000 is the 0x00 prefix byte in UTF-8. Also returns
 * the text flattened: text built piece by piece is a tree of small strings until something reads
 * it whole, and kept that way (until its batch is sent) it costs the garbage collector dearly.
 */
export function leafHashOfText(entry: string): { hash: Buffer; text: string } {
  const prefixed = `\u0000${entry}`;
  const hash = sha256(prefixed); // reads it whole, so flattens it: the slice shares those bytes
  return { hash, text: prefixed.slice(1) };
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

/** The RFC's k: the largest power of two strictly below `width` (width >= 2). */
export function splitPoint(width: number): number {
  // Multiplication rather than shifts: JavaScript bit operators truncate to 32 bits, tree sizes need not.
  let k = 1;
  while (k * 2 < width) k *= 2;
  return k;
}

export function isPowerOfTwo(width: number): boolean {
  let w = width;
  while (w > 1 && w % 2 === 0) w /= 2;
  return w === 1;
}

/** Level of a perfect subtree of `width` leaves (width a power of two). */
export function levelOfWidth(width: number): number {
  let level = 0;
  for (let w = width; w > 1; w /= 2) level++;
  return level;
}

export function isTreeSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** MTH over entries that are already leaf-hashed; O(n), for small trees and for checking the frontier. */
export function rootFromLeaves(leafHashes: readonly Uint8Array[]): Buffer {
  if (leafHashes.length === 0) return emptyRoot();
  return rootOfRange(leafHashes, 0, leafHashes.length);
}

function rootOfRange(leafHashes: readonly Uint8Array[], start: number, end: number): Buffer {
  if (end - start === 1) return Buffer.from(leafHashes[start]!);
  const k = splitPoint(end - start);
  return nodeHash(rootOfRange(leafHashes, start, start + k), rootOfRange(leafHashes, start + k, end));
}

function assertHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_BYTES) {
    throw new TruceError('invalid_input', `${what} must be a ${HASH_BYTES}-byte hash`, { field: what });
  }
}

/**
 * The compact right edge of the log: one hash per perfect subtree, largest first, which is all
 * that is needed to append and to compute the root without reading old entries.
 */
export class Frontier {
  #size: number;
  readonly #subtrees: Buffer[];

  private constructor(size: number, subtrees: Buffer[]) {
    this.#size = size;
    this.#subtrees = subtrees;
  }

  static empty(): Frontier {
    return new Frontier(0, []);
  }

  static fromLeaves(leafHashes: readonly Uint8Array[]): Frontier {
    const frontier = Frontier.empty();
    for (const hash of leafHashes) frontier.append(hash);
    return frontier;
  }

  static fromJSON(json: FrontierJSON): Frontier {
    // A frontier comes back from storage; one that does not fit its size would silently fork the log.
    const corrupt = (why: string) => new TruceError('ledger_invalid', `stored frontier is corrupt: ${why}`);
    if (typeof json !== 'object' || json === null) throw corrupt('not an object');
    const { size, subtrees } = json;
    if (!isTreeSize(size)) throw corrupt('size is not a non-negative safe integer');
    if (!Array.isArray(subtrees) || subtrees.length !== subtreeCount(size)) {
      throw corrupt(`size ${size} needs ${subtreeCount(size)} subtree hashes`);
    }
    const hashes = subtrees.map((hex) => {
      if (typeof hex !== 'string' || !HEX_HASH.test(hex))
        throw corrupt('subtree hash is not 64 lowercase hex');
      return Buffer.from(hex, 'hex');
    });
    return new Frontier(size, hashes);
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Adds the next entry's leaf hash and returns every perfect subtree this append completed, the
   * leaf itself first, so storage can keep them and later build proofs from O(log n) node reads.
   */
  append(entryLeafHash: Uint8Array): TreeNode[] {
    assertHash(entryLeafHash, 'leafHash');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new TruceError('too_large', 'ledger is full');
    const leafIndex = this.#size;
    let hash: Buffer = Buffer.from(entryLeafHash);
    let level = 0;
    let width = 1;
    const completed: TreeNode[] = [{ level, index: leafIndex, hash }];
    // Each trailing 1-bit of the old size is a same-height subtree waiting for a right sibling.
    for (let rest = leafIndex; rest % 2 === 1; rest = (rest - 1) / 2) {
      hash = nodeHash(this.#subtrees.pop()!, hash);
      level++;
      width *= 2;
      completed.push({ level, index: Math.floor(leafIndex / width), hash });
    }
    // A copy, so a caller keeping or altering the returned nodes cannot reach into the frontier.
    this.#subtrees.push(Buffer.from(hash));
    this.#size++;
    return completed;
  }

  root(): Buffer {
    const subtrees = this.#subtrees;
    if (subtrees.length === 0) return emptyRoot();
    let root = subtrees[subtrees.length - 1]!;
    for (let i = subtrees.length - 2; i >= 0; i--) root = nodeHash(subtrees[i]!, root);
    return Buffer.from(root);
  }

  /** The frontier's own subtrees with their positions, largest (leftmost) first. */
  subtrees(): TreeNode[] {
    const nodes: TreeNode[] = [];
    let start = 0;
    let position = 0;
    for (let level = 52; level >= 0; level--) {
      const width = 2 ** level;
      if (Math.floor(this.#size / width) % 2 === 1) {
        nodes.push({ level, index: start / width, hash: Buffer.from(this.#subtrees[position++]!) });
        start += width;
      }
    }
    return nodes;
  }

  toJSON(): FrontierJSON {
    return { size: this.#size, subtrees: this.#subtrees.map((hash) => hash.toString('hex')) };
  }
}

/** One perfect subtree per 1-bit of the size. */
function subtreeCount(size: number): number {
  let count = 0;
  for (let rest = size; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}
