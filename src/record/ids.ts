/** Record ids: a readable prefix, a time part that sorts, and 64 random bits. */
import { randomHex } from '../support/randomHex.ts';

export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomHex(8)}`;
}
