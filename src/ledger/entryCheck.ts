/**
 * Checks one stored ledger entry — leaf hash, JSON, schema, sequence number, kind, canonical form —
 * and digests the row images it holds. Entries of the usual shape take a fast path over the bytes;
 * anything else takes the exact path of JSON.parse, the zod schema and re-canonicalisation, so
 * that every problem is found and worded the same either way.
 */
import { isUtf8 } from 'node:buffer';
import type { z } from 'zod';
import { canonicalBytes, LedgerEntrySchema } from './entry.ts';
import { scanEntry } from './entryScan.ts';
import { DigestList, tableIndexOf } from './imageIndex.ts';
import { leafHash } from './merkle.ts';
import { KeyList, type RowKeys } from './rowKey.ts';
import { sha256 } from './sha256.ts';

export type EntryProblem = { seq: number; message: string };

/**
 * What a run of entries yields: problems in log order, and every row image of every entry that
 * fits its schema — its table, its row's RowKeys key, the entry, and the digest of its canonical text.
 */
export class EntryFindings {
  readonly problems: EntryProblem[] = [];
  readonly imageTables: number[] = [];
  readonly imageKeys = new KeyList();
  readonly imageSeqs: number[] = [];
  readonly imageDigests = new DigestList();

  /**
   * `keys` undefined: only the log is being checked, so no images are kept. `form` false: only
   * hashes are being checked (`hashesOnly`), so neither the entry's form nor its images are looked at.
   */
  constructor(
    readonly keys: RowKeys | undefined,
    readonly form = true,
  ) {}

  /** An image whose row id is the UTF-8 at [start, end) of `bytes`. */
  addImage(table: number, bytes: Uint8Array, start: number, end: number, seq: number, sha: Uint8Array): void {
    const at = this.imageKeys.next(); // first: it may replace the array
    this.keys!.ofBytes(table, bytes, start, end, this.imageKeys.words, at);
    this.#add(table, seq, sha);
  }

  addImageOf(table: number, id: string, seq: number, sha: Uint8Array): void {
    const at = this.imageKeys.next(); // first: it may replace the array
    this.keys!.ofId(table, id, this.imageKeys.words, at);
    this.#add(table, seq, sha);
  }

  #add(table: number, seq: number, sha: Uint8Array): void {
    this.imageTables.push(table);
    this.imageSeqs.push(seq);
    this.imageDigests.push(sha);
  }
}

/** One stored entry: its sequence number and kind columns, and its body's bytes within `buffer`. */
export type StoredEntry = {
  seq: number;
  kind: string;
  buffer: Buffer;
  start: number;
  end: number;
  leafHash: Uint8Array | null;
};

const DATA_SCHEMAS = new Map<string, z.ZodType>(
  LedgerEntrySchema.options.map((option) => [option.shape.kind.value, option.shape.data]),
);
const INSERT = Buffer.from('"insert"');
const UPDATE = Buffer.from('"update"');

/**
 * Checks `entry`, which must be entry number `seq` of the log, writes its leaf hash (over the
 * stored bytes) into `leafOut` at `leafAt`, and adds its problems and row images to `findings`.
 */
export function checkEntry(
  entry: StoredEntry,
  findings: EntryFindings,
  leafOut: Uint8Array,
  leafAt: number,
): void {
  let { buffer, start, end } = entry;
  const seq = entry.seq;
  let body = new Uint8Array(buffer.buffer, buffer.byteOffset + start, end - start);
  // Text that is not UTF-8 reached the old verifier as a decoded string; hash what that re-encodes to.
  if (!isUtf8(body)) {
    buffer = Buffer.from(buffer.toString('utf8', start, end), 'utf8');
    start = 0;
    end = buffer.length;
    body = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  }
  const leaf = leafHash(body);
  leafOut.set(leaf, leafAt);
  if (!entry.leafHash || !leaf.equals(entry.leafHash))
    findings.problems.push({ seq, message: `entry ${seq} does not match its stored leaf hash` });
  if (findings.form && !fastPath(entry.kind, buffer, start, body, seq, findings))
    slowPath(entry.kind, buffer, start, end, seq, findings);
}

