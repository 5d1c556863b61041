/** Checks proof building and verification against a brute-force RFC 9162 tree, and verifiers against hostile input. */

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leafHash } from './merkle.ts';
import {
  consistencyProof,
  inclusionProof,
  type NodeSource,
  nodeSourceFromLeaves,
  subtreeRoot,
  verifyConsistency,
  verifyInclusion,
} from './proofs.ts';
import { alteredProofs, flipped, hex, hexes } from './testkit.ts';

// ---- The reference: RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 transcribed over D = LEAVES, with ranges
// [start, end) standing for the RFC's list slices. MTH is memoised only to keep the suite fast.

const MAX = 300;
const LEAVES = Array.from({ length: MAX }, (_, i) => leafHash(Buffer.from(`ceasefire report ${i}`)));

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
const mthMemo = new Map<string, Buffer>();
function refMth(start: number, end: number): Buffer {
  const n = end - start;
  if (n === 0) return sha();
  if (n === 1) return LEAVES[start]!;
  const key = `${start}:${end}`;
  let hash = mthMemo.get(key);
  if (!hash) {
    const k = split(n);
    hash = sha(Buffer.from([1]), refMth(start, start + k), refMth(start + k, end));
    mthMemo.set(key, hash);
  }
  return hash;
}
/** PATH(m, D[start:end]) with m relative to start. */
function refPath(m: number, start: number, end: number): Buffer[] {
  if (end - start === 1) return [];
  const k = split(end - start);
  return m < k
    ? [...refPath(m, start, start + k), refMth(start + k, end)]
    : [...refPath(m - k, start + k, end), refMth(start, start + k)];
}
/** SUBPROOF(m, D[start:end], b) with m relative to start. */
function refSubproof(m: number, start: number, end: number, b: boolean): Buffer[] {
  if (m === end - start) return b ? [] : [refMth(start, end)];
  const k = split(end - start);
  return m <= k
    ? [...refSubproof(m, start, start + k, b), refMth(start + k, end)]
    : [...refSubproof(m - k, start + k, end, false), refMth(start, start + k)];
}
const refProof = (m: number, n: number) => (m === 0 || m === n ? [] : refSubproof(m, 0, n, true));

const ROOTS = Array.from({ length: MAX + 1 }, (_, size) => refMth(0, size));
const SOURCES = new Map<number, NodeSource>();
/** Bounded to the first `size` leaves, so reading a node outside the tree throws. */
const sourceOf = (size: number) => {
  let source = SOURCES.get(size);
  if (!source) {
    source = nodeSourceFromLeaves(LEAVES.slice(0, size));
    SOURCES.set(size, source);
  }
  return source;
};
// A prefix shares every complete node with the whole tree, so random sizes can share one source;
// the exhaustive test's bounded sources are what show a proof reads nothing past its tree.
const WHOLE = sourceOf(MAX);

