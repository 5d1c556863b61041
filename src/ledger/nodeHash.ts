/**
 * RFC 9162's interior node hash, SHA-256(0x01 ‖ left ‖ right), for the many nodes `ledger verify`
 * rebuilds (a million entries: a million nodes). The message is always 65 bytes, two SHA-256
 * blocks, and for a message that short Node's crypto costs more per call than the hashing itself:
 * `crypto.hash` took 1.9–3.0 µs per node on one machine where this took 1.0–1.4 µs
 * (bench: `node bin/run-ts.js bench/nodeHash.ts`). merkle.ts's `nodeHash` stays the
 * reference: the tests hold this to it, and to SHA-256 itself, byte for byte.
 */

/** SHA-256's round constants (FIPS 180-4, 4.2.2). */
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
/** The initial hash value (FIPS 180-4, 5.3.3). */
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
/** The message's length in bits, in the last word of its second block. */
const MESSAGE_BITS = 65 * 8;

const w = new Int32Array(64);
const state = new Int32Array(8);

/** One SHA-256 compression of `w[0..15]` into `state`. */
function compress(): void {
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!;
    const y = w[t - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** Four bytes from `at`, big-endian. */
function word(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

/**
 * Writes SHA-256(0x01 ‖ bytes[left..left+32) ‖ bytes[right..right+32)) to out[at..at+32). Every
 * input byte is read before any output byte is written, so `out` may be `bytes`, as when a level
 * of a tree is hashed in place.
 */
export function nodeHashInto(
  bytes: Uint8Array,
  left: number,
  right: number,
  out: Uint8Array,
  at: number,
): void {
  state.set(IV);
  // Block 1: the prefix, left's 32 bytes and right's first 31, one byte out of step with the words.
  w[0] = (0x01 << 24) | (bytes[left]! << 16) | (bytes[left + 1]! << 8) | bytes[left + 2]!;
  for (let t = 1; t < 8; t++) w[t] = word(bytes, left + 4 * t - 1);
  w[8] = (bytes[left + 31]! << 24) | (bytes[right]! << 16) | (bytes[right + 1]! << 8) | bytes[right + 2]!;
  for (let t = 9; t < 16; t++) w[t] = word(bytes, right + 4 * t - 33);
  const last = bytes[right + 31]!;
  compress();
  // Block 2: right's last byte, the 0x80 that ends the message, zeros, and the length in bits.
  w[0] = (last << 24) | 0x800000;
  w.fill(0, 1, 15);
  w[15] = MESSAGE_BITS;
  compress();
  for (let k = 0; k < 8; k++) {
    const v = state[k]!;
    out[at + 4 * k] = v >>> 24;
    out[at + 4 * k + 1] = v >>> 16;
    out[at + 4 * k + 2] = v >>> 8;
    out[at + 4 * k + 3] = v;
  }
}
