/** Inclusion and consistency proofs for the ledger's Merkle log (RFC 9162 §2.1.3–2.1.4): built from stored subtree hashes, checked without trusting whoever built them. */

import { TruceError } from '../domain/errors.ts';
import {
  emptyRoot,
  HASH_BYTES,
  isPowerOfTwo,
  isTreeSize,
  levelOfWidth,
  nodeHash,
  splitPoint,
} from './merkle.ts';

/**
 * Hashes of perfect aligned subtrees that are already complete: level 0 is a leaf hash, and level L
 * index i covers leaves [i * 2^L, (i + 1) * 2^L). Proof building never asks for anything else.
 */
export interface NodeSource {
  getNode(level: number, index: number): Buffer;
}

/** The same, for stores that can only answer asynchronously. */
export interface AsyncNodeSource {
  getNode(level: number, index: number): Promise<Buffer> | Buffer;
}

type NodeAddress = { level: number; index: number };

// Each proof algorithm is written once as a generator that pauses at every node it needs, so the
// same RFC recursion serves both synchronous and asynchronous stores.
type NodeReads<T> = Generator<NodeAddress, T, Buffer>;

/** An in-memory source for tests and small trees; O(n) to build. */
export function nodeSourceFromLeaves(leafHashes: readonly Uint8Array[]): NodeSource {
  const levels: Buffer[][] = [leafHashes.map((hash) => Buffer.from(hash))];
  for (let below = levels[0]!; below.length >= 2; ) {
    const above: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) above.push(nodeHash(below[i]!, below[i + 1]!));
    levels.push(above);
    below = above;
  }
  return {
    getNode(level, index) {
      const hash = levels[level]?.[index];
      if (hash === undefined) {
        throw new TruceError('not_found', `no complete subtree at level ${level} index ${index}`);
      }
      return hash;
    },
  };
}

/** MTH(D[start:end]), reading one stored node per aligned perfect piece: O(log^2 n) reads at worst. */
export function subtreeRoot(source: NodeSource, start: number, end: number): Buffer {
  checkRange(start, end);
  return readSync(source, subtreeRootReads(start, end));
}

export async function subtreeRootAsync(source: AsyncNodeSource, start: number, end: number): Promise<Buffer> {
  checkRange(start, end);
  return readAsync(source, subtreeRootReads(start, end));
}

/** PATH(index, D[0:treeSize]) of RFC 9162 §2.1.3.1, innermost sibling first. */
export function inclusionProof(source: NodeSource, index: number, treeSize: number): Buffer[] {
  checkInclusion(index, treeSize);
  return readSync(source, inclusionPathReads(index, 0, treeSize));
}

export async function inclusionProofAsync(
  source: AsyncNodeSource,
  index: number,
  treeSize: number,
): Promise<Buffer[]> {
  checkInclusion(index, treeSize);
  return readAsync(source, inclusionPathReads(index, 0, treeSize));
}

/** PROOF(oldSize, D[0:newSize]) of RFC 9162 §2.1.4.1; empty when there is nothing to prove. */
export function consistencyProof(source: NodeSource, oldSize: number, newSize: number): Buffer[] {
  checkConsistency(oldSize, newSize);
  if (oldSize === 0 || oldSize === newSize) return [];
  return readSync(source, subproofReads(oldSize, 0, newSize, true));
}

export async function consistencyProofAsync(
  source: AsyncNodeSource,
  oldSize: number,
  newSize: number,
): Promise<Buffer[]> {
  checkConsistency(oldSize, newSize);
  if (oldSize === 0 || oldSize === newSize) return [];
  return readAsync(source, subproofReads(oldSize, 0, newSize, true));
}

function* subtreeRootReads(start: number, end: number): NodeReads<Buffer> {
  const width = end - start;
  if (width === 0) return emptyRoot();
  if (isPowerOfTwo(width) && start % width === 0) {
    return yield { level: levelOfWidth(width), index: start / width };
  }
  const k = splitPoint(width);
  const left = yield* subtreeRootReads(start, start + k);
  const right = yield* subtreeRootReads(start + k, end);
  return nodeHash(left, right);
}

// Positions are absolute leaf indices, so the RFC's "m - k" and "D[k:n]" become moving `start`.
function* inclusionPathReads(index: number, start: number, end: number): NodeReads<Buffer[]> {
  if (end - start === 1) return [];
  const middle = start + splitPoint(end - start);
  if (index < middle) {
    const path = yield* inclusionPathReads(index, start, middle);
    path.push(yield* subtreeRootReads(middle, end));
    return path;
  }
  const path = yield* inclusionPathReads(index, middle, end);
  path.push(yield* subtreeRootReads(start, middle));
  return path;
}

