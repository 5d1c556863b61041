/**
 * Random hex strings from the CSPRNG, drawn in blocks: one randomBytes call per record id or entry
 * nonce was a visible share of a large import's time (~4% of the importer's CPU at 100,000 rows,
 * most of it the per-call overhead, not the bytes).
 */
import { randomBytes } from 'node:crypto';

const BLOCK = 64 * 1024;
let pool = Buffer.alloc(0);
let at = 0;

/** `bytes` fresh random bytes as lowercase hex; never the same bytes twice. */
export function randomHex(bytes: number): string {
  if (bytes > BLOCK) return randomBytes(bytes).toString('hex');
  if (at + bytes > pool.length) {
    pool = randomBytes(BLOCK);
    at = 0;
  }
  const hex = pool.toString('hex', at, at + bytes);
  at += bytes;
  return hex;
}