/** True if the entry was canonical and of the usual shape, and has been fully checked; false leaves it all to the slow path. */
function fastPath(
  kindColumn: string,
  buffer: Buffer,
  offset: number,
  body: Uint8Array,
  seq: number,
  findings: EntryFindings,
): boolean {
  const spans = scanEntry(body);
  if (!spans) return false;
  const top = spans.top;
  // v: 1. seq: a canonical number, so plain digits are a non-negative integer (15 of them stay exact).
  if (top[13]! - top[12]! !== 1 || body[top[12]!] !== 0x31) return false;
  const said = digits(body, top[10]!, top[11]!);
  if (said < 0) return false;
  // at: an ISO instant with milliseconds; by: a non-empty string; nonce: 32 lower-case hex digits.
  if (!isInstant(body, top[0]!, top[1]!, buffer, offset)) return false;
  if (body[top[2]!] !== QUOTE || top[3]! - top[2]! < 3) return false;
  if (!isNonce(body, top[8]!, top[9]!)) return false;
  // kind: one the schema knows, with data that fits that kind's data schema.
  const kind = plainString(body, top[6]!, top[7]!, buffer, offset);
  const dataSchema = kind === undefined ? undefined : DATA_SCHEMAS.get(kind);
  if (!dataSchema || body[top[4]!] !== 0x7b) return false;
  if (!dataSchema.safeParse(JSON.parse(buffer.toString('utf8', offset + top[4]!, offset + top[5]!))).success)
    return false;
  // Each write: a non-empty id, insert or update, a record table, and a row object (the scan saw to that).
  const writes = spans.writes;
  const count = spans.count;
  const tables: number[] = [];
  for (let base = 0; base < 8 * count; base += 8) {
    const table = plainString(body, writes[base + 6]!, writes[base + 7]!, buffer, offset);
    const tableIndex = table === undefined ? undefined : tableIndexOf(table);
    if (tableIndex === undefined || body[writes[base]!] !== QUOTE || writes[base + 1]! - writes[base]! < 3)
      return false;
    if (
      !isToken(body, writes[base + 2]!, writes[base + 3]!, INSERT) &&
      !isToken(body, writes[base + 2]!, writes[base + 3]!, UPDATE)
    )
      return false;
    tables.push(tableIndex);
  }
  // From here the entry is known to fit its schema: report as the slow path would.
  if (said !== seq) findings.problems.push({ seq, message: `entry ${seq} says it is entry ${said}` });
  if (kind !== kindColumn)
    findings.problems.push({ seq, message: `entry ${seq} kind column differs from its body` });
  if (findings.keys) {
    for (let w = 0; w < count; w++) {
      const base = 8 * w;
      // A canonical body's row image is itself canonical text: hash it as stored.
      const sha = sha256(body.subarray(writes[base + 4]!, writes[base + 5]!));
      const idStart = writes[base]! + 1;
      const idEnd = writes[base + 1]! - 1;
      if (hasEscape(body, idStart, idEnd)) {
        const id = JSON.parse(buffer.toString('utf8', offset + idStart - 1, offset + idEnd + 1)) as string;
        findings.addImageOf(tables[w]!, id, seq, sha);
      } else findings.addImage(tables[w]!, body, idStart, idEnd, seq, sha);
    }
  }
  return true;
}

const QUOTE = 0x22;

