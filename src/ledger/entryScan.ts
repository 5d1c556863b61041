/**
 * One pass over the stored UTF-8 bytes of an entry that says whether they are RFC 8785 canonical
 * JSON of the usual entry shape, and where each field and each write's row image lies — without
 * building objects, so verify can hash row images as stored instead of re-serialising them.
 */

/**
 * Byte offsets found by `scanEntry`, valid until the next scan. `top` holds [start, end) of the
 * values of `at, by, data, kind, nonce, seq, v, writes`, in that (canonical) order; `writes` holds,
 * per write, [start, end) of the values of `id, op, row, table`.
 */
export type EntrySpans = { top: Int32Array; writes: Int32Array; count: number };

const TOP_KEYS = ['at', 'by', 'data', 'kind', 'nonce', 'seq', 'v', 'writes'].map((k) => Buffer.from(k));
const WRITE_KEYS = ['id', 'op', 'row', 'table'].map((k) => Buffer.from(k));
const WRITES = 7;
const ROW = 2;
const MAX_DEPTH = 200;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

// The scan in progress; each thread runs one at a time.
let b: Uint8Array = new Uint8Array(0);
let pos = 0;
const spans: EntrySpans = { top: new Int32Array(16), writes: new Int32Array(64), count: 0 };

/**
 * The spans of `bytes` if they are canonical JSON (no whitespace, members sorted by UTF-16 code
 * units without duplicates, numbers as ECMAScript writes them, strings escaped as JSON.stringify
 * escapes them, no lone surrogates) of an object with exactly the entry's members, each write with
 * exactly its four; else undefined — also for text that is not JSON or not UTF-8, which callers
 * then examine the slow way. The bytes must be valid UTF-8 (`isUtf8`); they are not re-checked.
 */
export function scanEntry(bytes: Uint8Array): EntrySpans | undefined {
  b = bytes;
  pos = 0;
  spans.count = 0;
  const ok = b[0] === OPEN_OBJECT && entryObject() && pos === b.length;
  b = EMPTY;
  return ok ? spans : undefined;
}

const EMPTY = new Uint8Array(0);

function entryObject(): boolean {
  pos++; // {
  for (let k = 0; k < TOP_KEYS.length; k++) {
    if (k > 0 && b[pos++] !== COMMA) return false;
    if (!expectKey(TOP_KEYS[k]!)) return false;
    const start = pos;
    if (k === WRITES) {
      if (b[pos] !== OPEN_ARRAY || !writesArray()) return false;
    } else if (!value(1)) return false;
    spans.top[2 * k] = start;
    spans.top[2 * k + 1] = pos;
  }
  return b[pos++] === CLOSE_OBJECT;
}

function writesArray(): boolean {
  pos++; // [
  if (b[pos] === CLOSE_ARRAY) {
    pos++;
    return true;
  }
  for (;;) {
    if (b[pos] !== OPEN_OBJECT) return false;
    const at = 8 * spans.count++;
    if (spans.writes.length < at + 8) {
      const grown = new Int32Array(spans.writes.length * 2);
      grown.set(spans.writes);
      spans.writes = grown;
    }
    pos++; // {
    for (let k = 0; k < WRITE_KEYS.length; k++) {
      if (k > 0 && b[pos++] !== COMMA) return false;
      if (!expectKey(WRITE_KEYS[k]!)) return false;
      const start = pos;
      if (k === ROW && b[pos] !== OPEN_OBJECT) return false;
      if (!value(3)) return false;
      spans.writes[at + 2 * k] = start;
      spans.writes[at + 2 * k + 1] = pos;
    }
    if (b[pos++] !== CLOSE_OBJECT) return false;
    const c = b[pos++];
    if (c === CLOSE_ARRAY) return true;
    if (c !== COMMA) return false;
  }
}

/** `"key":` with exactly this key's bytes (member names of the entry shape need no escapes). */
function expectKey(key: Uint8Array): boolean {
  if (b[pos] !== QUOTE) return false;
  const start = pos + 1;
  const n = key.length;
  for (let i = 0; i < n; i++) if (b[start + i] !== key[i]) return false;
  if (b[start + n] !== QUOTE || b[start + n + 1] !== COLON) return false;
  pos = start + n + 2;
  return true;
}

function value(depth: number): boolean {
  const c = b[pos];
  if (c === QUOTE) return string();
  if (c === OPEN_OBJECT) return object(depth + 1);
  if (c === OPEN_ARRAY) return array(depth + 1);
  if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) return number();
  if (c === 0x74) return word(TRUE);
  if (c === 0x66) return word(FALSE);
  if (c === 0x6e) return word(NULL);
  return false;
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

function word(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (b[pos + i] !== bytes[i]) return false;
  pos += bytes.length;
  return true;
}

