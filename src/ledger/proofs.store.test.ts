/** Checks proofs built from stored subtree nodes: what the frontier hands storage suffices, reads stay O(log^2 n), and async stores agree. */

import { describe, expect, it } from 'vitest';
import { TruceError } from '../domain/errors.ts';
import { Frontier, leafHash, nodeHash } from './merkle.ts';
import {
  type AsyncNodeSource,
  consistencyProof,
  consistencyProofAsync,
  inclusionProof,
  inclusionProofAsync,
  type NodeSource,
  nodeSourceFromLeaves,
  subtreeRoot,
  subtreeRootAsync,
  verifyConsistency,
  verifyInclusion,
} from './proofs.ts';
import { hex, hexes } from './testkit.ts';

const MAX = 300;
const LEAVES = Array.from({ length: MAX }, (_, i) => leafHash(Buffer.from(`ceasefire report ${i}`)));
// A prefix of a tree shares every complete node with the whole, so one source answers for all sizes.
const ALL = nodeSourceFromLeaves(LEAVES);

describe('building from stored nodes', () => {
  it('needs only the nodes the frontier reported as completed', () => {
    const stored = new Map<string, Buffer>();
    const source: NodeSource = {
      getNode(level, index) {
        const hash = stored.get(`${level}/${index}`);
        if (!hash) throw new Error(`node ${level}/${index} was never stored`);
        return hash;
      },
    };
    const frontier = Frontier.empty();
    for (let size = 1; size <= MAX; size++) {
      for (const node of frontier.append(LEAVES[size - 1]!))
        stored.set(`${node.level}/${node.index}`, node.hash);
      for (const index of new Set([0, 7919 % size, size - 1])) {
        expect(hexes(inclusionProof(source, index, size))).toEqual(hexes(inclusionProof(ALL, index, size)));
      }
      const oldSize = 104729 % size || size;
      expect(hexes(consistencyProof(source, oldSize, size))).toEqual(
        hexes(consistencyProof(ALL, oldSize, size)),
      );
      expect(hex(subtreeRoot(source, 0, size))).toBe(hex(frontier.root()));
    }
  });

  // Every leaf identical makes level L of any size tree the same hash, so a tree of 2^50 leaves
  // costs nothing to serve and counting reads measures the algorithm, not the fixture.
  const PERFECT = [leafHash(Buffer.from('same'))];
  for (let level = 1; level <= 53; level++) PERFECT.push(nodeHash(PERFECT[level - 1]!, PERFECT[level - 1]!));
  const uniformSource = () => {
    const reads = { count: 0 };
    const source: NodeSource = {
      getNode(level) {
        reads.count++;
        return PERFECT[level]!;
      },
    };
    return { source, reads };
  };

  it('reads O(log^2 n) nodes and keeps sizes exact past 32 bits', () => {
    const { source, reads } = uniformSource();
    const size = 2 ** 50 + 2 ** 33 + 12345;
    const root = subtreeRoot(source, 0, size);
    const log = Math.ceil(Math.log2(size));
    for (const index of [0, 2 ** 33 + 1, 2 ** 50 - 1, 2 ** 50 + 5, size - 1]) {
      reads.count = 0;
      const proof = inclusionProof(source, index, size);
      expect(reads.count).toBeLessThanOrEqual(log * log);
      expect(proof).toHaveLength(refPathLength(index, size));
      expect(verifyInclusion(PERFECT[0]!, index, size, proof, root)).toBe(true);
      expect(verifyInclusion(PERFECT[0]!, index, size, proof.slice(1), root)).toBe(false);
    }
    for (const oldSize of [1, 2 ** 32 + 3, 2 ** 40, 2 ** 50 + 1, size - 1]) {
      reads.count = 0;
      const proof = consistencyProof(source, oldSize, size);
      expect(reads.count).toBeLessThanOrEqual(log * log);
      expect(verifyConsistency(oldSize, size, subtreeRoot(source, 0, oldSize), root, proof)).toBe(true);
    }
  });

  it('gives the same answers from an asynchronous store', async () => {
    const sync = ALL;
    const slow: AsyncNodeSource = { getNode: async (level, index) => sync.getNode(level, index) };
    expect(await inclusionProofAsync(slow, 137, 250)).toEqual(inclusionProof(sync, 137, 250));
    expect(await consistencyProofAsync(slow, 77, 299)).toEqual(consistencyProof(sync, 77, 299));
    expect(await subtreeRootAsync(slow, 3, 201)).toEqual(subtreeRoot(sync, 3, 201));
    await expect(inclusionProofAsync(slow, 5, 5)).rejects.toThrow(TruceError);
  });

  it('refuses impossible requests and malformed stored nodes', () => {
    const source = nodeSourceFromLeaves(LEAVES.slice(0, 10));
    for (const [index, size] of [
      [0, 0],
      [10, 10],
      [-1, 10],
      [1.5, 10],
      [0, Number.NaN],
    ] as const) {
      expect(() => inclusionProof(source, index, size)).toThrow(TruceError);
    }
    expect(() => consistencyProof(source, 6, 5)).toThrow(TruceError);
    expect(() => consistencyProof(source, -1, 5)).toThrow(TruceError);
    expect(() => subtreeRoot(source, 4, 3)).toThrow(TruceError);
    const broken: NodeSource = { getNode: () => Buffer.alloc(31) };
    expect(() => inclusionProof(broken, 0, 4)).toThrow(/not a hash/);
  });
});

/** Length of PATH(index, D[0:size]) from its definition, without hashing. */
function refPathLength(index: number, size: number): number {
  let length = 0;
  for (let [m, n] = [index, size]; n > 1; length++) {
    let k = 1;
    while (k * 2 < n) k *= 2;
    if (m < k) n = k;
    else [m, n] = [m - k, n - k];
  }
  return length;
}
