/**
 * Imports a dataset CSV as incidents with claims: streams the file, validates each row before any
 * transaction, and commits valid rows in batches, so a million rows never sit in memory and a bad
 * row is either skipped and reported by line (`skip`) or ends the import there (`stop`). Each
 * batch is built (rows, ledger entries, Merkle nodes) while the batch before it commits, as a
 * record/draft.ts draft; one that finds the log moved on is written the usual way instead.
 */
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { TruceError } from '../domain/errors.ts';
import type { Sharing } from '../domain/tlp.ts';
import { currentFrontier } from '../ledger/log.ts';
import type { Frontier } from '../ledger/merkle.ts';
import { applyDraft, RecordDraft } from '../record/draft.ts';
import { type RecordTx, recordTransaction } from '../record/transaction.ts';
import type { Store } from '../store/engine.ts';
import { afterBulkWrite, BULK_ROWS } from '../store/maintenance.ts';
import { type PreparedEvent, writeEvent } from './batch.ts';
import type { ImportFormat } from './event.ts';
import { IMPORT_FORMATS } from './formats.ts';
import { GrowingTables } from './growingTables.ts';
import type { InteropLexicon } from './lexicon.ts';
import { PK_AF_INTEROP } from './lexicons/pk-af.ts';
import { ReferenceBook, referenceWrite, type Unsaved } from './references.ts';
import { workerRows } from './rowThread.ts';
import { validatedRows } from './validatedRows.ts';

export type OnError = 'skip' | 'stop';
export type LineProblem = { line: number; error: string };

export type ImportOptions = {
  format: ImportFormat;
  onError: OnError;
  /** Who the ledger names as writing (a user id, or `system`). */
  by: string;
  sharing: Sharing;
  batchSize?: number;
  lexicon?: InteropLexicon;
  /** The last day an event may fall on (default: today, UTC). */
  today?: string;
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Parse, validate and build records on a worker thread (rowThread.ts) while this one writes the
   * batches; the results are the same either way. Default: only with more than two cores — on two,
   * the thread competes with the database for them, and measured no faster (100,000 rows on
   * PostgreSQL, batches drafted ahead: 3,119 and 3,415 rows/s with it, 3,348 without).
   */
  worker?: boolean;
};

export type ImportProgress = { lines: number; applied: number; alreadyImported: number; skipped: number };

export type ImportResult = {
  format: string;
  /** Data records read (header and blank lines not counted). */
  lines: number;
  /** Rows written, each as an incident with its claims. */
  applied: number;
  /** Rows whose incident id already exists (imported before, or earlier in this file). */
  alreadyImported: number;
  /** Malformed rows, in `skip` mode; the first MAX_LISTED are listed, `skippedCount` counts them all. */
  skipped: LineProblem[];
  skippedCount: number;
  /** In `stop` mode, the row (or rolled-back batch) the import stopped at. */
  stopped: LineProblem | null;
  /**
   * Every data line up to and including this one was applied, except those skipped or already
   * imported; no line after it was. Null when nothing was applied.
   */
  appliedThrough: number | null;
  actorsCreated: number;
  sourcesCreated: number;
};

/** Listing every bad line of a hopeless file would hold the file in memory after all. */
export const MAX_LISTED = 10_000;
export const DEFAULT_BATCH = 1000;
/**
 * Rows read, and events written, between two turns of the event loop. While one batch commits,
 * each of its statements waits for a turn to be sent: with 25 events (or a stream chunk of ~135
 * rows) between turns, those waits took ~70 ms of every 1,000-row batch, against a few with 5.
 */
const YIELD_EVERY = 5;
const turn = () => new Promise((resolve) => setImmediate(resolve));