describe('against the brute-force reference', () => {
  it('matches PATH and PROOF exactly for every index and old size up to 64 leaves', () => {
    // Mismatches are collected rather than asserted one by one: thousands of expect() calls dominate the run.
    const wrong: string[] = [];
    for (let size = 1; size <= 64; size++) {
      for (let m = 0; m < size; m++) {
        const path = inclusionProof(sourceOf(size), m, size);
        if (hexes(path).join() !== hexes(refPath(m, 0, size)).join()) wrong.push(`PATH(${m}, ${size})`);
        if (!verifyInclusion(LEAVES[m]!, m, size, path, ROOTS[size]!))
          wrong.push(`verify PATH(${m}, ${size})`);
      }
      for (let m = 0; m <= size; m++) {
        const proof = consistencyProof(sourceOf(size), m, size);
        if (hexes(proof).join() !== hexes(refProof(m, size)).join()) wrong.push(`PROOF(${m}, ${size})`);
        if (!verifyConsistency(m, size, ROOTS[m]!, ROOTS[size]!, proof))
          wrong.push(`verify PROOF(${m}, ${size})`);
      }
      if (!subtreeRoot(sourceOf(size), 0, size).equals(ROOTS[size]!)) wrong.push(`MTH(${size})`);
    }
    expect(wrong).toEqual([]);
  });

  it('computes MTH of any leaf range, aligned or not', () => {
    fc.assert(
      fc.property(fc.nat(MAX), fc.nat(MAX), (a, b) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        expect(hex(subtreeRoot(WHOLE, start, end))).toBe(hex(refMth(start, end)));
      }),
      { numRuns: 150 },
    );
  });

  const sizeAndIndex = fc
    .integer({ min: 1, max: MAX })
    .chain((size) =>
      fc.record({ size: fc.constant(size), index: fc.nat(size - 1), other: fc.nat(size - 1) }),
    );
  const tamper = fc.record({ element: fc.nat(), byte: fc.nat(31), mask: fc.integer({ min: 1, max: 255 }) });

  it('inclusion proofs match PATH, verify, and fail once anything is altered', () => {
    fc.assert(
      fc.property(
        sizeAndIndex,
        tamper,
        fc.integer({ min: 1, max: MAX }),
        ({ size, index, other }, t, size2) => {
          const proof = inclusionProof(WHOLE, index, size);
          expect(hexes(proof)).toEqual(hexes(refPath(index, 0, size)));
          const [leaf, root] = [LEAVES[index]!, ROOTS[size]!];
          expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
          if (proof.length > 0) {
            expect(
              verifyInclusion(
                leaf,
                index,
                size,
                flipped(proof, t.element % proof.length, t.byte, t.mask),
                root,
              ),
            ).toBe(false);
          }
          const accepted = alteredProofs(proof, LEAVES[other]!).filter((altered) =>
            verifyInclusion(leaf, index, size, altered, root),
          );
          expect(accepted).toEqual([]);
          if (other !== index) expect(verifyInclusion(leaf, other, size, proof, root)).toBe(false);
          expect(
            verifyInclusion(LEAVES[other === index ? (index + 1) % MAX : other]!, index, size, proof, root),
          ).toBe(false);
          // A different size is bound to a different signed root; the proof must not fit that one.
          if (size2 !== size && index < size2) {
            expect(verifyInclusion(leaf, index, size2, proof, ROOTS[size2]!)).toBe(false);
          }
          expect(verifyInclusion(leaf, index + size, size, proof, root)).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('consistency proofs match PROOF, verify, and fail once anything is altered', () => {
    const sizes = fc
      .integer({ min: 1, max: MAX })
      .chain((newSize) =>
        fc.record({ newSize: fc.constant(newSize), oldSize: fc.integer({ min: 1, max: newSize }) }),
      );
    fc.assert(
      fc.property(sizes, tamper, fc.integer({ min: 1, max: MAX }), ({ oldSize, newSize }, t, otherSize) => {
        const proof = consistencyProof(WHOLE, oldSize, newSize);
        expect(hexes(proof)).toEqual(hexes(refProof(oldSize, newSize)));
        const [oldRoot, newRoot] = [ROOTS[oldSize]!, ROOTS[newSize]!];
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)).toBe(true);
        if (proof.length === 0) return;
        expect(
          verifyConsistency(
            oldSize,
            newSize,
            oldRoot,
            newRoot,
            flipped(proof, t.element % proof.length, t.byte, t.mask),
          ),
        ).toBe(false);
        const accepted = alteredProofs(proof, LEAVES[t.element % MAX]!).filter((altered) =>
          verifyConsistency(oldSize, newSize, oldRoot, newRoot, altered),
        );
        expect(accepted).toEqual([]);
        expect(verifyConsistency(oldSize, newSize, newRoot, oldRoot, proof)).toBe(false);
        if (otherSize !== oldSize && otherSize <= newSize) {
          expect(verifyConsistency(otherSize, newSize, ROOTS[otherSize]!, newRoot, proof)).toBe(false);
        }
        if (otherSize !== newSize && otherSize >= oldSize) {
          expect(verifyConsistency(oldSize, otherSize, oldRoot, ROOTS[otherSize]!, proof)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('verifiers on hostile input', () => {
  it('return false and never throw', () => {
    const hostile = fc.oneof(
      fc.anything(),
      fc.array(fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.anything())),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
    );
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, (a, b, c, d, e) => {
        const anyArgs = [a, b, c, d, e] as never[];
        expect(verifyInclusion(...(anyArgs as [never, never, never, never, never]))).toBe(false);
        expect(verifyConsistency(...(anyArgs as [never, never, never, never, never]))).toBe(false);
      }),
      { numRuns: 200 },
    );
    const leaf = LEAVES[0]!;
    // biome-ignore lint/suspicious/noSparseArray: a hole is exactly the malformed proof under test
    const sparse = [, ROOTS[2]!] as unknown as Buffer[];
    expect(verifyInclusion(leaf, 0, 3, sparse, ROOTS[3]!)).toBe(false);
    expect(verifyInclusion(leaf, 0, 2 ** 53, [], leaf)).toBe(false);
    expect(verifyInclusion(leaf, 0, Number.POSITIVE_INFINITY, [], leaf)).toBe(false);
    expect(verifyConsistency(1, 3, leaf, ROOTS[3]!, sparse)).toBe(false);
    expect(verifyConsistency(1, 2 ** 60, leaf, ROOTS[3]!, [leaf])).toBe(false);
  });
});
