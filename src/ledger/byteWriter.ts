/** A growing byte buffer that verify builds a row's canonical text in before hashing it, with no string in between. */

export class ByteWriter {
  bytes = new Uint8Array(64 * 1024);
  /** The same memory, for Buffer's encoders. */
  #buffer = Buffer.from(this.bytes.buffer);
  length = 0;

  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.#buffer = Buffer.from(grown.buffer);
  }

  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  copy(from: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    // Short runs (member names, small values) copy faster by hand than through a subarray.
    if (n < 64) {
      const bytes = this.bytes;
      let at = this.length;
      for (let i = start; i < end; i++) bytes[at++] = from[i]!;
    } else this.bytes.set(from.subarray(start, end), this.length);
    this.length += n;
  }

  /** ASCII text (digits, dates, member prefixes). */
  ascii(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.bytes[this.length++] = text.charCodeAt(i);
  }

  utf8(text: string): void {
    this.reserve(text.length * 3);
    this.length += this.#buffer.write(text, this.length, 'utf8');
  }
}
