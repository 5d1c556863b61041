/** Walks the tuples of a PostgreSQL binary COPY stream, field by field, without copying them. */
import { headerLength } from './copyOut.ts';

export class CopyTuples {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** [start, end) of each field of the current tuple; start is -1 for NULL. */
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  fields = 0;
  /** Offset of the current tuple. */
  at = -1;
  #pos: number;

  constructor(bytes: Uint8Array, from?: number) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#pos = from ?? headerLength(bytes);
  }

  /** Moves to the next tuple; false at the trailer or the end of the bytes. */
  next(): boolean {
    const view = this.view;
    let pos = this.#pos;
    if (pos + 2 > view.byteLength) return false;
    const count = view.getInt16(pos);
    if (count < 0) return false;
    this.at = pos;
    pos += 2;
    if (count > this.starts.length) {
      this.starts = new Int32Array(count);
      this.ends = new Int32Array(count);
    }
    for (let i = 0; i < count; i++) {
      const length = view.getInt32(pos);
      pos += 4;
      if (length < 0) {
        this.starts[i] = -1;
        this.ends[i] = -1;
      } else {
        this.starts[i] = pos;
        pos += length;
        this.ends[i] = pos;
      }
    }
    if (pos > view.byteLength) throw new Error('binary COPY data ends inside a tuple');
    this.fields = count;
    this.#pos = pos;
    return true;
  }

  isNull(field: number): boolean {
    return this.starts[field]! < 0;
  }

  int64(field: number): number {
    return Number(this.view.getBigInt64(this.starts[field]!));
  }
}
