/**
 * Digests of record rows' canonical text — the text the row's ledger image must have — either
 * from a row as the store reads it, or straight from binary COPY bytes for the column types the
 * record tables use, without building the row first.
 */
import { ByteWriter } from './byteWriter.ts';
import { canonicalJson } from './canonical.ts';
import { CopyTuples } from './copyTuples.ts';
import { DIGEST_BYTES, DigestList } from './imageIndex.ts';
import { KeyList, type RowKeys } from './rowKey.ts';
import { sha256 } from './sha256.ts';

/** A column of a record table, as a zero-row `SELECT *` describes it. */
export type Column = { name: string; oid: number };

/** Session settings that decide whether binary values read the same as the text the store parses. */
export type TextSettings = {
  /** DateStyle starts with ISO: a date reads `YYYY-MM-DD`. */
  isoDates: boolean;
  /** extra_float_digits >= 1: a float8's text is the shortest that parses back to the same double. */
  exactFloats: boolean;
};

const BOOL = 16;
const INT8 = 20;
const INT2 = 21;
const INT4 = 23;
const TEXT = 25;
const JSON_OID = 114;
const FLOAT8 = 701;
const BPCHAR = 1042;
const VARCHAR = 1043;
const DATE = 1082;
const TIMESTAMPTZ = 1184;
const JSONB = 3802;

/** Digest of the canonical text of a row as the store reads it (src/store/engine.ts types). */
export function rowDigest(row: Record<string, unknown>): Buffer {
  return sha256(canonicalText(row));
}

/**
 * RFC 8785 text, or — for what has none (NaN, an infinity, a lone surrogate) — text that is not
 * JSON, so that such a row differs from every ledger image instead of stopping the verifier.
 */
function canonicalText(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch (error) {
    return `!${(error as Error).message}`;
  }
}

/** How to read one table's COPY tuples: fields in canonical (sorted-name) order, or undefined if a type has no exact reading here. */
export type RowLayout = { order: number[]; prefixes: Uint8Array[]; types: number[]; idField: number };

export function rowLayout(columns: readonly Column[], settings: TextSettings): RowLayout | undefined {
  const readable = new Set([BOOL, INT8, INT2, INT4, TEXT, JSON_OID, BPCHAR, VARCHAR, JSONB, TIMESTAMPTZ]);
  if (settings.isoDates) readable.add(DATE);
  if (settings.exactFloats) readable.add(FLOAT8);
  const idField = columns.findIndex((c) => c.name === 'id');
  if (idField < 0 || columns[idField]!.oid !== TEXT) return undefined;
  if (!columns.every((c) => readable.has(c.oid))) return undefined;
  // Sorted by UTF-16 code units, RFC 8785's member order (the default sort).
  const order = columns.map((_, i) => i).sort((a, b) => (columns[a]!.name < columns[b]!.name ? -1 : 1));
  return {
    order,
    prefixes: order.map((i, k) => Buffer.from(`${k === 0 ? '{' : ','}${JSON.stringify(columns[i]!.name)}:`)),
    types: columns.map((c) => c.oid),
    idField,
  };
}

export type RowChunkResult = {
  /** Per row, its RowKeys key (KEY_WORDS numbers). */
  keys: Int32Array;
  digests: Uint8Array;
  /** Per row, 1 if its digest stands; 0 if a value could not be read exactly here and the row must be read the store's way. */
  exact: Uint8Array;
  /** The rows' ids, UTF-8, one after another; row i's ends at idEnds[i]. Decoded only to name a row. */
  idBytes: Uint8Array;
  idEnds: Int32Array;
};

