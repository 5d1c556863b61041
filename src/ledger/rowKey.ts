/**
 * A compact key for a record row — (table, id) as five numbers — so that `ledger verify` can index
 * a million row images in typed arrays instead of a map of strings.
 *
 * Each number is a polynomial hash of the key's bytes at a point drawn at random for the run
 * (modulo the prime 2^26 - 5). Two different keys of at most L bytes agree on one number with
 * probability at most (L + 2) / p, and on all five with at most ((L + 2) / p)^5 — about 10^-24 for
 * ids of a thousand bytes, so even 10^12 pairs of rows never meet. Because the points are drawn
 * when verify starts, nobody choosing ids beforehand can aim for a collision.
 */
import { randomInt } from 'node:crypto';

/** Numbers per key. */
export const KEY_WORDS = 5;
const P = 67_108_859;

export class RowKeys {
  readonly points: Int32Array;

  /** Fresh random points, or the ones another thread of the same run drew. */
  constructor(points?: Int32Array) {
    this.points = points ?? Int32Array.from({ length: KEY_WORDS }, () => randomInt(1, P));
  }

  /** Writes the key of (table, the UTF-8 id at [start, end) of `bytes`) into `out` at `at`. */
  ofBytes(table: number, bytes: Uint8Array, start: number, end: number, out: Int32Array, at: number): void {
    const [x0, x1, x2, x3, x4] = this.points as unknown as [number, number, number, number, number];
    // Coefficients are shifted by one so that none is zero: keys of different lengths are
    // polynomials of different degrees, and so never the same polynomial.
    const first = table + 1;
    let h0 = first;
    let h1 = first;
    let h2 = first;
    let h3 = first;
    let h4 = first;
    for (let i = start - 1; i < end; i++) {
      const c = i < start ? end - start + 1 : bytes[i]! + 1;
      h0 = step(h0, x0, c);
      h1 = step(h1, x1, c);
      h2 = step(h2, x2, c);
      h3 = step(h3, x3, c);
      h4 = step(h4, x4, c);
    }
    out[at] = h0;
    out[at + 1] = h1;
    out[at + 2] = h2;
    out[at + 3] = h3;
    out[at + 4] = h4;
  }

  ofId(table: number, id: string, out: Int32Array, at: number): void {
    const bytes = Buffer.from(id, 'utf8');
    this.ofBytes(table, bytes, 0, bytes.length, out, at);
  }
}

/**
 * (h * x + c) mod P, exactly: the product stays below 2^53, and the quotient's rounding is put
 * right afterwards (floating-point % would be exact too, but several times slower).
 */
function step(h: number, x: number, c: number): number {
  const t = h * x + c;
  let r = t - Math.floor(t / P) * P;
  if (r < 0) r += P;
  else if (r >= P) r -= P;
  return r;
}

/** Keys appended five numbers at a time into one growing array. */
export class KeyList {
  words = new Int32Array(KEY_WORDS * 1024);
  count = 0;

  /** Room for one more key; returns where to write it in `words` (read `words` after calling this: it may grow). */
  next(): number {
    if ((this.count + 1) * KEY_WORDS > this.words.length) {
      const grown = new Int32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    return this.count++ * KEY_WORDS;
  }

  take(): Int32Array {
    return this.words.slice(0, this.count * KEY_WORDS);
  }
}
