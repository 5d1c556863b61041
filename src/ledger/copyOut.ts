/**
 * `COPY (query) TO STDOUT (FORMAT binary)` read into one transferable buffer through pg's
 * Submittable interface: the bytes as PostgreSQL (or PGlite) sends them, without a JS value per field.
 */
import type pg from 'pg';

/** A binary COPY stream (header, tuples, trailer) and how many rows it holds. */
export type CopyChunk = {
  /** Backed by its own ArrayBuffer, so it can be transferred to a worker. */
  bytes: Uint8Array;
  rows: number;
  /** Offset of the last tuple (its field count), or -1 if there are no rows. */
  lastTuple: number;
};

type Connection = { query(text: string): void };

/** The protocol-level query: each CopyData message is one tuple (PostgreSQL sends exactly one per row). */
class CopyOutQuery {
  readonly text: string;
  readonly done: Promise<CopyChunk>;
  #buffer: Uint8Array;
  #length = 0;
  #lastTuple = -1;
  #rows = 0;
  #resolve!: (chunk: CopyChunk) => void;
  #reject!: (error: unknown) => void;

  constructor(text: string, buffer: ArrayBuffer) {
    this.text = text;
    this.#buffer = new Uint8Array(buffer);
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Uint8Array }): void {
    const chunk = message.chunk;
    if (this.#length + chunk.length > this.#buffer.length) {
      let size = this.#buffer.length * 2;
      while (size < this.#length + chunk.length) size *= 2;
      const grown = new Uint8Array(new ArrayBuffer(size));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    // The parser reuses its buffer, so the bytes are copied now. The first message carries the
    // file header before its tuple; the trailer (field count -1) comes alone and is no row.
    const header = this.#length === 0 ? headerLength(chunk) : 0;
    if (chunk.length - header > 2) this.#lastTuple = this.#length + header;
    this.#buffer.set(chunk, this.#length);
    this.#length += chunk.length;
  }

  handleCommandComplete(message: { text: string }): void {
    this.#rows = Number(message.text.split(' ')[1] ?? 0);
  }

  /** pg drops the query after an error: no ReadyForQuery follows for it. */
  handleError(error: unknown): void {
    this.#reject(error);
  }

  handleReadyForQuery(): void {
    this.#resolve({
      bytes: this.#buffer.subarray(0, this.#length),
      rows: this.#rows,
      lastTuple: this.#rows > 0 ? this.#lastTuple : -1,
    });
  }

  // A COPY produces none of these; pg calls them only for other kinds of statement.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
}

/**
 * Buffers for COPY output, handed back once a chunk has been checked: fresh memory for every
 * chunk would cost a page fault per 4 KiB, which at a million entries is seconds.
 */
export class ChunkBuffers {
  readonly #free: ArrayBuffer[] = [];
  #size = 1 << 20;

  take(): ArrayBuffer {
    return this.#free.pop() ?? new ArrayBuffer(this.#size);
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength < this.#size || this.#free.length >= 8) return;
    this.#free.push(buffer);
  }

  /** Sizes new buffers for chunks like this one. */
  saw(chunk: CopyChunk): void {
    const wanted = Math.ceil((chunk.bytes.length * 1.25) / 65536) * 65536;
    if (wanted > this.#size) {
      this.#size = wanted;
      this.#free.length = 0;
    }
  }
}

/** Runs one COPY … TO STDOUT (FORMAT binary) on `client` and returns its whole output. */
export async function copyOut(
  client: pg.PoolClient,
  text: string,
  buffers?: ChunkBuffers,
): Promise<CopyChunk> {
  const query = new CopyOutQuery(text, buffers?.take() ?? new ArrayBuffer(1 << 20));
  client.query(query as unknown as pg.QueryConfig);
  const chunk = await query.done;
  buffers?.saw(chunk);
  return chunk;
}

/** Signature (11 bytes), flags (4), and a header extension of the length that follows. */
export function headerLength(bytes: Uint8Array): number {
  if (bytes.length < 19) return bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return 19 + view.getUint32(15);
}
