/** Checks proof building and verification against the published Certificate Transparency vectors. */

import { describe, expect, it } from 'vitest';
import { emptyRoot, leafHash } from './merkle.ts';
import {
  consistencyProof,
  inclusionProof,
  nodeSourceFromLeaves,
  verifyConsistency,
  verifyInclusion,
} from './proofs.ts';
import {
  alteredProofs,
  CT_CONSISTENCY,
  CT_ENTRIES,
  CT_INCLUSION,
  CT_ROOTS,
  hexes,
  unhex,
} from './testkit.ts';

const CT_LEAVES = CT_ENTRIES.map((entry) => leafHash(unhex(entry)));
const CT_SOURCE = nodeSourceFromLeaves(CT_LEAVES);

describe('published CT vectors', () => {
  it('builds and verifies the known inclusion proofs, and rejects altered ones', () => {
    for (const { index, size, proof } of CT_INCLUSION) {
      const source = nodeSourceFromLeaves(CT_LEAVES.slice(0, size));
      const built = inclusionProof(source, index, size);
      expect(hexes(built), `${index}/${size}`).toEqual(proof);
      const root = unhex(CT_ROOTS[size]!);
      expect(verifyInclusion(CT_LEAVES[index]!, index, size, built, root)).toBe(true);
      expect(verifyInclusion(leafHash(Buffer.from('WrongLeaf')), index, size, built, root)).toBe(false);
      expect(verifyInclusion(CT_LEAVES[index]!, index, size, built, emptyRoot())).toBe(false);
      expect(verifyInclusion(CT_LEAVES[index]!, index + 1, size, built, root)).toBe(false);
      expect(verifyInclusion(CT_LEAVES[index]!, index, size * 2, built, root)).toBe(false);
      expect(verifyInclusion(CT_LEAVES[index]!, index ^ 2, size, built, root)).toBe(false);
      for (const altered of alteredProofs(built, root)) {
        expect(verifyInclusion(CT_LEAVES[index]!, index, size, altered, root)).toBe(false);
      }
    }
  });

  it('builds and verifies the known consistency proofs, and rejects altered ones', () => {
    for (const { oldSize, newSize, proof } of CT_CONSISTENCY) {
      const built = consistencyProof(CT_SOURCE, oldSize, newSize);
      expect(hexes(built), `${oldSize}->${newSize}`).toEqual(proof);
      const [oldRoot, newRoot] = [unhex(CT_ROOTS[oldSize]!), unhex(CT_ROOTS[newSize]!)];
      expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, built)).toBe(true);
      if (built.length === 0) continue;
      expect(verifyConsistency(oldSize, newSize, newRoot, oldRoot, built)).toBe(false);
      expect(verifyConsistency(oldSize - 1, newSize, oldRoot, newRoot, built)).toBe(false);
      expect(verifyConsistency(oldSize + 1, newSize, oldRoot, newRoot, built)).toBe(false);
      expect(verifyConsistency(oldSize, newSize * 2, oldRoot, newRoot, built)).toBe(false);
      expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, [])).toBe(false);
      for (const altered of [...alteredProofs(built, oldRoot), [built[0]!, ...built], [...built, newRoot]]) {
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, altered)).toBe(false);
      }
    }
  });

  it('handles the degenerate sizes the way RFC 9162 allows', () => {
    const [empty, r1, r2] = [emptyRoot(), unhex(CT_ROOTS[1]!), unhex(CT_ROOTS[2]!)];
    expect(verifyConsistency(0, 0, empty, empty, [])).toBe(true);
    expect(verifyConsistency(0, 2, empty, r2, [])).toBe(true);
    expect(verifyConsistency(1, 1, r1, r1, [])).toBe(true);
    expect(verifyConsistency(0, 2, r1, r2, [])).toBe(false); // a size-0 tree has the empty root
    expect(verifyConsistency(1, 1, r1, r2, [])).toBe(false);
    expect(verifyConsistency(1, 0, r1, empty, [])).toBe(false);
    expect(verifyConsistency(2, 1, r2, r1, [])).toBe(false);
    expect(verifyConsistency(1, 2, r1, r2, [])).toBe(false);
    expect(verifyConsistency(0, 0, empty, empty, [empty])).toBe(false);
    expect(verifyConsistency(0, 1, empty, r1, [empty])).toBe(false);
    expect(verifyConsistency(1, 1, r1, r1, [empty])).toBe(false);
    for (const [index, size] of [
      [0, 0],
      [1, 0],
      [1, 1],
      [2, 1],
    ] as const) {
      expect(verifyInclusion(r1, index, size, [], r1)).toBe(false);
      expect(verifyInclusion(r1, index, size, [], empty)).toBe(false);
    }
    expect(verifyInclusion(r1, 0, 1, [], r1)).toBe(true);
    expect(verifyInclusion(r1, 0, 1, [], Buffer.alloc(0))).toBe(false);
  });
});