/** Digests every tuple of a `COPY (SELECT * FROM table …) TO STDOUT (FORMAT binary)` chunk of record table `table`. */
export function digestRowCopy(
  bytes: Uint8Array,
  rows: number,
  layout: RowLayout,
  table: number,
  rowKeys: RowKeys,
): RowChunkResult {
  const tuples = new CopyTuples(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const keys = new KeyList();
  const digests = new DigestList();
  const exact = new Uint8Array(rows);
  const ids = new ByteWriter();
  const idEnds = new Int32Array(rows);
  const { order, prefixes, types, idField } = layout;
  const none = new Uint8Array(DIGEST_BYTES);
  const text = new ByteWriter();
  let n = 0;
  while (tuples.next()) {
    if (n >= rows) throw new Error(`binary COPY held more rows than the server's ${rows}`);
    const idStart = tuples.starts[idField]!;
    const idEnd = tuples.ends[idField]!;
    const at = keys.next(); // first: it may replace the array
    rowKeys.ofBytes(table, bytes, idStart, idEnd, keys.words, at);
    ids.copy(bytes, idStart, idEnd);
    idEnds[n] = ids.length;
    text.length = 0;
    let ok = tuples.fields === types.length;
    for (let k = 0; ok && k < order.length; k++) {
      const prefix = prefixes[k]!;
      text.copy(prefix, 0, prefix.length);
      ok = writeValue(text, tuples, buffer, order[k]!, types[order[k]!]!);
    }
    text.byte(0x7d);
    exact[n] = ok ? 1 : 0;
    digests.push(ok ? sha256(text.bytes.subarray(0, text.length)) : none);
    n++;
  }
  if (n !== rows) throw new Error(`binary COPY held ${n} rows, the server said ${rows}`);
  return {
    keys: keys.take(),
    digests: digests.take(),
    exact,
    idBytes: ids.bytes.slice(0, ids.length),
    idEnds,
  };
}

function numberText(n: number): string {
  return Number.isFinite(n) ? String(n) : `!${n}`;
}

let lastInstant = Number.NaN;
let lastInstantText = '';

/** Canonical text of the jsonb values seen lately: empty lists, zero figures and the like recur across rows. */
const jsonbSeen = new Map<string, string>();
const JSONB_SEEN_MAX = 4096;
const JSONB_SEEN_LENGTH = 256;

/** JSON as the store's JSON.parse would read it, canonical; false if it does not parse (then the store's way decides). */
function writeJson(out: ByteWriter, text: string, remember: boolean): boolean {
  if (text === '[]' || text === '{}') {
    out.ascii(text);
    return true;
  }
  const recall = remember && text.length <= JSONB_SEEN_LENGTH;
  let canonical = recall ? jsonbSeen.get(text) : undefined;
  if (canonical === undefined) {
    try {
      canonical = canonicalText(JSON.parse(text));
    } catch {
      return false;
    }
    if (recall) {
      if (jsonbSeen.size >= JSONB_SEEN_MAX) jsonbSeen.clear();
      jsonbSeen.set(text, canonical);
    }
  }
  out.utf8(canonical);
  return true;
}

/** Epoch of PostgreSQL's binary dates and timestamps, 2000-01-01, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const MIN_MS = Date.UTC(1000, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Appends the canonical JSON of one field as the store would read it; false where this cannot be
 * sure it reads the same (then the row is read the store's way).
 */
function writeValue(
  out: ByteWriter,
  tuples: CopyTuples,
  buffer: Buffer,
  field: number,
  type: number,
): boolean {
  const start = tuples.starts[field]!;
  if (start < 0) {
    out.ascii('null');
    return true;
  }
  const end = tuples.ends[field]!;
  const view = tuples.view;
  switch (type) {
    case TEXT:
    case VARCHAR:
    case BPCHAR:
      writeString(out, tuples.bytes, buffer, start, end);
      return true;
    case BOOL:
      out.ascii(buffer[start] === 0 ? 'false' : 'true');
      return true;
    case INT2:
      out.ascii(String(view.getInt16(start)));
      return true;
    case INT4:
      out.ascii(String(view.getInt32(start)));
      return true;
    case INT8:
      // The store reads bigint as Number(text); Number(BigInt) rounds the same way.
      out.ascii(String(Number(view.getBigInt64(start))));
      return true;
    case FLOAT8:
      // For a finite number String() is JSON.stringify()'s spelling (RFC 8785's); NaN and infinities are no JSON.
      out.ascii(numberText(view.getFloat64(start)));
      return true;
    case DATE: {
      const ms = PG_EPOCH_MS + view.getInt32(start) * 86_400_000;
      if (ms < MIN_MS || ms > MAX_MS) return false;
      out.ascii(`"${new Date(ms).toISOString().slice(0, 10)}"`);
      return true;
    }
    case TIMESTAMPTZ: {
      // Microseconds; exact as a double below 2^53 (about 285 years either side of 2000).
      const micros = view.getInt32(start) * 4_294_967_296 + view.getUint32(start + 4);
      if (!Number.isSafeInteger(micros) || micros % 1000 !== 0) return false;
      const ms = PG_EPOCH_MS + micros / 1000;
      if (ms < MIN_MS || ms > MAX_MS) return false;
      // A row's instants are often the same one (created and updated together).
      if (ms !== lastInstant) {
        lastInstant = ms;
        lastInstantText = `"${new Date(ms).toISOString()}"`;
      }
      out.ascii(lastInstantText);
      return true;
    }
    case JSONB:
      // jsonb's binary form is a version byte (1) and then its text form.
      if (buffer[start] !== 1) return false;
      return writeJson(out, buffer.toString('utf8', start + 1, end), true);
    case JSON_OID:
      return writeJson(out, buffer.toString('utf8', start, end), false);
    default:
      return false;
  }
}

/** A text value as JSON.stringify writes it: as stored between quotes unless something needs escaping. */
function writeString(out: ByteWriter, bytes: Uint8Array, buffer: Buffer, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c < 0x20 || c === 0x22 || c === 0x5c) {
      out.utf8(JSON.stringify(buffer.toString('utf8', start, end)));
      return;
    }
  }
  out.byte(0x22);
  out.copy(bytes, start, end);
  out.byte(0x22);
}
