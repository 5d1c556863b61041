/**
 * The state half of `ledger verify`: every record row compared, by the digest of its canonical
 * text, with the last image the ledger holds of it; rows the ledger never wrote and rows it wrote
 * that are gone are named. Rows are read by binary COPY and digested on worker threads where possible.
 */
import { RECORD_TABLES } from '../store/schema.ts';
import type { CopyChunk } from './copyOut.ts';
import { CopyTuples } from './copyTuples.ts';
import { DIGEST_BYTES, type ImageIndex } from './imageIndex.ts';
import type { LedgerReader } from './ledgerReader.ts';
import { type Column, rowDigest, rowLayout, type TextSettings } from './rowDigest.ts';
import { KEY_WORDS, type RowKeys } from './rowKey.ts';
import type { Problem } from './verifyLog.ts';
import type { Done, RowTask, TaskRunner } from './verifyTasks.ts';

const QUERY_PAGE = 5000;

type Context = {
  reader: LedgerReader;
  runner: TaskRunner;
  report: (problem: Problem) => void;
  images: ImageIndex;
  keys: RowKeys;
  /** False once the report holds as many problems as it keeps. */
  wants: () => boolean;
  /** Rows per COPY chunk. */
  chunk: number;
  /** Only rows last written by this entry or a later one are read (0: every row). */
  since: number;
};

/** Checks every row of every record table against `images`; returns how many rows it read. */
export async function checkState(ctx: Context): Promise<number> {
  let rows = 0;
  const settings = ctx.reader.copy ? await textSettings(ctx.reader) : undefined;
  for (const [tableIndex, table] of RECORD_TABLES.entries()) {
    const columns = settings ? await columnsOf(ctx.reader, table) : undefined;
    rows +=
      settings && columns && rowLayout(columns, settings)
        ? await tableByCopy(ctx, tableIndex, table, columns, settings)
        : await tableByQuery(ctx, tableIndex, table);
  }
  for (const { table: tableIndex, seq, key } of ctx.images.unclaimed()) {
    if (!ctx.wants()) break; // the report is full: naming more would only cost queries
    const table = RECORD_TABLES[tableIndex]!;
    const id = await idWritten(ctx, tableIndex, seq, key);
    ctx.report({ seq, table, id, message: `${table} ${id}, written by ledger entry ${seq}, is gone` });
  }
  return rows;
}

async function textSettings(reader: LedgerReader): Promise<TextSettings> {
  const { rows } = await reader.query(
    "SELECT current_setting('DateStyle') AS date_style, current_setting('extra_float_digits') AS float_digits",
  );
  return {
    isoDates: String(rows[0]?.date_style).startsWith('ISO'),
    exactFloats: Number(rows[0]?.float_digits) >= 1,
  };
}

async function columnsOf(reader: LedgerReader, table: string): Promise<Column[] | undefined> {
  const { fields } = await reader.query(`SELECT * FROM ${table} LIMIT 0`);
  return fields?.map((field) => ({ name: field.name, oid: field.dataTypeID }));
}

/** Keyset chunks by binary COPY, in id order, digested ahead on the workers and compared here in order. */
async function tableByCopy(
  ctx: Context,
  tableIndex: number,
  table: string,
  columns: Column[],
  settings: TextSettings,
): Promise<number> {
  const copy = ctx.reader.copy!;
  const idField = columns.findIndex((c) => c.name === 'id');
  // COPY takes no parameters: the last id goes in as a dollar-quoted literal (which no quoting
  // setting can change), a literal rather than an expression so that the primary key bounds the scan.
  const fetch = (after: string) =>
    copy(
      `COPY (SELECT * FROM ${table} WHERE id > ${dollarQuoted(after)}${writtenSince(ctx)} ORDER BY id LIMIT ${ctx.chunk}) TO STDOUT (FORMAT binary)`,
    );
  const depth = Math.max(1, ctx.runner.threads * 2);
  const pending: Promise<Done<RowTask>>[] = [];
  let fetching: ReturnType<typeof fetch> | undefined = fetch('');
  let rows = 0;
  try {
    for (;;) {
      if (fetching && pending.length < depth) {
        const chunk: CopyChunk = await fetching;
        fetching = undefined;
        if (chunk.rows === ctx.chunk) {
          const last = new CopyTuples(chunk.bytes, chunk.lastTuple);
          last.next();
          const bytes = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength);
          fetching = fetch(bytes.toString('utf8', last.starts[idField]!, last.ends[idField]!));
        }
        if (chunk.rows > 0)
          pending.push(
            ctx.runner.run({
              type: 'rows',
              bytes: chunk.bytes,
              rows: chunk.rows,
              table: tableIndex,
              columns,
              settings,
              points: ctx.keys.points,
            }),
          );
        continue;
      }
      const next = pending.shift();
      if (!next) return rows;
      const { result, spare } = await next;
      ctx.reader.recycle(spare);
      const ids = Buffer.from(result.idBytes.buffer, result.idBytes.byteOffset, result.idBytes.byteLength);
      const idOf = (i: number) =>
        ids.toString('utf8', i === 0 ? 0 : result.idEnds[i - 1]!, result.idEnds[i]!);
      const inexact = await digestsOfInexact(ctx.reader, table, result.exact, idOf);
      for (let i = 0; i < result.exact.length; i++) {
        let digests = result.digests;
        let at = i * DIGEST_BYTES;
        if (result.exact[i] !== 1) {
          const digest = inexact.get(idOf(i));
          if (!digest) continue; // gone since it was read (PGlite reads outside a snapshot)
          digests = digest;
          at = 0;
        }
        rows++;
        const outcome = compare(ctx, result.keys, i * KEY_WORDS, digests, at);
        if (outcome !== MATCH) report(ctx, outcome, table, idOf(i));
      }
    }
  } finally {
    await fetching?.catch(() => {});
    for (const p of pending) p.catch(() => {});
  }
}

