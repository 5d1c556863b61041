/** The verifier's own node hash is RFC 9162's, byte for byte, wherever its inputs and output lie. */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HASH_BYTES, nodeHash } from './merkle.ts';
import { nodeHashInto } from './nodeHash.ts';

const reference = (left: Uint8Array, right: Uint8Array) =>
  createHash('sha256')
    .update(Buffer.from([0x01]))
    .update(left)
    .update(right)
    .digest('hex');

function ours(left: Uint8Array, right: Uint8Array): string {
  const bytes = Buffer.concat([left, right]);
  const out = new Uint8Array(HASH_BYTES);
  nodeHashInto(bytes, 0, HASH_BYTES, out, 0);
  return Buffer.from(out).toString('hex');
}

describe('nodeHashInto', () => {
  it('is SHA-256(0x01 ‖ left ‖ right) for random pairs, as merkle.ts computes it', () => {
    for (let i = 0; i < 2000; i++) {
      const left = randomBytes(HASH_BYTES);
      const right = randomBytes(HASH_BYTES);
      expect(ours(left, right)).toBe(reference(left, right));
      expect(ours(left, right)).toBe(nodeHash(left, right).toString('hex'));
    }
  });

  it('sees every bit of both halves: each single-bit flip gives the reference hash of the flipped pair', () => {
    const left = Buffer.alloc(HASH_BYTES, 0x00);
    const right = Buffer.alloc(HASH_BYTES, 0xff);
    const seen = new Set<string>();
    for (let bit = 0; bit < 2 * HASH_BYTES * 8; bit++) {
      const pair = Buffer.concat([left, right]);
      pair[bit >> 3]! ^= 1 << (bit & 7);
      const l = pair.subarray(0, HASH_BYTES);
      const r = pair.subarray(HASH_BYTES);
      const hash = ours(l, r);
      expect(hash, `bit ${bit}`).toBe(reference(l, r));
      seen.add(hash);
    }
    expect(seen.size).toBe(2 * HASH_BYTES * 8);
  });

  it('reads its inputs at any offsets and may write over them', () => {
    const bytes = randomBytes(5 * HASH_BYTES + 3);
    const left = Buffer.from(bytes.subarray(7, 7 + HASH_BYTES));
    const right = Buffer.from(bytes.subarray(3 * HASH_BYTES + 1, 4 * HASH_BYTES + 1));
    const expected = reference(left, right);
    // Right before left, the output over left itself: a level of a tree hashed in place.
    nodeHashInto(bytes, 7, 3 * HASH_BYTES + 1, bytes, 7);
    expect(Buffer.from(bytes.subarray(7, 7 + HASH_BYTES)).toString('hex')).toBe(expected);
    // The same pair in the other order is another node.
    const swapped = new Uint8Array(HASH_BYTES);
    nodeHashInto(Buffer.concat([right, left]), 0, HASH_BYTES, swapped, 0);
    expect(Buffer.from(swapped).toString('hex')).toBe(reference(right, left));
    expect(Buffer.from(swapped).toString('hex')).not.toBe(expected);
  });
});
