/**
 * The latest row image the ledger holds for every record row, kept compactly for `ledger verify`:
 * per row its RowKeys key, the entry that last wrote it and a 16-byte digest, all in typed arrays.
 */

import { RECORD_TABLES } from '../store/schema.ts';
import { KEY_WORDS } from './rowKey.ts';

/** Bytes of a row digest kept: a truncated SHA-256 of the row's canonical text. */
export const DIGEST_BYTES = 16;

const TABLE_INDEX = new Map<string, number>(RECORD_TABLES.map((table, i) => [table, i]));

/** A record table's place in RECORD_TABLES, which is how verify names tables between threads. */
export function tableIndexOf(table: string): number | undefined {
  return TABLE_INDEX.get(table);
}

/** Digests appended 16 bytes at a time into one growing buffer. */
export class DigestList {
  bytes = new Uint8Array(DIGEST_BYTES * 1024);
  count = 0;

  push(sha: Uint8Array): void {
    if ((this.count + 1) * DIGEST_BYTES > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(sha.subarray(0, DIGEST_BYTES), this.count * DIGEST_BYTES);
    this.count++;
  }

  /** The digests alone, in a buffer of their own (transferable to another thread). */
  take(): Uint8Array {
    return this.bytes.slice(0, this.count * DIGEST_BYTES);
  }
}

/**
 * (table, id) → (entry, digest) of the last write of each row, and whether a table row has
 * claimed it yet. Rows are known by their RowKeys key: an open-addressing table of slot numbers
 * over dense typed arrays, in the order rows were first written (the order gone rows are named in).
 */
export class ImageIndex {
  #count = 0;
  #capacity = 1024;
  /** Dense: per slot, its key words, table, entry, digest, and whether a row claimed it. */
  #keys = new Int32Array(1024 * KEY_WORDS);
  #tables = new Uint8Array(1024);
  #seqs = new Float64Array(1024);
  #digests = new Uint8Array(1024 * DIGEST_BYTES);
  #taken = new Uint8Array(1024);
  /** Open addressing over slots (slot + 1; 0 is empty), at most half full. */
  #buckets = new Int32Array(2048);

  get size(): number {
    return this.#count;
  }

  /** Records a write; a later write of the same row replaces the earlier image. */
  set(key: Int32Array, keyAt: number, table: number, seq: number, digests: Uint8Array, at: number): void {
    let slot = this.#find(key, keyAt);
    if (slot < 0) {
      if (this.#count === this.#capacity) this.#grow();
      slot = this.#count++;
      this.#keys.set(key.subarray(keyAt, keyAt + KEY_WORDS), slot * KEY_WORDS);
      this.#tables[slot] = table;
      this.#place(slot);
    }
    this.#seqs[slot] = seq;
    const digest = this.#digests;
    const base = slot * DIGEST_BYTES;
    for (let i = 0; i < DIGEST_BYTES; i++) digest[base + i] = digests[at + i]!;
  }

  /**
   * The slot a table row claims, or -1 if the ledger never wrote that row or another row already
   * claimed it. A slot is claimed once, whether or not its digest then matches.
   */
  take(key: Int32Array, keyAt: number): number {
    const slot = this.#find(key, keyAt);
    if (slot < 0 || this.#taken[slot]) return -1;
    this.#taken[slot] = 1;
    return slot;
  }

  seqOf(slot: number): number {
    return this.#seqs[slot]!;
  }

  matches(slot: number, digests: Uint8Array, at: number): boolean {
    const base = slot * DIGEST_BYTES;
    for (let i = 0; i < DIGEST_BYTES; i++) if (this.#digests[base + i] !== digests[at + i]) return false;
    return true;
  }

  /** Images no table row claimed, in the order their rows were first written. */
  *unclaimed(): Generator<{ table: number; seq: number; key: Int32Array }> {
    for (let slot = 0; slot < this.#count; slot++) {
      if (!this.#taken[slot]) {
        const key = this.#keys.slice(slot * KEY_WORDS, (slot + 1) * KEY_WORDS);
        yield { table: this.#tables[slot]!, seq: this.#seqs[slot]!, key };
      }
    }
  }

  #find(key: Int32Array, keyAt: number): number {
    const mask = this.#buckets.length - 1;
    const keys = this.#keys;
    for (let b = key[keyAt]! & mask; ; b = (b + 1) & mask) {
      const slot = this.#buckets[b]! - 1;
      if (slot < 0) return -1;
      const base = slot * KEY_WORDS;
      let same = true;
      for (let k = 0; k < KEY_WORDS; k++) {
        if (keys[base + k] !== key[keyAt + k]) {
          same = false;
          break;
        }
      }
      if (same) return slot;
    }
  }

  #place(slot: number): void {
    const mask = this.#buckets.length - 1;
    let b = this.#keys[slot * KEY_WORDS]! & mask;
    while (this.#buckets[b] !== 0) b = (b + 1) & mask;
    this.#buckets[b] = slot + 1;
  }

  #grow(): void {
    const size = this.#capacity * 2;
    this.#capacity = size;
    const keys = new Int32Array(size * KEY_WORDS);
    keys.set(this.#keys);
    this.#keys = keys;
    const tables = new Uint8Array(size);
    tables.set(this.#tables);
    this.#tables = tables;
    const seqs = new Float64Array(size);
    seqs.set(this.#seqs);
    this.#seqs = seqs;
    const digests = new Uint8Array(size * DIGEST_BYTES);
    digests.set(this.#digests);
    this.#digests = digests;
    const taken = new Uint8Array(size);
    taken.set(this.#taken);
    this.#taken = taken;
    this.#buckets = new Int32Array(size * 2);
    for (let slot = 0; slot < this.#count; slot++) this.#place(slot);
  }
}