/**
 * The rows a check from a held head reads: those its entries wrote last. A row edited behind the
 * ledger keeps its ledger_seq or changes it; kept, an older row goes unread (only the full check
 * sees it), changed to a later entry's, it differs from that entry's image.
 */
function writtenSince(ctx: Context): string {
  return ctx.since > 0 ? ` AND ledger_seq >= ${ctx.since}` : '';
}

/** A dollar-quoted literal whose closing tag is the first place its tag occurs after the opening one. */
export function dollarQuoted(text: string): string {
  let tag = '$v$';
  for (let n = 0; `${text}${tag}`.indexOf(tag) !== text.length; n++) tag = `$v${n}$`;
  return `${tag}${text}${tag}`;
}

/**
 * Rows holding a value the binary reading cannot vouch for (an instant finer than a millisecond,
 * a date beyond year 9999) read again the store's way, all of a chunk's in one query.
 */
async function digestsOfInexact(
  reader: LedgerReader,
  table: string,
  exact: Uint8Array,
  idOf: (i: number) => string,
): Promise<Map<string, Uint8Array>> {
  const digests = new Map<string, Uint8Array>();
  const ids: string[] = [];
  for (let i = 0; i < exact.length; i++) if (exact[i] !== 1) ids.push(idOf(i));
  if (ids.length === 0) return digests;
  for (const row of (await reader.query(`SELECT * FROM ${table} WHERE id = ANY($1)`, [ids])).rows)
    digests.set(row.id as string, rowDigest(row));
  return digests;
}

/** Keyset pages through the query interface, as the store reads them. */
async function tableByQuery(ctx: Context, tableIndex: number, table: string): Promise<number> {
  let rows = 0;
  let last = '';
  const key = new Int32Array(KEY_WORDS);
  for (;;) {
    const page = (
      await ctx.reader.query(
        `SELECT * FROM ${table} WHERE id > $1${writtenSince(ctx)} ORDER BY id LIMIT ${QUERY_PAGE}`,
        [last],
      )
    ).rows;
    for (const row of page) {
      rows++;
      const id = row.id as string;
      ctx.keys.ofId(tableIndex, id, key, 0);
      const outcome = compare(ctx, key, 0, rowDigest(row), 0);
      if (outcome !== MATCH) report(ctx, outcome, table, id);
    }
    if (page.length < QUERY_PAGE) return rows;
    last = page[page.length - 1]!.id as string;
  }
}

const MATCH = -2;
const UNWRITTEN = -1;

/** MATCH, UNWRITTEN (no image, or one another row already claimed), or the entry whose image differs. */
function compare(ctx: Context, key: Int32Array, keyAt: number, digests: Uint8Array, at: number): number {
  const slot = ctx.images.take(key, keyAt);
  if (slot < 0) return UNWRITTEN;
  return ctx.images.matches(slot, digests, at) ? MATCH : ctx.images.seqOf(slot);
}

function report(ctx: Context, outcome: number, table: string, id: string): void {
  if (outcome === UNWRITTEN) ctx.report({ table, id, message: `${table} ${id} has no ledger entry` });
  else
    ctx.report({
      seq: outcome,
      table,
      id,
      message: `${table} ${id} differs from ledger entry ${outcome} that wrote it`,
    });
}

/**
 * The id of the row that entry `seq` wrote to `table` under `key`: the index keeps only keys, so a
 * gone row is named by reading its entry again (once per problem, and there are at most a thousand).
 */
async function idWritten(ctx: Context, tableIndex: number, seq: number, key: Int32Array): Promise<string> {
  const row = (await ctx.reader.query('SELECT body FROM ledger_entries WHERE seq = $1', [seq])).rows[0];
  const writes = (JSON.parse(String(row?.body ?? '{}')) as { writes?: { table?: unknown; id?: unknown }[] })
    .writes;
  const candidate = new Int32Array(KEY_WORDS);
  for (const write of Array.isArray(writes) ? writes : []) {
    if (write.table !== RECORD_TABLES[tableIndex] || typeof write.id !== 'string') continue;
    ctx.keys.ofId(tableIndex, write.id, candidate, 0);
    if (candidate.every((word, k) => word === key[k])) return write.id;
  }
  return '(id not found in the entry)';
}