/** The value of a plain run of 1 to 15 digits at [start, end), else -1. */
function digits(body: Uint8Array, start: number, end: number): number {
  if (end - start > 15) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = body[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function isNonce(body: Uint8Array, start: number, end: number): boolean {
  if (end - start !== 34) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const c = body[i]!;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** Calendar days already judged (YYYY-MM-DD → valid), as zod's datetime pattern judges them. */
const days = new Map<string, boolean>();

/** `"YYYY-MM-DDTHH:MM:SS.mmmZ"`: a real day, hours to 23, minutes and seconds to 59. */
function isInstant(body: Uint8Array, start: number, end: number, buffer: Buffer, offset: number): boolean {
  if (end - start !== 26 || body[start] !== QUOTE || body[end - 1] !== QUOTE) return false;
  const p = start + 1;
  for (let i = 0; i < 24; i++) {
    const c = body[p + i]!;
    const expected = INSTANT_SHAPE.charCodeAt(i);
    if (expected === 0x39 ? c < 0x30 || c > 0x39 : c !== expected) return false;
  }
  // Digits were checked above: compare hours, minutes and seconds as two-byte pairs.
  if (body[p + 11]! * 256 + body[p + 12]! > 0x3233) return false;
  if (body[p + 14]! > 0x35 || body[p + 17]! > 0x35) return false;
  const day = buffer.toString('latin1', offset + p, offset + p + 10);
  let valid = days.get(day);
  if (valid === undefined) {
    // Date's proleptic Gregorian calendar is the one zod's pattern spells out.
    valid = new Date(`${day}T00:00:00.000Z`).toISOString().startsWith(day);
    if (days.size > 10_000) days.clear();
    days.set(day, valid);
  }
  return valid;
}

const INSTANT_SHAPE = '9999-99-99T99:99:99.999Z';

/** A string token without escapes, decoded; undefined for anything else. */
function plainString(
  body: Uint8Array,
  start: number,
  end: number,
  buffer: Buffer,
  offset: number,
): string | undefined {
  if (body[start] !== QUOTE) return undefined;
  for (let i = start + 1; i < end - 1; i++) if (body[i] === 0x5c) return undefined;
  return buffer.toString('utf8', offset + start + 1, offset + end - 1);
}

function hasEscape(body: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (body[i] === 0x5c) return true;
  return false;
}

function isToken(body: Uint8Array, start: number, end: number, token: Uint8Array): boolean {
  if (end - start !== token.length) return false;
  for (let i = 0; i < token.length; i++) if (body[start + i] !== token[i]) return false;
  return true;
}

/** The checks as they were first written, for entries off the fast path; the wording of every problem comes from here. */
function slowPath(
  kindColumn: string,
  buffer: Buffer,
  start: number,
  end: number,
  seq: number,
  findings: EntryFindings,
): void {
  const report = (message: string) => findings.problems.push({ seq, message });
  const text = buffer.toString('utf8', start, end);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    report(`entry ${seq} is not JSON`);
  }
  const checked = LedgerEntrySchema.safeParse(parsed);
  if (!checked.success) {
    report(`entry ${seq} (${kindColumn}) does not fit its schema: ${checked.error.issues[0]?.message}`);
    return;
  }
  if (checked.data.seq !== seq) report(`entry ${seq} says it is entry ${checked.data.seq}`);
  if (checked.data.kind !== kindColumn) report(`entry ${seq} kind column differs from its body`);
  if (!isCanonical(parsed, buffer.subarray(start, end))) report(`entry ${seq} is not in canonical form`);
  if (!findings.keys) return;
  for (const write of checked.data.writes) {
    const tableIndex = tableIndexOf(write.table);
    if (tableIndex === undefined) continue;
    findings.addImageOf(tableIndex, write.id, seq, sha256(canonicalOrMarker(write.row)));
  }
}

function isCanonical(parsed: unknown, bytes: Uint8Array): boolean {
  try {
    return canonicalBytes(parsed).equals(bytes);
  } catch {
    // canonicalize refuses lone surrogates: such a body has no canonical form at all.
    return false;
  }
}

function canonicalOrMarker(row: unknown): Uint8Array | string {
  try {
    return canonicalBytes(row);
  } catch {
    // No row in a table can hold what cannot be canonicalised, so this digest matches none.
    return `!${JSON.stringify(row)}`;
  }
}
