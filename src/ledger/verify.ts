/**
 * `truce ledger verify`: recomputes the tree from the stored entries, checks every signed head,
 * and compares every record row with the entry that last wrote it — trusting nothing stored but the bytes.
 *
 * Two halves, timed apart: the log check (verifyLog.ts: entries, tree, heads, frontier) and the
 * state check (verifyState.ts: rows against their last images). Given the Store, it reads by
 * binary COPY in one snapshot and spreads hashing over worker threads; given only the Kysely
 * handle, it pages through queries on this thread. Both find and word every problem alike.
 */
import { availableParallelism } from 'node:os';
import type { Kysely } from 'kysely';
import { TruceError } from '../domain/errors.ts';
import type { Store } from '../store/engine.ts';
import type { Database } from '../store/schema.ts';
import { ImageIndex } from './imageIndex.ts';
import { type LedgerReader, openReader } from './ledgerReader.ts';
import { isPowerOfTwo } from './merkle.ts';
import { RowKeys } from './rowKey.ts';
import { parseTreeHead, type TreeHead } from './treeHead.ts';
import { checkLog, ENTRY_CHUNK, type Problem } from './verifyLog.ts';
import { checkState } from './verifyState.ts';
import { inlineRunner, startWorkers, type TaskRunner } from './verifyTasks.ts';

export type { Problem } from './verifyLog.ts';

export type VerifyReport = {
  ok: boolean;
  treeSize: number;
  rootHash: string;
  headsChecked: number;
  rowsChecked: number;
  /** `hashes` when only hashes were checked (`hashesOnly`), `log` when only the log (`logOnly`), else `full`. */
  scope: 'full' | 'log' | 'hashes';
  /** The size of the held head the check started from (`since`); null when it read every entry. */
  since: number | null;
  /** Wall-clock time of each half, in milliseconds; state is 0 when it did not run. */
  timings: { logMs: number; stateMs: number };
  problems: Problem[];
};

export type VerifyOptions = {
  /** Trust only heads signed by these public keys (PEM, trimmed). */
  trustedKeys?: readonly string[];
  onProgress?: (done: number) => void;
  /** Check the entries, tree, heads and frontier only, not the record rows. */
  logOnly?: boolean;
  /**
   * Check only that nothing was altered: every entry's hash over its stored bytes, the tree rebuilt
   * from them, every signed head and the stored frontier — not each entry's form (JSON, schema,
   * canonical text, its seq and kind) and not the record rows. Implies `logOnly`.
   */
  hashesOnly?: boolean;
  /**
   * Worker threads for hashing and checking (with a Store only). Default: one per core when there
   * are WORKERS_FROM entries or more to check in full (those before a held head counted at
   * STORED_SHARE), none below, where starting threads costs more than it saves.
   */
  workers?: number;
  /**
   * Entries (and rows) per COPY chunk, a power of two; ENTRY_CHUNK unless a test wants many small
   * chunks, to take the paths a large log takes.
   */
  chunk?: number;
  /**
   * A signed head the caller holds (as `GET /ledger/head` gave it): check from its size on. The
   * entries before it are taken by their stored leaf hashes, which must give its root (none was
   * removed, reordered or given another hash), without reading their bytes again; those after it
   * are checked as ever; only rows last written after it are compared. The daily audit: an entry's
   * bytes altered while its stored hash was left, or a row edited without touching its ledger_seq,
   * before the head, is seen by the check from the start alone.
   */
  since?: TreeHead;
};

const MAX_PROBLEMS = 1000;
export const WORKERS_FROM = 50_000;
/**
 * What an entry before a held head costs (its stored hash read, its share of the tree rebuilt)
 * against one checked in full: 1.5–1.9 µs against ~45 µs on one machine. Two threads take about a
 * second to start, so `--since` from a head 10,000 entries back in a million ran in 2.6–3.8 s on
 * this thread against 4.2–4.7 s with them.
 */
const STORED_SHARE = 1 / 30;

export async function verifyLedger(
  target: Kysely<Database> | Store,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const problems: Problem[] = [];
  const report = (problem: Problem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  const scope = options.hashesOnly ? 'hashes' : options.logOnly ? 'log' : 'full';
  const images = scope === 'full' ? new ImageIndex() : undefined;
  const keys = scope === 'full' ? new RowKeys() : undefined;
  const chunk = options.chunk ?? ENTRY_CHUNK;
  // Its size goes into the queries: held to the one spelling of every field first.
  const since = options.since ? parseTreeHead(options.since, 'since') : undefined;
  if (!isPowerOfTwo(chunk) || chunk > 1 << 20) {
    throw new TruceError('invalid_input', 'chunk: must be a power of two up to 2^20', { field: 'chunk' });
  }
  const reader = await openReader(target);
  let runner: TaskRunner = inlineRunner;
  try {
    if (reader.copy) runner = await chooseRunner(reader, options.workers, since?.treeSize ?? 0);
    const logStart = performance.now();
    const log = await checkLog({
      reader,
      runner,
      report,
      images,
      keys,
      trustedKeys: options.trustedKeys,
      form: scope !== 'hashes',
      onProgress: options.onProgress,
      chunk,
      since,
    });
    const logMs = performance.now() - logStart;
    const stateStart = performance.now();
    // A missing entry ends the check, as it always has: nothing after it can be trusted to line up.
    const state = images && keys && log.complete;
    const wants = () => problems.length < MAX_PROBLEMS;
    const rowsChecked = state
      ? await checkState({
          reader,
          runner,
          report,
          images,
          keys,
          wants,
          chunk,
          since: since?.treeSize ?? 0,
        })
      : 0;
    const stateMs = state ? performance.now() - stateStart : 0;
    return {
      ok: problems.length === 0,
      treeSize: log.frontier.size,
      rootHash: log.frontier.root().toString('hex'),
      headsChecked: log.headsChecked,
      rowsChecked,
      scope,
      since: since?.treeSize ?? null,
      timings: { logMs: Math.round(logMs), stateMs: Math.round(stateMs) },
      problems,
    };
  } finally {
    await runner.close();
    await reader.release();
  }
}

/** Threads for checking a log of `size` entries from a held head at `held` (0: all of it in full). */
export function workersFor(size: number, held: number, cores = availableParallelism()): number {
  const work = Math.max(0, size - held) + Math.min(size, held) * STORED_SHARE;
  return work >= WORKERS_FROM ? cores : 0;
}

async function chooseRunner(
  reader: LedgerReader,
  workers: number | undefined,
  held: number,
): Promise<TaskRunner> {
  let count = workers;
  if (count === undefined) {
    const state = (await reader.query('SELECT tree_size FROM ledger_frontier WHERE id = 1')).rows[0];
    count = workersFor(Number(state?.tree_size ?? 0), held);
  }
  if (count <= 0) return inlineRunner;
  try {
    return startWorkers(count);
  } catch {
    // No way to load the worker module here (tsx not found): check on this thread instead.
    return inlineRunner;
  }
}
