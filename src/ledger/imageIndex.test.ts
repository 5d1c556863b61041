/** Row keys tell rows apart, and the image index keeps the last image of each row and names the unclaimed in write order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIGEST_BYTES, ImageIndex } from './imageIndex.ts';
import { KEY_WORDS, KeyList, RowKeys } from './rowKey.ts';

const keys = new RowKeys();
function keyOf(table: number, id: string): Int32Array {
  const out = new Int32Array(KEY_WORDS);
  keys.ofId(table, id, out, 0);
  return out;
}
const digest = (n: number) => new Uint8Array(DIGEST_BYTES).fill(n);

describe('RowKeys', () => {
  it('keys the same row alike, from its string or its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.nat(23), fc.string({ unit: 'binary' }), (table, id) => {
        const bytes = Buffer.from(`xx${id}yy`, 'utf8');
        const fromBytes = new Int32Array(KEY_WORDS + 3);
        keys.ofBytes(table, bytes, 2, bytes.length - 2, fromBytes, 3);
        expect(Array.from(fromBytes.subarray(3))).toEqual(Array.from(keyOf(table, id)));
      }),
    );
  });

  it('tells apart rows that differ in table, length or any byte', () => {
    const seen = new Map<string, string>();
    const ids = ['', '\u0000', 'a', 'ab', 'a\u0000', 'b', 'ba', 'inc_1', 'inc_10', 'inc_01'];
    for (let table = 0; table < 24; table++) {
      for (const id of ids) {
        const key = keyOf(table, id).join();
        expect(seen.get(key), `${table}/${id}`).toBeUndefined();
        seen.set(key, `${table}/${id}`);
      }
    }
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 40 }), { minLength: 2, maxLength: 200 }), (many) => {
        const keyed = new Set(many.map((id) => keyOf(5, id).join()));
        expect(keyed.size).toBe(many.length);
      }),
    );
  });

  it('computes the polynomial exactly, as arbitrary-precision arithmetic does', () => {
    const P = 67_108_859n;
    fc.assert(
      fc.property(fc.nat(23), fc.uint8Array({ maxLength: 64 }), (table, bytes) => {
        const expected = Array.from(keys.points, (point) => {
          const x = BigInt(point);
          let h = BigInt(table + 1);
          for (const c of [bytes.length, ...bytes]) h = (h * x + BigInt(c + 1)) % P;
          return Number(h);
        });
        const out = new Int32Array(KEY_WORDS);
        keys.ofBytes(table, bytes, 0, bytes.length, out, 0);
        expect(Array.from(out)).toEqual(expected);
      }),
    );
  });

  it('draws new points each run, and keeps the ones it is given', () => {
    expect(Array.from(new RowKeys().points)).not.toEqual(Array.from(new RowKeys().points));
    const again = new RowKeys(keys.points);
    const out = new Int32Array(KEY_WORDS);
    again.ofId(3, 'x', out, 0);
    expect(Array.from(out)).toEqual(Array.from(keyOf(3, 'x')));
  });
});

describe('ImageIndex', () => {
  it('keeps the last image of a row, lets one row claim it, and names the rest in write order', () => {
    const index = new ImageIndex();
    index.set(keyOf(1, 'a'), 0, 1, 4, digest(1), 0);
    index.set(keyOf(2, 'b'), 0, 2, 5, digest(2), 0);
    index.set(keyOf(1, 'c'), 0, 1, 6, digest(3), 0);
    index.set(keyOf(1, 'a'), 0, 1, 7, digest(4), 0);
    expect(index.size).toBe(3);

    const a = index.take(keyOf(1, 'a'), 0);
    expect(index.seqOf(a)).toBe(7);
    expect(index.matches(a, digest(4), 0)).toBe(true);
    expect(index.matches(a, digest(1), 0)).toBe(false);
    expect(index.take(keyOf(1, 'a'), 0)).toBe(-1);
    expect(index.take(keyOf(2, 'a'), 0)).toBe(-1);

    expect(Array.from(index.unclaimed(), ({ table, seq }) => [table, seq])).toEqual([
      [2, 5],
      [1, 6],
    ]);
  });

  it('grows past its first size without losing a row', () => {
    const index = new ImageIndex();
    const n = 5000;
    for (let i = 0; i < n; i++) index.set(keyOf(i % 24, `row ${i}`), 0, i % 24, i, digest(i % 251), 0);
    for (let i = 0; i < n; i += 2) {
      const slot = index.take(keyOf(i % 24, `row ${i}`), 0);
      expect(index.seqOf(slot)).toBe(i);
      expect(index.matches(slot, digest(i % 251), 0)).toBe(true);
    }
    const rest = Array.from(index.unclaimed(), ({ seq }) => seq);
    expect(rest).toEqual(Array.from({ length: n / 2 }, (_, k) => 2 * k + 1));
  });
});

describe('KeyList', () => {
  it('keeps every key written as it grows', () => {
    const list = new KeyList();
    for (let i = 0; i < 3000; i++) {
      const at = list.next();
      keys.ofId(1, `id ${i}`, list.words, at);
    }
    const all = list.take();
    for (let i = 0; i < 3000; i += 7) {
      expect(Array.from(all.subarray(i * KEY_WORDS, (i + 1) * KEY_WORDS))).toEqual(
        Array.from(keyOf(1, `id ${i}`)),
      );
    }
  });
});
