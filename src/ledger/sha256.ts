/** SHA-256 in one call: crypto.hash (Node >= 20.12) skips the Hash object; older Node 20 releases fall back to createHash. */
import crypto, { createHash } from 'node:crypto';

const oneShot = (
  crypto as { hash?: (algorithm: string, data: Uint8Array | string, encoding: 'buffer') => Buffer }
).hash;

/** A string is hashed as its UTF-8 bytes. */
export function sha256(data: Uint8Array | string): Buffer {
  return oneShot ? oneShot('sha256', data, 'buffer') : createHash('sha256').update(data).digest();
}