function object(depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const bytes = b;
  pos++; // {
  if (bytes[pos] === CLOSE_OBJECT) {
    pos++;
    return true;
  }
  let prevStart = -1;
  let prevEnd = -1;
  let prevPlain = false;
  for (;;) {
    if (bytes[pos] !== QUOTE) return false;
    const keyStart = pos + 1;
    // Most names are plain ASCII: scan one and compare it with the previous name in the same pass.
    const comparable = prevStart < 0 || prevPlain;
    let after = prevStart < 0;
    let plain = true;
    let j = prevStart;
    let p = keyStart;
    for (;;) {
      const c = bytes[p];
      if (c === QUOTE) break;
      if (c === undefined || c < 0x20 || c === BACKSLASH || c >= 0x80) {
        plain = false;
        break;
      }
      if (!after) {
        if (j >= prevEnd) after = true;
        else {
          const prior = bytes[j++]!;
          if (c > prior) after = true;
          else if (c < prior && comparable) return false;
        }
      }
      p++;
    }
    if (plain && comparable) {
      if (!after) return false; // a prefix of the previous name, or the same name
      pos = p + 1;
    } else {
      if (!string()) return false;
      if (prevStart >= 0 && !keyAfter(bytes, prevStart, prevEnd, keyStart, pos - 1)) return false;
    }
    const keyEnd = pos - 1;
    prevPlain = plain;
    prevStart = keyStart;
    prevEnd = keyEnd;
    if (bytes[pos++] !== COLON) return false;
    if (!value(depth)) return false;
    const c = bytes[pos++];
    if (c === CLOSE_OBJECT) return true;
    if (c !== COMMA) return false;
  }
}

function array(depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  pos++; // [
  if (b[pos] === CLOSE_ARRAY) {
    pos++;
    return true;
  }
  for (;;) {
    if (!value(depth)) return false;
    const c = b[pos++];
    if (c === CLOSE_ARRAY) return true;
    if (c !== COMMA) return false;
  }
}

/** True if the key at [k0, k1) sorts strictly after the one at [j0, j1), by UTF-16 code units. */
function keyAfter(bytes: Uint8Array, j0: number, j1: number, k0: number, k1: number): boolean {
  const n = Math.min(j1 - j0, k1 - k0);
  let escaped = false;
  for (let i = 0; i < n; i++) {
    const x = bytes[j0 + i]!;
    const y = bytes[k0 + i]!;
    if (x === y) {
      if (x === BACKSLASH) escaped = true;
      continue;
    }
    // ASCII outside escapes sorts by its bytes; escapes and other characters sort by their decoded text.
    if (!escaped && x < 0x80 && y < 0x80 && x !== BACKSLASH && y !== BACKSLASH) return y > x;
    return decodedKey(k0, k1) > decodedKey(j0, j1);
  }
  // Identical bytes up to the shorter key, so identical text: the longer sorts after, equal is a duplicate.
  return k1 - k0 > j1 - j0;
}

function decodedKey(start: number, end: number): string {
  return JSON.parse(Buffer.from(b.buffer, b.byteOffset + start - 1, end - start + 2).toString('utf8'));
}

/**
 * A string as JSON.stringify writes it: only `"`, `\` and control characters escaped, each with
 * its short form where it has one. The bytes are valid UTF-8, so they hold no surrogates; an
 * escaped one (a lone surrogate) cannot be canonicalised.
 */
function string(): boolean {
  const bytes = b;
  let p = pos + 1; // after the opening quote
  for (;;) {
    // Plain characters first: everything at or above 0x20 but the quote and the backslash.
    let c = bytes[p++]!;
    while (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) c = bytes[p++]!;
    if (c === QUOTE) {
      pos = p;
      return true;
    }
    if (c !== BACKSLASH) return false; // a raw control character, or the end (undefined)
    const e = bytes[p++];
    if (e === QUOTE || e === BACKSLASH || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)
      continue;
    // \u00xx, lower-case, for a control character without a short form; \/ and the rest are not canonical.
    if (e !== 0x75 || bytes[p] !== 0x30 || bytes[p + 1] !== 0x30) return false;
    const hi = bytes[p + 2];
    const lo = bytes[p + 3]!;
    const loValue = lo >= 0x30 && lo <= 0x39 ? lo - 0x30 : lo >= 0x61 && lo <= 0x66 ? lo - 0x57 : -1;
    if (loValue < 0 || (hi !== 0x30 && hi !== 0x31)) return false;
    const code = (hi - 0x30) * 16 + loValue;
    if (code === 8 || code === 9 || code === 10 || code === 12 || code === 13) return false;
    p += 4;
  }
}

/** A number exactly as ECMAScript's Number::toString writes it (RFC 8785 §3.2.2.3). */
function number(): boolean {
  const bytes = b;
  const start = pos;
  let p = pos;
  let c = bytes[p];
  if (c === 0x2d) c = bytes[++p];
  if (c === 0x30) c = bytes[++p];
  else if (c !== undefined && c >= 0x31 && c <= 0x39) {
    do c = bytes[++p];
    while (c !== undefined && c >= 0x30 && c <= 0x39);
  } else return false;
  let plain = true;
  if (c === 0x2e) {
    plain = false;
    c = bytes[++p];
    if (c === undefined || c < 0x30 || c > 0x39) return false;
    do c = bytes[++p];
    while (c !== undefined && c >= 0x30 && c <= 0x39);
  }
  if (c === 0x65 || c === 0x45) {
    plain = false;
    c = bytes[++p];
    if (c === 0x2b || c === 0x2d) c = bytes[++p];
    if (c === undefined || c < 0x30 || c > 0x39) return false;
    do c = bytes[++p];
    while (c !== undefined && c >= 0x30 && c <= 0x39);
  }
  pos = p;
  const length = p - start;
  // Integers of up to 15 digits have one spelling, given no leading zero; "-0" is written "0".
  if (plain && length <= 15) {
    if (bytes[start] !== 0x2d) return length === 1 || bytes[start] !== 0x30;
    return length > 1 && bytes[start + 1] !== 0x30;
  }
  let token = '';
  for (let i = start; i < p; i++) token += String.fromCharCode(bytes[i]!);
  return String(Number(token)) === token;
}
