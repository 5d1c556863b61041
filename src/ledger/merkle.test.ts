/** Checks the Merkle hashing against the public RFC 6962 vectors and the frontier against whole-tree roots. */

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TruceError } from '../domain/errors.ts';
import {
  emptyRoot,
  Frontier,
  leafHash,
  leafHashOfText,
  nodeHash,
  rootFromLeaves,
  splitPoint,
  type TreeNode,
} from './merkle.ts';
import { CT_ENTRIES, CT_ROOTS, hex, unhex } from './testkit.ts';

/** MTH straight from RFC 9162 §2.1.1, over raw entries, sharing no code with merkle.ts. */
function referenceRoot(entries: readonly Uint8Array[]): Buffer {
  const sha = (...parts: Uint8Array[]) => {
    const h = createHash('sha256');
    for (const part of parts) h.update(part);
    return h.digest();
  };
  const n = entries.length;
  if (n === 0) return sha();
  if (n === 1) return sha(Buffer.from([0]), entries[0]!);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return sha(Buffer.from([1]), referenceRoot(entries.slice(0, k)), referenceRoot(entries.slice(k)));
}

const ENTRIES = Array.from({ length: 300 }, (_, i) => Buffer.from(`truce entry ${i}`));
const LEAVES = ENTRIES.map(leafHash);

describe('RFC 6962 hashing', () => {
  it('matches the published hasher vectors', () => {
    expect(hex(emptyRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(leafHash(new Uint8Array()))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(hex(leafHash(Buffer.from('L123456')))).toBe(
      '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56',
    );
    expect(hex(nodeHash(Buffer.from('N123'), Buffer.from('N456')))).toBe(
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    );
  });

  it('hashes an entry given as text exactly as its UTF-8 bytes, and hands the same text back', () => {
    expect(hex(leafHashOfText('L123456').hash)).toBe(
      '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56',
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const { hash, text: back } = leafHashOfText(text);
        expect(hash.equals(leafHash(Buffer.from(text, 'utf8')))).toBe(true);
        expect(back).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('matches the reference tree roots for sizes 0 to 8', () => {
    for (let size = 0; size <= 8; size++) {
      const leaves = CT_ENTRIES.slice(0, size).map((entry) => leafHash(unhex(entry)));
      expect(hex(rootFromLeaves(leaves)), `size ${size}`).toBe(CT_ROOTS[size]);
      expect(hex(Frontier.fromLeaves(leaves).root()), `frontier size ${size}`).toBe(CT_ROOTS[size]);
    }
  });

  it('separates leaves from nodes and orders children', () => {
    const [a, b] = [leafHash(Buffer.from('a')), leafHash(Buffer.from('b'))];
    expect(nodeHash(a, b).equals(nodeHash(b, a))).toBe(false);
    expect(nodeHash(a, b).equals(leafHash(Buffer.concat([a, b])))).toBe(false);
  });

  it('splits at the largest power of two below the width', () => {
    expect([2, 3, 4, 5, 8, 9, 300].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 256]);
    expect(splitPoint(2 ** 40 + 1)).toBe(2 ** 40);
  });

  it('agrees with the textbook MTH on random entry lists', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 40 }), (entries) => {
        expect(rootFromLeaves(entries.map(leafHash)).equals(referenceRoot(entries))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Frontier', () => {
  it('has the same root as the whole tree at every size up to 300', () => {
    const frontier = Frontier.empty();
    expect(frontier.root().equals(emptyRoot())).toBe(true);
    for (let size = 1; size <= LEAVES.length; size++) {
      frontier.append(LEAVES[size - 1]!);
      expect(frontier.size).toBe(size);
      expect(frontier.root().equals(rootFromLeaves(LEAVES.slice(0, size))), `size ${size}`).toBe(true);
    }
  });

  it('reports each perfect subtree exactly once, when it completes, with its true hash', () => {
    const frontier = Frontier.empty();
    const seen = new Map<string, TreeNode>();
    for (let size = 1; size <= LEAVES.length; size++) {
      const completed = frontier.append(LEAVES[size - 1]!);
      expect(completed[0]).toEqual({ level: 0, index: size - 1, hash: LEAVES[size - 1] });
      for (const node of completed) {
        const key = `${node.level}/${node.index}`;
        expect(seen.has(key), key).toBe(false);
        seen.set(key, node);
        const width = 2 ** node.level;
        // Completed by this append: it ends exactly at the new leaf.
        expect((node.index + 1) * width).toBe(size);
        expect(
          node.hash.equals(rootFromLeaves(LEAVES.slice(node.index * width, (node.index + 1) * width))),
        ).toBe(true);
      }
    }
    let expected = 0;
    for (let width = 1; width <= LEAVES.length; width *= 2) expected += Math.floor(LEAVES.length / width);
    expect(seen.size).toBe(expected);
  });

  it('lists its own subtrees, largest first, and they rebuild the root', () => {
    const frontier = Frontier.fromLeaves(LEAVES.slice(0, 13));
    const subtrees = frontier.subtrees();
    expect(subtrees.map(({ level, index }) => [level, index])).toEqual([
      [3, 0],
      [2, 2],
      [0, 12],
    ]);
    expect(hex(subtrees[1]!.hash)).toBe(hex(rootFromLeaves(LEAVES.slice(8, 12))));
    expect(nodeHash(subtrees[0]!.hash, nodeHash(subtrees[1]!.hash, subtrees[2]!.hash))).toEqual(
      frontier.root(),
    );
  });

  it('survives a JSON round trip and keeps growing identically', () => {
    for (const size of [0, 1, 2, 7, 8, 100, 255, 256]) {
      const original = Frontier.fromLeaves(LEAVES.slice(0, size));
      const json = JSON.parse(JSON.stringify(original.toJSON()));
      const restored = Frontier.fromJSON(json);
      expect(restored.size).toBe(size);
      expect(restored.toJSON()).toEqual(original.toJSON());
      expect(restored.append(LEAVES[size]!)).toEqual(original.append(LEAVES[size]!));
      expect(restored.root().equals(original.root())).toBe(true);
    }
    expect(Frontier.fromLeaves(LEAVES.slice(0, 6)).toJSON().subtrees).toHaveLength(2);
  });

  it('refuses a stored frontier that does not fit its size', () => {
    const good = Frontier.fromLeaves(LEAVES.slice(0, 6)).toJSON();
    const bad: unknown[] = [
      null,
      { ...good, size: 7 },
      { ...good, size: -1 },
      { ...good, size: 1.5 },
      { ...good, subtrees: good.subtrees.slice(1) },
      { ...good, subtrees: [good.subtrees[0], good.subtrees[1]!.toUpperCase()] },
      { ...good, subtrees: [good.subtrees[0], good.subtrees[1]!.slice(2)] },
      { size: 0 },
    ];
    for (const json of bad) {
      expect(() => Frontier.fromJSON(json as never), JSON.stringify(json)).toThrow(TruceError);
    }
  });

  it('refuses a leaf hash of the wrong length and is not altered through what it returns', () => {
    const frontier = Frontier.empty();
    expect(() => frontier.append(new Uint8Array(31))).toThrow(TruceError);
    const leaf = Buffer.from(LEAVES[0]!);
    const [node] = frontier.append(leaf);
    leaf.fill(0);
    node!.hash.fill(0);
    expect(frontier.root().equals(LEAVES[0]!)).toBe(true);
  });
});