/** SUBPROOF(m, D[start:end], b) with m = oldSize - start; `oldRootKnown` is the RFC's b. */
function* subproofReads(
  oldSize: number,
  start: number,
  end: number,
  oldRootKnown: boolean,
): NodeReads<Buffer[]> {
  if (oldSize === end) return oldRootKnown ? [] : [yield* subtreeRootReads(start, end)];
  const middle = start + splitPoint(end - start);
  if (oldSize <= middle) {
    const proof = yield* subproofReads(oldSize, start, middle, oldRootKnown);
    proof.push(yield* subtreeRootReads(middle, end));
    return proof;
  }
  const proof = yield* subproofReads(oldSize, middle, end, false);
  proof.push(yield* subtreeRootReads(start, middle));
  return proof;
}

function readSync<T>(source: NodeSource, reads: NodeReads<T>): T {
  let step = reads.next();
  while (!step.done)
    step = reads.next(storedNode(source.getNode(step.value.level, step.value.index), step.value));
  return step.value;
}

async function readAsync<T>(source: AsyncNodeSource, reads: NodeReads<T>): Promise<T> {
  let step = reads.next();
  while (!step.done) {
    step = reads.next(storedNode(await source.getNode(step.value.level, step.value.index), step.value));
  }
  return step.value;
}

/** Copies, so callers cannot alter the store's hashes through a proof, and refuses malformed ones. */
function storedNode(hash: unknown, at: NodeAddress): Buffer {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_BYTES) {
    throw new TruceError(
      'ledger_invalid',
      `stored node at level ${at.level} index ${at.index} is not a hash`,
    );
  }
  return Buffer.from(hash);
}

function checkRange(start: number, end: number): void {
  if (!isTreeSize(start) || !isTreeSize(end) || start > end) {
    throw new TruceError('invalid_input', `leaf range [${start}, ${end}) is not valid`);
  }
}

function checkInclusion(index: number, treeSize: number): void {
  if (!isTreeSize(treeSize)) {
    throw new TruceError('invalid_input', 'tree size must be a non-negative integer', { field: 'treeSize' });
  }
  if (!isTreeSize(index) || index >= treeSize) {
    throw new TruceError('invalid_input', `entry index must be in [0, ${treeSize})`, { field: 'index' });
  }
}

function checkConsistency(oldSize: number, newSize: number): void {
  if (!isTreeSize(newSize)) {
    throw new TruceError('invalid_input', 'new tree size must be a non-negative integer', {
      field: 'newSize',
    });
  }
  if (!isTreeSize(oldSize) || oldSize > newSize) {
    throw new TruceError('invalid_input', `old tree size must be in [0, ${newSize}]`, { field: 'oldSize' });
  }
}

// Verification. JavaScript bit operators work on 32 bits, so the RFC's right shifts are halvings
// and its LSB tests are parity checks; sizes stay exact up to Number.MAX_SAFE_INTEGER.

const half = (n: number): number => Math.floor(n / 2);
const isOdd = (n: number): boolean => n % 2 === 1;

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_BYTES;
}

function isProof(value: unknown): value is readonly Uint8Array[] {
  if (!Array.isArray(value)) return false;
  // An indexed loop rather than every(), which skips the holes of a sparse array.
  for (let i = 0; i < value.length; i++) if (!isHash(value[i])) return false;
  return true;
}

function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

/** RFC 9162 §2.1.3.2; false, never an exception, for anything malformed. */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leafHash) || !isHash(root) || !isProof(proof)) return false;
  if (!isTreeSize(index) || !isTreeSize(treeSize) || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(r, root);
}

/**
 * RFC 9162 §2.1.4.2, plus the cases the RFC leaves to the caller: equal sizes need equal roots and
 * an empty proof, and a size-0 tree must have the empty root. False, never an exception, otherwise.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isTreeSize(oldSize) || !isTreeSize(newSize) || oldSize > newSize) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !isProof(proof)) return false;
  if (oldSize === 0 && !sameHash(oldRoot, emptyRoot())) return false;
  if (oldSize === newSize) return proof.length === 0 && sameHash(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;

  // A power-of-two old tree is a single node of the new one, so the prover leaves its root out.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(fr, oldRoot) && sameHash(sr, newRoot);
}
