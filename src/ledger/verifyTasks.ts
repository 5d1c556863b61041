/** The work `ledger verify` hands out — entry chunks and row chunks — and who runs it: worker threads, or this thread. */
import { typescriptWorker } from '../support/typescriptWorker.ts';
import { checkEntryCopy, type EntryChunkResult, storedLeafCopy } from './entryChunk.ts';
import {
  type Column,
  digestRowCopy,
  type RowChunkResult,
  rowLayout,
  type TextSettings,
} from './rowDigest.ts';
import { RowKeys } from './rowKey.ts';

/**
 * `points`: the run's RowKeys points, or null when only the log is checked and no images are kept;
 * `form` false when only the entries' hashes are checked; `stored` true when the chunk holds only
 * `seq, leaf_hash` of entries before a held head, whose stored hashes are taken as they are.
 */
export type EntryTask = {
  type: 'entries';
  bytes: Uint8Array;
  rows: number;
  points: Int32Array | null;
  form: boolean;
  stored: boolean;
};
export type RowTask = {
  type: 'rows';
  bytes: Uint8Array;
  rows: number;
  table: number;
  columns: Column[];
  settings: TextSettings;
  points: Int32Array;
};
export type VerifyTask = EntryTask | RowTask;
type ResultOf<T extends VerifyTask> = T extends EntryTask ? EntryChunkResult : RowChunkResult;
/** A task's result, and the buffer its bytes came in, back for the next chunk. */
export type Done<T extends VerifyTask> = { result: ResultOf<T>; spare: ArrayBuffer };

export interface TaskRunner {
  readonly threads: number;
  run<T extends VerifyTask>(task: T): Promise<Done<T>>;
  close(): Promise<void>;
}

export function runTask(task: VerifyTask): EntryChunkResult | RowChunkResult {
  if (task.type === 'entries' && task.stored) return storedLeafCopy(task.bytes, task.rows);
  if (task.type === 'entries')
    return checkEntryCopy(
      task.bytes,
      task.rows,
      task.points ? new RowKeys(task.points) : undefined,
      task.form,
    );
  const layout = rowLayout(task.columns, task.settings);
  if (!layout) throw new Error('row layout has a column type verify cannot read');
  return digestRowCopy(task.bytes, task.rows, layout, task.table, new RowKeys(task.points));
}

/** The typed arrays a result can hand over to the other thread instead of copying. */
export function transferOf(result: EntryChunkResult | RowChunkResult): ArrayBuffer[] {
  const arrays =
    'leafHashes' in result
      ? [
          result.seqs,
          result.leafHashes,
          result.imageTables,
          result.imageKeys,
          result.imageSeqs,
          result.imageDigests,
        ]
      : [result.keys, result.digests, result.exact, result.idBytes, result.idEnds];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** Runs every task on this thread, in order. */
export const inlineRunner: TaskRunner = {
  threads: 0,
  async run<T extends VerifyTask>(task: T) {
    return { result: runTask(task) as ResultOf<T>, spare: task.bytes.buffer as ArrayBuffer };
  },
  async close() {},
};

type Pending = { resolve: (value: never) => void; reject: (error: Error) => void };

/** `count` worker threads running verifyWorker.ts. */
export function startWorkers(count: number): TaskRunner {
  const script = new URL('./verifyWorker.ts', import.meta.url);
  const pending = new Map<number, Pending>();
  const load: number[] = [];
  let nextId = 0;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  const workers = Array.from({ length: count }, (_, w) => {
    load.push(0);
    const worker = typescriptWorker(script);
    worker.on('message', (message: { id: number; result?: never; spare?: ArrayBuffer; error?: string }) => {
      load[w]!--;
      const p = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) p?.reject(new Error(`verify worker: ${message.error}`));
      else p?.resolve({ result: message.result, spare: message.spare } as never);
    });
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => {
      if (pending.size > 0) fail(new Error(`verify worker exited with code ${code}`));
    });
    return worker;
  });
  return {
    threads: count,
    run<T extends VerifyTask>(task: T): Promise<Done<T>> {
      if (failure) return Promise.reject(failure);
      const w = load.indexOf(Math.min(...load));
      const id = nextId++;
      load[w]!++;
      return new Promise<Done<T>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: never) => void, reject });
        workers[w]!.postMessage({ id, task }, [task.bytes.buffer as ArrayBuffer]);
      });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
