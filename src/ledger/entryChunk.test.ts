/** A chunk's subtree root, computed level by level, is the RFC 9162 root merkle.ts computes. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { perfectRoot } from './entryChunk.ts';
import { HASH_BYTES, rootFromLeaves } from './merkle.ts';

describe('perfectRoot', () => {
  it('is MTH of every perfect tree up to 2^12 leaves', () => {
    for (let n = 1; n <= 4096; n *= 2) {
      const leaves = randomBytes(n * HASH_BYTES);
      const hashes = Array.from({ length: n }, (_, i) =>
        leaves.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES),
      );
      expect(Buffer.from(perfectRoot(new Uint8Array(leaves), n)).toString('hex'), `${n} leaves`).toBe(
        rootFromLeaves(hashes).toString('hex'),
      );
    }
  });

  it('leaves the leaves as they were, a Buffer too, so the same leaves give the same root again', () => {
    const leaves = randomBytes(64 * HASH_BYTES);
    const before = Buffer.from(leaves);
    const root = Buffer.from(perfectRoot(leaves, 64)).toString('hex');
    expect(leaves.equals(before)).toBe(true);
    expect(Buffer.from(perfectRoot(leaves, 64)).toString('hex')).toBe(root);
  });
});