function messageOf(error: unknown): string {
  if (error instanceof TruceError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** A full disk or an unreachable database is no fault of the rows: stop, keeping what committed. */
function stopsImport(error: unknown): boolean {
  return error instanceof TruceError && (error.code === 'storage_full' || error.code === 'unavailable');
}

export async function importCsv(
  store: Store,
  input: Readable,
  options: ImportOptions,
): Promise<ImportResult> {
  const { format, onError, by, sharing } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  if ((sharing.tlp === 'AMBER' || sharing.tlp === 'AMBER+STRICT') && sharing.recipients.length > 0) {
    const found = await store.db
      .selectFrom('parties')
      .select('id')
      .where('id', 'in', sharing.recipients)
      .execute();
    const missing = sharing.recipients.filter((r) => !found.some((f) => f.id === r));
    if (missing.length > 0)
      throw new TruceError('not_found', `recipients: no party "${missing[0]}"`, { field: 'recipients' });
  }
  const growing = new GrowingTables(store);
  const refs = await ReferenceBook.load(store.db, options.lexicon ?? PK_AF_INTEROP);
  const result: ImportResult = {
    format: format.name,
    lines: 0,
    applied: 0,
    alreadyImported: 0,
    skipped: [],
    skippedCount: 0,
    stopped: null,
    appliedThrough: null,
    actorsCreated: 0,
    sourcesCreated: 0,
  };
  const progress = () =>
    options.onProgress?.({
      lines: result.lines,
      applied: result.applied,
      alreadyImported: result.alreadyImported,
      skipped: result.skippedCount,
    });
  const skip = (problem: LineProblem) => {
    result.skippedCount += 1;
    if (result.skipped.length < MAX_LISTED) result.skipped.push(problem);
  };

  /** A batch's writes, on a transaction or a draft: the references it first needs, then its events. */
  const writeBatch = async (
    tx: Pick<RecordTx, 'commit'>,
    unsaved: readonly Unsaved[],
    events: readonly PreparedEvent[],
  ) => {
    for (const u of unsaved) {
      const write = referenceWrite(u);
      if (u.kind === 'actor.created') await tx.commit('actor.created', { actorId: u.id }, [write]);
      else await tx.commit('source.created', { sourceId: u.id }, [write]);
    }
    for (const [i, event] of events.entries()) {
      await writeEvent(tx, event.built);
      // Building entries never waits on I/O, so without a pause the database's replies sit
      // unread and the queued statements wait for the whole batch instead of running alongside it.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await turn();
    }
  };
  const committed = (unsaved: readonly Unsaved[], events: readonly PreparedEvent[]) => {
    refs.markSaved(unsaved);
    result.actorsCreated += unsaved.filter((u) => u.kind === 'actor.created').length;
    result.sourcesCreated += unsaved.filter((u) => u.kind === 'source.created').length;
    result.applied += events.length;
  };

  /** The actors and sources `events` name that no committed batch has written yet. */
  const unsavedOf = (events: readonly PreparedEvent[]): Unsaved[] =>
    refs.unsavedFor(
      events.flatMap((e) => e.actorIds),
      events.flatMap((e) => e.sourceIds),
    );

  /** Commits `events` in one transaction; throws what the database said. */
  const commit = async (events: readonly PreparedEvent[]) => {
    if (events.length === 0) return;
    const unsaved = unsavedOf(events);
    await recordTransaction(store, by, (tx) => writeBatch(tx, unsaved, events), { deferWrites: true });
    committed(unsaved, events);
  };

  /**
   * A batch built ahead (record/draft.ts) while the one before it commits, on the log that one
   * leads to: its events less those the batch repeats or the batch before writes, and the
   * references that batch does not already write.
   */
  type Drafted = { draft: RecordDraft; fresh: PreparedEvent[]; unsaved: Unsaved[]; repeated: number };
  const draftBatch = async (batch: readonly PreparedEvent[], on: Frontier, before: Drafted | null) => {
    const taken = new Set(before?.fresh.map((e) => e.id));
    const fresh: PreparedEvent[] = [];
    for (const event of batch) {
      if (taken.has(event.id)) continue;
      taken.add(event.id);
      fresh.push(event);
    }
    const pending = new Set(before?.unsaved);
    const unsaved = unsavedOf(fresh).filter((u) => !pending.has(u));
    const draft = new RecordDraft(on, by);
    await writeBatch(draft, unsaved, fresh);
    return { draft, fresh, unsaved, repeated: batch.length - fresh.length };
  };
  /** Applies a drafted batch; false when it is stale and must be written the usual way. */
  const applyDrafted = async (drafted: Drafted): Promise<boolean> => {
    const ids = drafted.fresh.map((e) => e.id);
    const outcome = await applyDraft(
      store,
      drafted.draft,
      async (trx) =>
        ids.length === 0 ||
        (await trx.selectFrom('incidents').select('id').where('id', 'in', ids).limit(1).execute()).length ===
          0,
    );
    if (outcome === 'stale') return false;
    committed(drafted.unsaved, drafted.fresh);
    result.alreadyImported += drafted.repeated;
    return true;
  };

  /** Writes a batch, drafted or not; false when the import must stop. */
  const flush = async (batch: PreparedEvent[], drafted: Drafted | null = null): Promise<boolean> => {
    if (batch.length === 0) return true;
    const lastLine = batch[batch.length - 1]!.line;
    if (drafted) {
      let applied = false;
      try {
        applied = await applyDrafted(drafted);
      } catch (error) {
        if (stopsImport(error)) throw error;
        // Refused rows: the usual path below meets the same refusal and deals with it by `onError`.
      }
      if (applied) {
        result.appliedThrough = lastLine;
        await growing.grown(result.applied).catch(() => {});
        return true;
      }
      // The log is not the one the draft was built on: the next batch starts from the log.
      resync = true;
    }
    const existing = new Set(
      (
        await store.db
          .selectFrom('incidents')
          .select('id')
          .where(
            'id',
            'in',
            batch.map((e) => e.id),
          )
          .execute()
      ).map((r) => r.id),
    );
    // A file imported before: drafting its batches would only build what is already there.
    draftAhead = existing.size === 0;
    const fresh: PreparedEvent[] = [];
    for (const event of batch) {
      if (existing.has(event.id)) {
        result.alreadyImported += 1;
        continue;
      }
      // The same event id twice in one file: the first one is the import.
      existing.add(event.id);
      fresh.push(event);
    }
    try {
      await commit(fresh);
      result.appliedThrough = lastLine;
      // Statistics are an optimisation: the batch has committed whatever happens to them.
      await growing.grown(result.applied).catch(() => {});
      return true;
    } catch (error) {
      if (stopsImport(error)) throw error;
      if (onError === 'stop') {
        result.stopped = {
          line: batch[0]!.line,
          error: `lines ${batch[0]!.line}–${lastLine} were rolled back: ${messageOf(error)}`,
        };
        return false;
      }
      // `skip`: find the rows the database refused by writing the batch one row at a time.
      for (const event of fresh) {
        try {
          await commit([event]);
        } catch (rowError) {
          // Another import wrote the same event since the check above: it is imported, not bad.
          const there =
            rowError instanceof TruceError &&
            rowError.code === 'conflict' &&
            (await store.db
              .selectFrom('incidents')
              .select('id')
              .where('id', '=', event.id)
              .executeTakeFirst());
          if (there) result.alreadyImported += 1;
          else skip({ line: event.line, error: messageOf(rowError) });
        }
      }
      result.appliedThrough = lastLine;
      return true;
    }
  };

  // One batch commits while the next is parsed, validated and drafted on the log the first one
  // leads to (on PostgreSQL the database works in its own process meanwhile). Batches still commit
  // strictly in order, and a draft applies only to the log it was built on.
  let committing: Promise<boolean> | null = null;
  let drafting: Drafted | null = null;
  let resync = true;
  /** Off while batches turn out to hold rows imported before (a re-import), until one holds none. */
  let draftAhead = true;
  const settle = async (): Promise<boolean> => {
    if (!committing) return true;
    const ok = await committing;
    committing = null;
    return ok;
  };
  const dispatch = async (full: PreparedEvent[]): Promise<boolean> => {
    let before = drafting;
    // The log the batch in flight leads to is known only if it was drafted and not found stale.
    if (resync || !before || !draftAhead) {
      if (!(await settle())) return false;
      resync = false;
      before = null;
    }
    drafting = draftAhead
      ? await draftBatch(full, before ? before.draft.frontier : await currentFrontier(store.db), before)
      : null;
    if (!(await settle())) return false;
    committing = flush(full, drafting);
    // Awaited by the next settle(); this only keeps a failure meanwhile from counting as unhandled.
    committing.catch(() => {});
    return true;
  };

  let batch: PreparedEvent[] = [];
  const bad = async (problem: LineProblem): Promise<boolean> => {
    if (onError === 'skip') {
      skip(problem);
      return true;
    }
    // `stop`: the rows before the bad one are applied, then nothing after it.
    const before = batch;
    batch = [];
    if (!(await settle()) || !(await flush(before))) return false;
    result.stopped = problem;
    return false;
  };

  const rows =
    (options.worker ?? availableParallelism() > 2) && IMPORT_FORMATS[format.name] === format
      ? workerRows(input, { format: format.name, sharing, today, references: refs.snapshot() })
      : validatedRows(input, refs, { format, sharing, today });
  let go = true;
  try {
    for await (const item of rows) {
      result.lines += 1;
      // Rows the records named that the worker's copy of the book created, to write with their batch.
      refs.adopt(item.created);
      if (item.kind === 'problem') go = await bad({ line: item.line, error: item.error });
      else {
        batch.push(item.event);
        if (batch.length >= batchSize) {
          const full = batch;
          batch = [];
          go = await dispatch(full);
          progress();
        }
      }
      if (!go) break;
      if (result.lines % 1000 === 0) progress();
      if (result.lines % YIELD_EVERY === 0) await turn();
    }
    if (go && (await settle())) await flush(batch);
  } finally {
    // Whatever ended the loop (a stop, a file that cannot be read), no batch is left committing
    // behind the caller's back.
    await settle().catch(() => false);
    // Nor a statistics refresh still running on another connection.
    await growing.settled();
  }
  // Statistics are an optimisation: the import has committed whatever happens to them.
  if (result.applied >= BULK_ROWS) await afterBulkWrite(store).catch(() => {});
  progress();
  return result;
}
